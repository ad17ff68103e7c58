package dev.flags.integration;

import dev.flags.core.JsonValue;
import dev.flags.core.json.FlagCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Builds and writes JSON with flags-core's codec: no JSON library in this module. */
final class Json {

  static final FlagCodec CODEC = FlagCodec.standard();

  private Json() {}

  /**
   * Plain values to JSON: what {@link JsonValue#from} takes, plus {@link Optional} (empty is {@code
   * null}), {@link OptionalInt} and {@link Instant} (ISO-8601).
   */
  static JsonValue value(Object o) {
    if (o instanceof Optional<?> opt) {
      return opt.map(Json::value).orElse(JsonValue.NULL);
    }
    if (o instanceof OptionalInt i) {
      return i.isPresent() ? JsonValue.of(i.getAsInt()) : JsonValue.NULL;
    }
    if (o instanceof Instant t) {
      return JsonValue.of(t.toString());
    }
    if (o instanceof Map<?, ?> map) {
      Map<String, JsonValue> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put((String) k, value(v)));
      return new JsonValue.Obj(out);
    }
    if (o instanceof Collection<?> c) {
      List<JsonValue> out = new ArrayList<>(c.size());
      c.forEach(e -> out.add(value(e)));
      return new JsonValue.Arr(out);
    }
    return JsonValue.from(o);
  }

  static String write(Object o) {
    return CODEC.write(value(o));
  }

  /** A new ordered map for an object. */
  static Map<String, Object> object() {
    return new LinkedHashMap<>();
  }
}
