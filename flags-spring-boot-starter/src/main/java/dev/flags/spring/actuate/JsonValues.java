package dev.flags.spring.actuate;

import dev.flags.core.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Flag values as plain Java values, which any JSON mapper of the application writes naturally. */
final class JsonValues {

  private JsonValues() {}

  static Object plain(JsonValue value) {
    if (value instanceof JsonValue.Bool b) {
      return b.value();
    } else if (value instanceof JsonValue.Str s) {
      return s.value();
    } else if (value instanceof JsonValue.Num n) {
      return n.value();
    } else if (value instanceof JsonValue.Arr a) {
      List<Object> list = new ArrayList<>();
      a.elements().forEach(e -> list.add(plain(e)));
      return list;
    } else if (value instanceof JsonValue.Obj o) {
      Map<String, Object> map = new LinkedHashMap<>();
      o.members().forEach((k, v) -> map.put(k, plain(v)));
      return map;
    }
    return null;
  }
}
