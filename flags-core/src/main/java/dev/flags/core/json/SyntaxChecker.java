package dev.flags.core.json;

import java.math.BigDecimal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The first pass of the reference decoder: checks that a document is strict RFC 8259 JSON within
 * the codec's limits, and reports the first problem in document order with its path, line and
 * column — without building anything. The second pass ({@link FlagDecoder} over {@link Node}
 * cursors) then reads a document known to be well formed, so a malformed document costs one scan
 * and no memory, whatever its size (the tree this replaced cost 55 times the text).
 *
 * <p>Strict means: no trailing data, no duplicate member names, no comments or trailing commas,
 * only the escapes JSON defines, no unescaped control characters, no lone surrogates (escaped or
 * not), no leading zeros, numbers of at most {@link FlagCodec#MAX_NUMBER_LENGTH} characters with an
 * exponent of at most {@link FlagCodec#MAX_EXPONENT} — as written, and as the codec would write the
 * number back ({@code 11e1000} is written {@code 1.1E+1001}, which it could not read again) —
 * nesting up to the depth limit.
 *
 * <p>The path of the value being read is kept on a stack of member names (as positions, decoded
 * only for an error message) and element indexes. One instance checks one document; not
 * thread-safe.
 */
final class SyntaxChecker {
  private final String s;
  private final int start;
  private final int end;
  private final int maxDepth;
  private final int maxStringLength;
  private int pos;

  /** The path: for each level, the opening quote of a member name, or -1 and an element index. */
  private int[] segName = new int[16];

  private int[] segIndex = new int[16];
  private int segments;

  /** Nesting of arrays and objects. */
  private int depth;

  /** Set by {@link #string}: the String hash of the decoded string. */
  private int stringHash;

  private SyntaxChecker(String s, int start, int maxDepth, int maxStringLength) {
    this.s = s;
    this.start = start;
    this.end = s.length();
    this.maxDepth = maxDepth;
    this.maxStringLength = maxStringLength;
    this.pos = start;
  }

  /**
   * Checks {@code s} from {@code start} (after a byte order mark) as exactly one JSON value.
   *
   * @throws FlagFormatException at the first problem
   */
  static void check(String s, int start, int maxDepth, int maxStringLength) {
    new SyntaxChecker(s, start, maxDepth, maxStringLength).document();
  }

  private void document() {
    skipWhitespace();
    if (pos >= end) {
      throw error(pos, "", "the document is empty");
    }
    value();
    skipWhitespace();
    if (pos < end) {
      throw error(pos, "", "unexpected " + describe(pos) + " after the JSON value");
    }
  }

  // ---------------------------------------------------------------- the path

  private void pushName(int quote) {
    grow();
    segName[segments] = quote;
    segments++;
  }

  private void pushIndex(int index) {
    grow();
    segName[segments] = -1;
    segIndex[segments] = index;
    segments++;
  }

  private void grow() {
    if (segments == segName.length) {
      segName = java.util.Arrays.copyOf(segName, segments * 2);
      segIndex = java.util.Arrays.copyOf(segIndex, segments * 2);
    }
  }

  /** The path of the current value (the top of the stack), as {@link Node#path()} writes it. */
  private String path() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < segments; i++) {
      if (segName[i] >= 0) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(Node.decodeString(s, segName[i]));
      } else {
        sb.append('[').append(segIndex[i]).append(']');
      }
    }
    return sb.toString();
  }

  /**
   * The path of the current value as an error at its first character names it: like {@link
   * #path()}, except that a member with an empty name adds nothing (no trailing dot).
   */
  private String valuePath() {
    int top = segments - 1;
    if (top >= 0 && segName[top] >= 0 && s.charAt(segName[top] + 1) == '"') {
      segments--;
      String parent = path();
      segments++;
      return parent;
    }
    return path();
  }

  /** The path of the current value with the member name at {@code quote} appended. */
  private String pathWith(int quote) {
    return Node.join(path(), Node.decodeString(s, quote));
  }

  // ---------------------------------------------------------------- values

  private void value() {
    if (pos >= end) {
      throw error(pos, valuePath(), "unexpected end of the document, expected a value");
    }
    char c = s.charAt(pos);
    switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          number();
        } else {
          throw error(pos, valuePath(), "unexpected " + describe(pos) + ", expected a value");
        }
      }
    }
  }

  private void enter() {
    if (++depth > maxDepth) {
      throw error(pos, path(), "nesting deeper than " + maxDepth + " levels");
    }
  }

  private void object() {
    enter();
    pos++;
    skipWhitespace();
    if (pos < end && s.charAt(pos) == '}') {
      pos++;
      depth--;
      return;
    }
    NameSet names = new NameSet();
    while (true) {
      if (pos >= end) {
        throw error(pos, path(), "unexpected end of the document, expected a member name");
      }
      if (s.charAt(pos) != '"') {
        throw error(
            pos,
            path(),
            "unexpected " + describe(pos) + ", expected a member name in double quotes");
      }
      int quote = pos;
      string();
      if (!names.add(stringHash, quote)) {
        throw error(
            quote, pathWith(quote), "duplicate member \"" + Node.decodeString(s, quote) + "\"");
      }
      skipWhitespace();
      if (pos >= end || s.charAt(pos) != ':') {
        throw error(
            pos,
            pathWith(quote),
            (pos >= end ? "unexpected end of the document" : "unexpected " + describe(pos))
                + ", expected ':'");
      }
      pos++;
      skipWhitespace();
      pushName(quote);
      value();
      segments--;
      skipWhitespace();
      if (pos >= end) {
        throw error(pos, path(), "unexpected end of the document, expected ',' or '}'");
      }
      char c = s.charAt(pos++);
      if (c == ',') {
        skipWhitespace();
      } else if (c == '}') {
        depth--;
        return;
      } else {
        throw error(pos - 1, path(), "unexpected " + describe(pos - 1) + ", expected ',' or '}'");
      }
    }
  }

  private void array() {
    enter();
    pos++;
    skipWhitespace();
    if (pos < end && s.charAt(pos) == ']') {
      pos++;
      depth--;
      return;
    }
    int index = 0;
    while (true) {
      pushIndex(index++);
      value();
      segments--;
      skipWhitespace();
      if (pos >= end) {
        throw error(pos, path(), "unexpected end of the document, expected ',' or ']'");
      }
      char c = s.charAt(pos++);
      if (c == ',') {
        skipWhitespace();
      } else if (c == ']') {
        depth--;
        return;
      } else {
        throw error(pos - 1, path(), "unexpected " + describe(pos - 1) + ", expected ',' or ']'");
      }
    }
  }

  private void literal(String word) {
    if (end - pos < word.length() || !s.startsWith(word, pos)) {
      throw error(pos, valuePath(), "unexpected " + describe(pos) + ", expected a value");
    }
    pos += word.length();
  }

  /**
   * Checks the string whose opening quote is at {@code pos} and moves past it; sets {@link
   * #stringHash}. A value's problems are reported at its own path, a member name's at its object's
   * (the current path either way: a name is read before its segment is pushed).
   */
  private void string() {
    int open = pos;
    int i = pos + 1;
    int h = 0;
    // Plain characters first, as most strings are; this order of checks is the errors' order.
    while (i < end) {
      char c = s.charAt(i);
      if (c == '"') {
        if (i - open - 1 > maxStringLength) {
          throw error(open, path(), "string longer than " + maxStringLength + " characters");
        }
        pos = i + 1;
        stringHash = h;
        return;
      }
      if (c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
        break;
      }
      h = 31 * h + c;
      i++;
    }
    int length = i - open - 1; // UTF-16 units of the decoded string so far
    while (true) {
      if (i >= end) {
        throw error(open, path(), "unterminated string");
      }
      if (length > maxStringLength) {
        throw error(open, path(), "string longer than " + maxStringLength + " characters");
      }
      char c = s.charAt(i);
      if (c == '"') {
        pos = i + 1;
        stringHash = h;
        return;
      }
      if (c < 0x20) {
        throw error(
            i,
            path(),
            String.format("control character U+%04X must be escaped in a string", (int) c));
      }
      int unitStart = i;
      if (c == '\\') {
        if (i + 1 >= end) {
          throw error(open, path(), "unterminated string");
        }
        char e = s.charAt(i + 1);
        switch (e) {
          case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
            c = Node.unescape(e);
            i += 2;
            h = 31 * h + c;
            length++;
            continue;
          }
          case 'u' -> {
            c = unicodeEscape(i);
            i += 6;
          }
          default -> throw error(i, path(), "invalid escape " + describeEscape(i));
        }
      } else {
        i++;
      }
      if (Character.isHighSurrogate(c)) {
        // The low half must follow, raw or escaped.
        char low;
        if (i + 1 < end && s.charAt(i) == '\\' && s.charAt(i + 1) == 'u') {
          low = unicodeEscape(i);
          if (Character.isLowSurrogate(low)) {
            i += 6;
          }
        } else {
          low = i < end ? s.charAt(i) : 0;
          if (Character.isLowSurrogate(low)) {
            i++;
          }
        }
        if (!Character.isLowSurrogate(low)) {
          throw error(
              unitStart,
              path(),
              String.format(
                  "lone surrogate U+%04X in a string: strings must be valid Unicode", (int) c));
        }
        h = 31 * (31 * h + c) + low;
        length += 2;
      } else if (Character.isLowSurrogate(c)) {
        throw error(
            unitStart,
            path(),
            String.format(
                "lone surrogate U+%04X in a string: strings must be valid Unicode", (int) c));
      } else {
        h = 31 * h + c;
        length++;
      }
    }
  }

  /** Decodes the {@code \}{@code uXXXX} escape at {@code at} (the backslash). */
  private char unicodeEscape(int at) {
    if (at + 6 > end) {
      throw error(
          at, path(), "invalid escape " + describeEscape(at) + ": \\u takes four hex digits");
    }
    int v = 0;
    for (int k = at + 2; k < at + 6; k++) {
      int d = Node.hexDigit(s.charAt(k));
      if (d < 0) {
        throw error(
            at, path(), "invalid escape " + describeEscape(at) + ": \\u takes four hex digits");
      }
      v = (v << 4) | d;
    }
    return (char) v;
  }

  private String describeEscape(int at) {
    int stop = Math.min(end, at + 6);
    StringBuilder sb = new StringBuilder("\"");
    for (int k = at; k < stop; k++) {
      char c = s.charAt(k);
      if (c == '"' && k > at) {
        break;
      }
      if (c < 0x20 || c > 0x7e) {
        sb.append(String.format("\\u%04X", (int) c));
      } else {
        sb.append(c);
      }
      if (k == at + 1 && c != 'u') {
        break;
      }
    }
    return sb.append('"').toString();
  }

  private void number() {
    int st = pos;
    int i = pos;
    if (s.charAt(i) == '-') {
      i++;
    }
    if (i >= end || s.charAt(i) < '0' || s.charAt(i) > '9') {
      throw error(st, path(), "invalid number: expected a digit after '-'");
    }
    if (s.charAt(i) == '0') {
      i++;
      if (i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        throw error(st, path(), "invalid number: leading zeros are not allowed");
      }
    } else {
      while (i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
    }
    if (i < end && s.charAt(i) == '.') {
      i++;
      int digits = i;
      while (i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      if (i == digits) {
        throw error(st, path(), "invalid number: expected a digit after '.'");
      }
    }
    boolean exponent = false;
    if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      exponent = true;
      i++;
      if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int digits = i;
      while (i < end && s.charAt(i) == '0') {
        i++;
      }
      long value = 0;
      while (i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        if (value <= FlagCodec.MAX_EXPONENT) {
          value = value * 10 + (s.charAt(i) - '0');
        }
        i++;
      }
      if (i == digits) {
        throw error(st, path(), "invalid number: expected a digit in the exponent");
      }
      if (value > FlagCodec.MAX_EXPONENT) {
        throw error(
            st,
            path(),
            "number out of range: the exponent is limited to " + FlagCodec.MAX_EXPONENT);
      }
    }
    if (i - st > FlagCodec.MAX_NUMBER_LENGTH) {
      throw error(
          st,
          path(),
          "number out of range: longer than " + FlagCodec.MAX_NUMBER_LENGTH + " characters");
    }
    if (exponent) {
      String written = writtenFormProblem(s.substring(st, i));
      if (written != null) {
        throw error(st, path(), written);
      }
    }
    pos = i;
  }

  /**
   * Why the codec could not read back how it writes the number {@code literal}, or null. The writer
   * writes {@link BigDecimal#toString()}, which moves the point: {@code 11e1000} becomes {@code
   * 1.1E+1001}. Only a literal with an exponent can move that far; others are written at most as
   * long as they were read.
   */
  static @Nullable String writtenFormProblem(String literal) {
    String written = new BigDecimal(literal).toString();
    int e = written.indexOf('E');
    int exponent = e < 0 ? 0 : Math.abs(Integer.parseInt(written, e + 1, written.length(), 10));
    if (exponent > FlagCodec.MAX_EXPONENT || written.length() > FlagCodec.MAX_NUMBER_LENGTH) {
      return "number out of range: "
          + (literal.length() > 40
              ? literal.substring(0, 20) + "…" + literal.substring(literal.length() - 12)
              : literal)
          + " would be written "
          + (written.length() > 40
              ? written.substring(0, 20) + "…" + written.substring(written.length() - 12)
              : written)
          + ", which is over the limits the codec reads (an exponent of at most "
          + FlagCodec.MAX_EXPONENT
          + ", "
          + FlagCodec.MAX_NUMBER_LENGTH
          + " characters)";
    }
    return null;
  }

  private void skipWhitespace() {
    int i = pos;
    while (i < end) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        break;
      }
      i++;
    }
    pos = i;
  }

  private String describe(int at) {
    if (at >= end) {
      return "end of the document";
    }
    char c = s.charAt(at);
    if (c < 0x20
        || c == 0x7f
        || Character.isSurrogate(c)
        || (Character.isSpaceChar(c) && c != ' ')) {
      return String.format("character U+%04X", (int) c);
    }
    return "character '" + c + "'";
  }

  private FlagFormatException error(int at, String path, String problem) {
    return Locations.error(s, start, at, path, problem);
  }

  /**
   * The member names of one object, to find a duplicate: each name as its String hash and the
   * position of its opening quote, compared by content only when hashes meet. No String per name,
   * so an object of a million members costs two ints per member while it is read.
   */
  private final class NameSet {
    private static final int SCAN_LIMIT = 12;
    private int[] hashes = new int[4];
    private int[] quotes = new int[4];
    private int size;
    private int @Nullable [] table; // open addressing over indexes + 1, once there are many names

    boolean add(int hash, int quote) {
      if (table == null) {
        for (int i = 0; i < size; i++) {
          if (hashes[i] == hash && Node.sameString(s, quotes[i], quote)) {
            return false;
          }
        }
      } else {
        int mask = table.length - 1;
        for (int slot = hash & mask; table[slot] != 0; slot = (slot + 1) & mask) {
          int i = table[slot] - 1;
          if (hashes[i] == hash && Node.sameString(s, quotes[i], quote)) {
            return false;
          }
        }
      }
      if (size == hashes.length) {
        hashes = java.util.Arrays.copyOf(hashes, size * 2);
        quotes = java.util.Arrays.copyOf(quotes, size * 2);
      }
      hashes[size] = hash;
      quotes[size] = quote;
      size++;
      if (table != null && size * 2 > table.length) {
        table = null; // rebuilt below, twice as large
      }
      if (table == null && size > SCAN_LIMIT) {
        table = new int[Integer.highestOneBit(size * 4)];
        for (int i = 0; i < size; i++) {
          put(i);
        }
      } else if (table != null) {
        put(size - 1);
      }
      return true;
    }

    private void put(int i) {
      int[] table = Objects.requireNonNull(this.table, "put only once the table exists");
      int mask = table.length - 1;
      int slot = hashes[i] & mask;
      while (table[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      table[slot] = i + 1;
    }
  }
}
