package dev.flags.micronaut;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Turns {@code flags.static.*} property values into flag values. */
final class StaticFlags {

  private StaticFlags() {}

  /**
   * Properties files and environment variables give every value as a string: {@code "true"} and
   * {@code "false"} (any case) become on/off switches there too, as they do in YAML.
   */
  static Map<String, Object> normalize(Map<String, Object> values) {
    Map<String, Object> out = new LinkedHashMap<>();
    values.forEach(
        (key, value) -> {
          Object v = value;
          if (value instanceof CharSequence cs) {
            String s = cs.toString().trim().toLowerCase(Locale.ROOT);
            v = s.equals("true") ? Boolean.TRUE : s.equals("false") ? Boolean.FALSE : cs.toString();
          }
          out.put(key, v);
        });
    return out;
  }
}
