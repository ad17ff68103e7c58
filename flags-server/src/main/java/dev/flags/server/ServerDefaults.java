package dev.flags.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * What the server is without any setting: the admin API with writes and the dashboard, both on
 * (they are what it is for, behind its login); Redis when a Redis address is given; and, when no
 * Redis address and no store is given, the flag file {@value #DEFAULT_FILE} in the working
 * directory, created empty when missing (its audit log, {@code flags.json.audit.jsonl}, beside it).
 * Every one of these is a default: any setting given wins.
 */
final class ServerDefaults implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

  /** The flag file served when no store is configured. */
  static final String DEFAULT_FILE = "flags.json";

  static final String SOURCE = "flagsServerDefaults";

  @Override
  public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
    ConfigurableEnvironment env = event.getEnvironment();
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put("flags.admin.enabled", "true");
    defaults.put("flags.admin.write-enabled", "true");
    defaults.put("flags.dashboard.enabled", "true");
    defaults.put("spring.main.banner-mode", "off");
    if (!env.containsProperty("flags.store") && redisConfigured(env)) {
      // A Redis address given is the store, whatever flag file a default names.
      defaults.put("flags.store", "redis");
    } else if (!env.containsProperty("flags.store")) {
      Path file = Path.of(env.getProperty("flags.file.path", DEFAULT_FILE)).toAbsolutePath();
      createIfMissing(file);
      defaults.put("flags.store", "file");
      defaults.put("flags.file.path", file.toString());
    }
    env.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
  }

  /** Whether any setting names a Redis address (URL, host, Sentinel or Cluster). */
  static boolean redisConfigured(ConfigurableEnvironment env) {
    for (PropertySource<?> source : env.getPropertySources()) {
      if (source instanceof EnumerablePropertySource<?> e) {
        for (String name : e.getPropertyNames()) {
          String n = name.replace('_', '.').toLowerCase(java.util.Locale.ROOT);
          if (n.startsWith("flags.redis.url")
              || n.startsWith("flags.redis.host")
              || n.startsWith("flags.redis.sentinel")
              || n.startsWith("flags.redis.cluster")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static void createIfMissing(Path file) {
    if (Files.exists(file)) {
      return;
    }
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, "{\"flags\": {}}\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "flags-server: cannot create the flag file "
              + file
              + " (set flags.file.path to a writable place, or flags.redis.url): "
              + e.getMessage(),
          e);
    }
  }
}
