package dev.flags.integration;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where {@link FlagsSettings} reads the {@code flags.*} settings from: a framework's configuration
 * (Spring's {@code Environment}, Micronaut's {@code PropertyResolver}), or a plain map. Each
 * framework adapter implements it over its configuration, so both bind the same keys the same way.
 *
 * <p>Implementations must:
 *
 * <ul>
 *   <li>answer with the key in its canonical form ({@code flags.file.poll-interval}), whatever
 *       spelling the framework accepts for it (relaxed binding, environment variables);
 *   <li>give a list as one comma-separated string, whether it was written that way or as indexed
 *       keys ({@code flags.redis.sentinel.nodes[0]}, {@code [1]}…);
 *   <li>give every value as text, as written, with {@code null} for none.
 * </ul>
 *
 * Implementations must be thread-safe if they are shared; binding reads each key once.
 */
public interface SettingsSource {

  /**
   * The value of one key, such as {@code flags.redis.url}; empty when it is not set.
   *
   * @param key the canonical key
   */
  Optional<String> get(String key);

  /**
   * Every key that starts with {@code prefix}, with the prefix removed, and its value: {@code
   * withPrefix("flags.static.")} gives {@code {new_checkout_flow=true, banner=Hello}}. With {@code
   * "flags."} it lists every {@code flags.*} key set, so binding can warn about unknown ones.
   */
  Map<String, String> withPrefix(String prefix);

  /**
   * A source over a map of keys to values, as in a {@code .properties} file: lists are
   * comma-separated or indexed ({@code flags.redis.cluster.nodes[0]}); a {@code null} value is no
   * value. The map is copied.
   */
  static SettingsSource of(Map<String, String> values) {
    Map<String, String> copy = new TreeMap<>();
    values.forEach(
        (k, v) -> {
          if (v != null) {
            copy.put(k, v);
          }
        });
    return new SettingsSource() {
      @Override
      public Optional<String> get(String key) {
        Objects.requireNonNull(key, "key");
        String v = copy.get(key);
        if (v != null) {
          return Optional.of(v);
        }
        StringBuilder list = new StringBuilder();
        for (int i = 0; copy.containsKey(key + "[" + i + "]"); i++) {
          if (i > 0) {
            list.append(',');
          }
          list.append(copy.get(key + "[" + i + "]"));
        }
        return list.length() == 0 ? Optional.empty() : Optional.of(list.toString());
      }

      @Override
      public Map<String, String> withPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        Map<String, String> out = new TreeMap<>();
        copy.forEach(
            (k, v) -> {
              if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
              }
            });
        return out;
      }

      @Override
      public String toString() {
        return "SettingsSource" + copy.keySet();
      }
    };
  }
}
