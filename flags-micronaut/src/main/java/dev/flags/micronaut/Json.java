package dev.flags.micronaut;

import dev.flags.core.JsonValue;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Writes JSON for the endpoint, without a JSON mapper: the application may use Jackson, serde or
 * none, and these answers must look the same.
 */
final class Json {

  private Json() {}

  static String write(JsonValue value) {
    StringBuilder sb = new StringBuilder();
    write(value, sb);
    return sb.toString();
  }

  static void write(JsonValue value, StringBuilder sb) {
    if (value instanceof JsonValue.Null) {
      sb.append("null");
    } else if (value instanceof JsonValue.Bool b) {
      sb.append(b.value());
    } else if (value instanceof JsonValue.Num n) {
      BigDecimal d = n.value();
      sb.append(
          d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0
              ? d.stripTrailingZeros().toBigInteger().toString()
              : d.toString());
    } else if (value instanceof JsonValue.Str s) {
      string(s.value(), sb);
    } else if (value instanceof JsonValue.Arr a) {
      sb.append('[');
      for (int i = 0; i < a.elements().size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(a.elements().get(i), sb);
      }
      sb.append(']');
    } else if (value instanceof JsonValue.Obj o) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(e.getKey(), sb);
        sb.append(':');
        write(e.getValue(), sb);
      }
      sb.append('}');
    }
  }

  static void string(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
