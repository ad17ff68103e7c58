package dev.flags.spring;

import dev.flags.redis.RedisConnectionSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * Where Redis is: {@code flags.redis.*} first, then Spring Boot's {@code spring.data.redis.*} (so
 * an application that already talks to Redis configures it once), then {@code
 * redis://localhost:6379}. {@code flags.redis.username}, {@code password} and {@code ssl} win over
 * any source, a URL's own credentials included; {@code spring.data.redis.ssl.enabled} and {@code
 * database} apply to the {@code spring.data.redis.*} sources (a URL's {@code /n} path names its own
 * database). With Sentinel, {@code flags.redis.sentinel.username/password} (else {@code
 * spring.data.redis.sentinel.username/password}) are the Sentinels' own credentials. Reads through
 * a {@link Binder}, so the auto-configuration and {@link OnFlagCondition} (which has no beans)
 * resolve it the same way. Loaded only when flags-redis is on the classpath.
 */
final class RedisSettingsResolver {

  private static final Pattern USER_INFO = Pattern.compile("//[^/@]*@");

  /** A URL that names its database: {@code redis://host:port/3}. */
  private static final Pattern URL_DATABASE = Pattern.compile("^[a-zA-Z]+://[^/]*/\\d+");

  private static final String URL_FIX =
      "Use redis://[[user]:password@]host[:port][/database], or rediss://... for TLS.";

  private RedisSettingsResolver() {}

  /**
   * @throws FlagsConfigurationException naming the bad property
   */
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
    String chosenUrl = null; // the URL the settings come from, if any
    if (flagsUrl != null) {
      settings = standalone("flags.redis.url", flagsUrl);
      chosenUrl = flagsUrl;
    } else if (flagsMaster != null) {
      settings =
          build(
              "flags.redis.sentinel.nodes",
              flagsSentinels,
              () -> RedisConnectionSettings.sentinel(flagsMaster, flagsSentinels));
    } else if (!flagsCluster.isEmpty()) {
      settings =
          build(
              "flags.redis.cluster.nodes",
              flagsCluster,
              () -> RedisConnectionSettings.cluster(flagsCluster));
    } else if (springUrl != null) {
      settings = standalone("spring.data.redis.url", springUrl);
      chosenUrl = springUrl;
    } else if (springMaster != null) {
      settings =
          build(
              "spring.data.redis.sentinel.nodes",
              springSentinels,
              () -> RedisConnectionSettings.sentinel(springMaster, springSentinels));
    } else if (!springCluster.isEmpty()) {
      settings =
          build(
              "spring.data.redis.cluster.nodes",
              springCluster,
              () -> RedisConnectionSettings.cluster(springCluster));
    } else {
      String host =
          Optional.ofNullable(string(binder, "spring.data.redis.host")).orElse("localhost");
      int port =
          binder
              .bind("spring.data.redis.port", Integer.class)
              .orElse(RedisConnectionSettings.DEFAULT_PORT);
      String node = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
      settings = standalone("spring.data.redis.host", "redis://" + node);
    }
    // flags.redis.url is complete by itself (but for the explicit flags.redis.username/password/ssl
    // below); spring.data.redis.* fills in what the chosen source leaves unsaid.
    boolean springFillsIn = chosenUrl == null || chosenUrl.equals(springUrl) && flagsUrl == null;

    // The database: a URL's own /n, else spring.data.redis.database; a Cluster has only 0.
    if (springFillsIn
        && settings.mode() != RedisConnectionSettings.Mode.CLUSTER
        && (chosenUrl == null || !URL_DATABASE.matcher(chosenUrl).find())) {
      Integer database = binder.bind("spring.data.redis.database", Integer.class).orElse(null);
      if (database != null) {
        try {
          settings = settings.withDatabase(database);
        } catch (IllegalArgumentException e) {
          throw new FlagsConfigurationException(
              "spring.data.redis.database",
              database.toString(),
              e.getMessage(),
              "Set spring.data.redis.database to 0 or a positive database number.");
        }
      }
    }

