package dev.flags.cli;

import dev.flags.core.JsonValue;
import dev.flags.core.json.FlagCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/** --json output: building documents and writing them indented. */
final class JsonOut {
  private static final FlagCodec CODEC = FlagCodec.standard();

  private JsonOut() {}

  /** An object builder keeping member order; empty optionals become {@code null}. */
  static final class Obj {
    private final Map<String, JsonValue> members = new LinkedHashMap<>();

    Obj put(String name, @Nullable Object value) {
      members.put(name, value(value));
      return this;
    }

    JsonValue.Obj build() {
      return new JsonValue.Obj(members);
    }
  }

  static Obj obj() {
    return new Obj();
  }

  static JsonValue value(@Nullable Object v) {
    if (v instanceof Optional<?> o) {
      return o.map(JsonOut::value).orElse(JsonValue.NULL);
    }
    if (v instanceof OptionalInt o) {
      return o.isPresent() ? JsonValue.of(o.getAsInt()) : JsonValue.NULL;
    }
    if (v instanceof OptionalLong o) {
      return o.isPresent() ? JsonValue.of(o.getAsLong()) : JsonValue.NULL;
    }
    if (v instanceof Instant t) {
      return JsonValue.of(t.toString());
    }
    if (v instanceof Obj o) {
      return o.build();
    }
    if (v instanceof List<?> l) {
      List<JsonValue> out = new ArrayList<>(l.size());
      for (Object e : l) {
        out.add(value(e));
      }
      return new JsonValue.Arr(out);
    }
    return JsonValue.from(v);
  }

  /** Indented with two spaces; arrays of plain values on one line. */
  static String pretty(JsonValue v) {
    StringBuilder b = new StringBuilder();
    write(b, v, "");
    return b.toString();
  }

  private static void write(StringBuilder b, JsonValue v, String indent) {
    if (v instanceof JsonValue.Obj o) {
      if (o.members().isEmpty()) {
        b.append("{}");
        return;
      }
      b.append("{\n");
      String inner = indent + "  ";
      int i = 0;
      for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
        b.append(inner).append(CODEC.write(JsonValue.of(e.getKey()))).append(": ");
        write(b, e.getValue(), inner);
        b.append(++i < o.members().size() ? ",\n" : "\n");
      }
      b.append(indent).append('}');
    } else if (v instanceof JsonValue.Arr a) {
      boolean plain =
          a.elements().stream()
              .noneMatch(e -> e instanceof JsonValue.Obj || e instanceof JsonValue.Arr);
      if (plain) {
        b.append('[');
        for (int i = 0; i < a.elements().size(); i++) {
          b.append(i > 0 ? ", " : "").append(CODEC.write(a.elements().get(i)));
        }
        b.append(']');
        return;
      }
      b.append("[\n");
      String inner = indent + "  ";
      for (int i = 0; i < a.elements().size(); i++) {
        b.append(inner);
        write(b, a.elements().get(i), inner);
        b.append(i + 1 < a.elements().size() ? ",\n" : "\n");
      }
      b.append(indent).append(']');
    } else {
      b.append(CODEC.write(v));
    }
  }
}
