package dev.flags.spring;

import dev.flags.integration.Setting;
import dev.flags.integration.SettingsSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The {@code flags.*} settings of a Spring {@link Environment}, read through a {@link Binder}, so
 * every spelling Spring Boot accepts for a key (relaxed names, environment variables, YAML lists
 * and maps) reads as the canonical key. The one Spring-specific rule: with {@code
 * flags.store=redis} and no {@code flags.redis} address, Redis is where {@code spring.data.redis.*}
 * says (Spring Boot's own defaults included, so {@code redis://localhost:6379}), with its
 * credentials, TLS switch and timeout unless {@code flags.redis.*} sets them.
 *
 * <p>Immutable once built; thread-safe.
 */
final class SpringSettingsSource implements SettingsSource {

  private static final String SPRING = "spring.data.redis.";

  private final Binder binder;
  private final Map<String, String> fromSpring;
  private final Map<String, String> origins = new LinkedHashMap<>();

  private SpringSettingsSource(Binder binder) {
    this.binder = binder;
    this.fromSpring = fromSpringDataRedis();
  }

  /** The settings of this environment. */
  static SpringSettingsSource of(Environment environment) {
    return new SpringSettingsSource(Binder.get(environment));
  }

  @Override
  public Optional<String> get(String key) {
    Optional<String> own = read(key);
    return own.isPresent() ? own : Optional.ofNullable(fromSpring.get(key));
  }

  @Override
  public Map<String, String> withPrefix(String prefix) {
    String name = prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
    // A map of strings takes every leaf below the name, whatever its depth ("kit.dotted",
    // "redis.cluster.nodes[0]"), keeping map keys as written.
    return new TreeMap<>(
        binder.bind(name, Bindable.mapOf(String.class, String.class)).orElse(Map.of()));
  }

  /** The {@code spring.data.redis.*} key a {@code flags.redis.*} value was taken from, if any. */
  Optional<String> springOrigin(String key) {
    if (!origins.containsKey(key) || !fromSpring.containsKey(key)) {
      return Optional.empty();
    }
    return read(key).isPresent() ? Optional.empty() : Optional.of(origins.get(key));
  }

  private Optional<String> read(String key) {
    boolean list = Setting.find(key).map(s -> s.type() == Setting.Type.LIST).orElse(false);
    if (list) {
      return binder
          .bind(key, Bindable.listOf(String.class))
          .map(l -> String.join(",", l))
          .map(Optional::of)
          .orElse(Optional.empty())
          .filter(s -> !s.isBlank());
    }
    return binder.bind(key, Bindable.of(String.class)).map(Optional::of).orElse(Optional.empty());
  }

  private Optional<String> spring(String key) {
    return binder
        .bind(SPRING + key, Bindable.of(String.class))
        .map(Optional::of)
        .orElse(Optional.<String>empty())
        .filter(s -> !s.isBlank());
  }

  /** What {@code spring.data.redis.*} gives {@code flags.redis.*} when nothing else does. */
  private Map<String, String> fromSpringDataRedis() {
    boolean redis =
        read(Setting.STORE.key()).map(s -> s.strip().toLowerCase(Locale.ROOT)).stream()
            .anyMatch("redis"::equals);
    boolean ownAddress =
        read(Setting.REDIS_URL.key()).isPresent()
            || read(Setting.REDIS_SENTINEL_MASTER.key()).isPresent()
            || read(Setting.REDIS_SENTINEL_NODES.key()).isPresent()
            || read(Setting.REDIS_CLUSTER_NODES.key()).isPresent();
    Map<String, String> fill = new LinkedHashMap<>();
    if (!redis || ownAddress) {
      return fill;
    }
    Optional<String> url = spring("url");
    Optional<String> master = spring("sentinel.master");
    List<String> cluster =
        binder.bind(SPRING + "cluster.nodes", Bindable.listOf(String.class)).orElse(List.of());
    boolean credentials = true;
    origins.put(Setting.REDIS_URL.key(), SPRING + (url.isPresent() ? "url" : "host"));
    origins.put(Setting.REDIS_SENTINEL_NODES.key(), SPRING + "sentinel.nodes");
    origins.put(Setting.REDIS_SENTINEL_MASTER.key(), SPRING + "sentinel.master");
    origins.put(Setting.REDIS_SENTINEL_USERNAME.key(), SPRING + "sentinel.username");
    origins.put(Setting.REDIS_CLUSTER_NODES.key(), SPRING + "cluster.nodes");
    origins.put(Setting.REDIS_USERNAME.key(), SPRING + "username");
    origins.put(Setting.REDIS_SSL.key(), SPRING + "ssl.enabled");
    origins.put(Setting.REDIS_TIMEOUT.key(), SPRING + "timeout");
    if (url.isPresent()) {
      // As in Spring Boot: the URL stands for host, port, database and credentials.
      fill.put(Setting.REDIS_URL.key(), url.get());
      credentials = false;
    } else if (master.isPresent()) {
      fill.put(Setting.REDIS_SENTINEL_MASTER.key(), master.get());
      fill.put(
          Setting.REDIS_SENTINEL_NODES.key(),
          String.join(
              ",",
              binder
                  .bind(SPRING + "sentinel.nodes", Bindable.listOf(String.class))
                  .orElse(List.of())));
      spring("sentinel.username")
          .ifPresent(v -> fill.put(Setting.REDIS_SENTINEL_USERNAME.key(), v));
      spring("sentinel.password")
          .ifPresent(v -> fill.put(Setting.REDIS_SENTINEL_PASSWORD.key(), v));
    } else if (!cluster.isEmpty()) {
      fill.put(Setting.REDIS_CLUSTER_NODES.key(), String.join(",", cluster));
    } else {
      String host = spring("host").orElse("localhost");
      String port = spring("port").orElse("6379");
      String database = spring("database").filter(d -> !d.equals("0")).map(d -> "/" + d).orElse("");
      fill.put(
          Setting.REDIS_URL.key(),
          "redis://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + database);
    }
    if (credentials) {
      spring("username").ifPresent(v -> fill.put(Setting.REDIS_USERNAME.key(), v));
      spring("password").ifPresent(v -> fill.put(Setting.REDIS_PASSWORD.key(), v));
    }
    spring("ssl.enabled").ifPresent(v -> fill.put(Setting.REDIS_SSL.key(), v));
    spring("timeout").ifPresent(v -> fill.put(Setting.REDIS_TIMEOUT.key(), v));
    return fill;
  }

  @Override
  public String toString() {
    return "the Spring Environment";
  }
}
