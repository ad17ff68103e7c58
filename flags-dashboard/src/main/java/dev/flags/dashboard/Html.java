package dev.flags.dashboard;

/**
 * Builds an HTML page. Markup is written with {@link #raw}, which takes only literals of this
 * package; everything that comes from a flag, a user or a store goes through {@link #text} or
 * {@link #attr}, which escape it. Not thread-safe: one per page.
 */
final class Html {

  private final StringBuilder sb;

  Html(int capacity) {
    this.sb = new StringBuilder(capacity);
  }

  Html() {
    this(8192);
  }

  /** Markup, as written: a literal of this package, never data. */
  Html raw(String markup) {
    sb.append(markup);
    return this;
  }

  /** Text, escaped for an element's content or a quoted attribute value. */
  Html text(String text) {
    escape(sb, text);
    return this;
  }

  /** Text of a number. */
  Html text(long n) {
    sb.append(n);
    return this;
  }

  /** {@code name="value"}, the value escaped. */
  Html attr(String name, String value) {
    sb.append(' ').append(name).append("=\"");
    escape(sb, value);
    sb.append('"');
    return this;
  }

  /** A boolean attribute ({@code hidden}, {@code checked}) when {@code on}. */
  Html flag(String name, boolean on) {
    if (on) {
      sb.append(' ').append(name);
    }
    return this;
  }

  /** A hidden form field. */
  Html hidden(String name, String value) {
    return raw("<input type=\"hidden\"").attr("name", name).attr("value", value).raw(">");
  }

  @Override
  public String toString() {
    return sb.toString();
  }

  /** {@code text}, escaped: {@code & < > " '}. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    escape(out, text);
    return out.toString();
  }

  private static void escape(StringBuilder out, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
  }
}
