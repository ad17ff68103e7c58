package dev.flags.spring;

import dev.flags.redis.RedisConnectionSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * Where Redis is: {@code flags.redis.*} first, then Spring Boot's {@code spring.data.redis.*} (so an
 * application that already talks to Redis configures it once), then {@code redis://localhost:6379}.
 * Reads through a {@link Binder}, so the auto-configuration and {@link OnFlagCondition} (which has
 * no beans) resolve it the same way. Loaded only when flags-redis is on the classpath.
 */
final class RedisSettingsResolver {

  private static final Pattern USER_INFO = Pattern.compile("//[^/@]*@");
  private static final String URL_FIX =
      "Use redis://[[user]:password@]host[:port][/database], or rediss://... for TLS.";

  private RedisSettingsResolver() {}

  /** @throws FlagsConfigurationException naming the bad property */
  static RedisConnectionSettings resolve(Binder binder) {
    String flagsUrl = string(binder, "flags.redis.url");
    String flagsMaster = string(binder, "flags.redis.sentinel.master");
    List<String> flagsSentinels = list(binder, "flags.redis.sentinel.nodes");
    List<String> flagsCluster = list(binder, "flags.redis.cluster.nodes");
    String springUrl = string(binder, "spring.data.redis.url");
    String springMaster = string(binder, "spring.data.redis.sentinel.master");
    List<String> springSentinels = list(binder, "spring.data.redis.sentinel.nodes");
    List<String> springCluster = list(binder, "spring.data.redis.cluster.nodes");

    RedisConnectionSettings settings;
    String source;
    if (flagsUrl != null) {
      settings = standalone("flags.redis.url", flagsUrl);
      source = "url";
    } else if (flagsMaster != null) {
      settings = build("flags.redis.sentinel.nodes", flagsSentinels,
          () -> RedisConnectionSettings.sentinel(flagsMaster, flagsSentinels));
      source = "flags";
    } else if (!flagsCluster.isEmpty()) {
      settings = build("flags.redis.cluster.nodes", flagsCluster, () -> RedisConnectionSettings.cluster(flagsCluster));
      source = "flags";
    } else if (springUrl != null) {
      settings = standalone("spring.data.redis.url", springUrl);
      source = "url";
    } else if (springMaster != null) {
      settings = build("spring.data.redis.sentinel.nodes", springSentinels,
          () -> RedisConnectionSettings.sentinel(springMaster, springSentinels));
      source = "spring";
    } else if (!springCluster.isEmpty()) {
      settings = build("spring.data.redis.cluster.nodes", springCluster, () -> RedisConnectionSettings.cluster(springCluster));
      source = "spring";
    } else {
      String host = Optional.ofNullable(string(binder, "spring.data.redis.host")).orElse("localhost");
      int port = binder.bind("spring.data.redis.port", Integer.class).orElse(RedisConnectionSettings.DEFAULT_PORT);
      String node = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
      settings = standalone("spring.data.redis.host", "redis://" + node);
      int database = binder.bind("spring.data.redis.database", Integer.class).orElse(0);
      settings = settings.withDatabase(database);
      source = "spring";
    }

    // Credentials and TLS: a URL carries its own; otherwise flags.redis.* wins over spring.data.redis.*.
    if (!source.equals("url")) {
      String user = first(string(binder, "flags.redis.username"), string(binder, "spring.data.redis.username"));
      String password = first(string(binder, "flags.redis.password"), string(binder, "spring.data.redis.password"));
      Boolean ssl = binder.bind("flags.redis.ssl", Boolean.class)
          .orElseGet(() -> binder.bind("spring.data.redis.ssl.enabled", Boolean.class).orElse(false));
      try {
        if (password != null) {
          settings = settings.withPassword(password);
        }
        if (user != null) {
          settings = settings.withUser(user);
        }
      } catch (IllegalArgumentException e) {
        throw new FlagsConfigurationException(
            "flags.redis.username", user, e.getMessage(), "Set flags.redis.password (or spring.data.redis.password) with the user.");
      }
      settings = settings.withSsl(ssl);
    }
    Duration timeout = binder.bind("flags.redis.timeout", Duration.class)
        .orElseGet(() -> binder.bind("spring.data.redis.timeout", Duration.class).orElse(null));
    if (timeout != null) {
      try {
        settings = settings.withTimeout(timeout);
      } catch (IllegalArgumentException e) {
        throw new FlagsConfigurationException(
            "flags.redis.timeout", timeout.toString(), e.getMessage(), "Set flags.redis.timeout to a positive duration such as 2s.");
      }
    }
    return settings;
  }

  private static RedisConnectionSettings standalone(String property, String url) {
    try {
      return RedisConnectionSettings.standalone(url);
    } catch (IllegalArgumentException e) {
      // flags-redis may quote the URL whole in its message: never echo a password.
      String problem = String.valueOf(e.getMessage()).replace(url, mask(url));
      throw new FlagsConfigurationException(property, mask(url), "is not a valid Redis URL: " + problem, URL_FIX);
    }
  }

  private static RedisConnectionSettings build(
      String property, List<String> nodes, java.util.function.Supplier<RedisConnectionSettings> settings) {
    try {
      return settings.get();
    } catch (IllegalArgumentException e) {
      throw new FlagsConfigurationException(
          property, String.join(",", nodes), e.getMessage(), "Set " + property + " to a list of host:port.");
    }
  }

  /** The URL with its user-info (password) hidden. */
  static String mask(String url) {
    return USER_INFO.matcher(url).replaceFirst("//****@");
  }

  private static String string(Binder binder, String name) {
    String value = binder.bind(name, Bindable.of(String.class)).map(String::trim).orElse("");
    return value.isEmpty() ? null : value;
  }

  private static List<String> list(Binder binder, String name) {
    return binder.bind(name, Bindable.listOf(String.class)).orElse(List.of());
  }

  private static String first(String a, String b) {
    return a != null ? a : b;
  }
}