    // Credentials and TLS: flags.redis.* always wins; then a URL's own; then spring.data.redis.*.
    boolean fromUrl = chosenUrl != null;
    String user =
        first(
            string(binder, "flags.redis.username"),
            fromUrl ? null : string(binder, "spring.data.redis.username"));
    String password =
        first(
            string(binder, "flags.redis.password"),
            fromUrl ? null : string(binder, "spring.data.redis.password"));
    Boolean flagsSsl = binder.bind("flags.redis.ssl", Boolean.class).orElse(null);
    boolean springSsl =
        springFillsIn && binder.bind("spring.data.redis.ssl.enabled", Boolean.class).orElse(false);
    try {
      if (password != null) {
        settings = settings.withPassword(password);
      }
      if (user != null) {
        settings = settings.withUser(user);
      }
    } catch (IllegalArgumentException e) {
      throw new FlagsConfigurationException(
          "flags.redis.username",
          user,
          e.getMessage(),
          "Set flags.redis.password (or spring.data.redis.password) with the user.");
    }
    // rediss:// is TLS already; spring.data.redis.ssl.enabled turns TLS on for a redis:// URL too,
    // as in Boot.
    settings = settings.withSsl(flagsSsl != null ? flagsSsl : settings.ssl() || springSsl);
    if (binder.bind("flags.redis.verify-hostname", Boolean.class).orElse(false)) {
      if (!settings.ssl()) {
        throw new FlagsConfigurationException(
            "flags.redis.verify-hostname",
            "true",
            "checking the host name needs TLS, and this connection is not over TLS",
            "Use a rediss:// URL or set flags.redis.ssl=true, or remove flags.redis.verify-hostname.");
      }
      settings = settings.withVerifyHostname(true);
    }
    if (settings.mode() == RedisConnectionSettings.Mode.SENTINEL) {
      settings = sentinelCredentials(binder, settings);
    }
    Duration timeout =
        binder
            .bind("flags.redis.timeout", Duration.class)
            .orElseGet(() -> binder.bind("spring.data.redis.timeout", Duration.class).orElse(null));
    if (timeout != null) {
      try {
        settings = settings.withTimeout(timeout);
      } catch (IllegalArgumentException e) {
        throw new FlagsConfigurationException(
            "flags.redis.timeout",
            timeout.toString(),
            e.getMessage(),
            "Set flags.redis.timeout to a positive duration such as 2s.");
      }
    }
    return settings;
  }

  /**
   * The Sentinels' own credentials (their requirepass/ACL, apart from the master's): {@code
   * flags.redis.sentinel.*} wins over {@code spring.data.redis.sentinel.*}.
   */
  private static RedisConnectionSettings sentinelCredentials(
      Binder binder, RedisConnectionSettings settings) {
    String flagsUser = string(binder, "flags.redis.sentinel.username");
    String user = first(flagsUser, string(binder, "spring.data.redis.sentinel.username"));
    String password =
        first(
            string(binder, "flags.redis.sentinel.password"),
            string(binder, "spring.data.redis.sentinel.password"));
    if (user != null && password == null) {
      throw new FlagsConfigurationException(
          flagsUser != null
              ? "flags.redis.sentinel.username"
              : "spring.data.redis.sentinel.username",
          user,
          "needs a Sentinel password",
          "Set flags.redis.sentinel.password (or spring.data.redis.sentinel.password)"
              + " with the user.");
    }
    RedisConnectionSettings result = settings;
    if (password != null) {
      result = result.withSentinelPassword(password);
    }
    if (user != null) {
      result = result.withSentinelUser(user);
    }
    return result;
  }

  private static RedisConnectionSettings standalone(String property, String url) {
    try {
      return RedisConnectionSettings.standalone(url);
    } catch (IllegalArgumentException e) {
      // flags-redis may quote the URL whole in its message: never echo a password.
      String problem = String.valueOf(e.getMessage()).replace(url, mask(url));
      throw new FlagsConfigurationException(
          property, mask(url), "is not a valid Redis URL: " + problem, URL_FIX);
    }
  }

  private static RedisConnectionSettings build(
      String property,
      List<String> nodes,
      java.util.function.Supplier<RedisConnectionSettings> settings) {
    try {
      return settings.get();
    } catch (IllegalArgumentException e) {
      throw new FlagsConfigurationException(
          property,
          String.join(",", nodes),
          e.getMessage(),
          "Set " + property + " to a list of host:port.");
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
