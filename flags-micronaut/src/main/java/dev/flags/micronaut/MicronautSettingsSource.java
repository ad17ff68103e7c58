package dev.flags.micronaut;

import dev.flags.integration.Setting;
import dev.flags.integration.SettingsSource;
import io.micronaut.core.naming.conventions.StringConvention;
import io.micronaut.core.type.Argument;
import io.micronaut.core.value.PropertyResolver;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code flags.*} settings of a Micronaut {@link PropertyResolver} (the application's
 * environment): keys as Micronaut normalises them (properties, YAML, environment variables), lists
 * written either way, map entries with their keys as written. Thread-safe if the resolver is.
 */
final class MicronautSettingsSource implements SettingsSource {

  private final PropertyResolver properties;

  MicronautSettingsSource(PropertyResolver properties) {
    this.properties = properties;
  }

  @Override
  public Optional<String> get(String key) {
    boolean list = Setting.find(key).map(s -> s.type() == Setting.Type.LIST).orElse(false);
    if (list) {
      return properties
          .getProperty(key, Argument.listOf(String.class))
          .map(l -> String.join(",", l))
          .filter(s -> !s.isBlank());
    }
    return properties.getProperty(key, String.class);
  }

  @Override
  public Map<String, String> withPrefix(String prefix) {
    String name = prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
    Map<String, String> out = new TreeMap<>();
    properties
        .getProperties(name, StringConvention.RAW)
        .forEach((k, v) -> out.put(k, v instanceof List<?> l ? join(l) : String.valueOf(v)));
    return out;
  }

  private static String join(List<?> values) {
    StringBuilder sb = new StringBuilder();
    for (Object v : values) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(v);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "the Micronaut environment";
  }
}
