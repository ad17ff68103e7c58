package dev.flags.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A wrong configuration stops the application at start-up with a message naming the property. Not a
 * {@code @MicronautTest}: every test is a start-up that must fail, each with its own configuration,
 * so each starts its own context.
 */
class ConfigurationValidationTest {

  private static void failsNaming(Map<String, Object> properties, String message) {
    assertThatThrownBy(() -> ApplicationContext.run(properties).close())
        .satisfies(e -> assertThat(messages(e)).anySatisfy(m -> assertThat(m).contains(message)));
  }

  /** The messages along the cause chain: Micronaut wraps our ConfigurationException. */
  private static List<String> messages(Throwable e) {
    List<String> out = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      out.add(String.valueOf(t.getMessage()));
    }
    return out;
  }

  @Test
  void rejectsAnUnknownStore() {
    failsNaming(
        Map.of("flags.store", "etcd"),
        "flags.store: unknown store \"etcd\"; use one of redis, file, properties");
  }

  @Test
  void fileStoreNeedsAPath() {
    failsNaming(Map.of("flags.store", "file"), "flags.file.path: required when flags.store=file");
  }

  @Test
  void redisStoreNeedsAnAddress() {
    failsNaming(Map.of("flags.store", "redis"), "flags.redis.url: required when flags.store=redis");
  }

  @Test
  void redisUrlMustBeARedisUrl() {
    failsNaming(
        Map.of("flags.store", "redis", "flags.redis.url", "http://localhost:6379"),
        "flags.redis.url: \"http://localhost:6379\" must start with redis:// or rediss://");
  }

  @Test
  void redisAddressesAreExclusive() {
    failsNaming(
        Map.of(
            "flags.store",
            "redis",
            "flags.redis.url",
            "redis://localhost:6379",
            "flags.redis.cluster.nodes",
            "localhost:7000"),
        "flags.redis: set only one of");
  }

  @Test
  void sentinelNeedsAMaster() {
    failsNaming(
        Map.of("flags.store", "redis", "flags.redis.sentinel.nodes", "localhost:26379"),
        "flags.redis.sentinel.master: required");
  }

  @Test
  void aSentinelUserNeedsASentinelPassword() {
    failsNaming(
        Map.of(
            "flags.store",
            "redis",
            "flags.redis.sentinel.master",
            "mymaster",
            "flags.redis.sentinel.nodes",
            "localhost:26379",
            "flags.redis.sentinel.username",
            "watcher",
            "flags.redis.password",
            "data-pw"),
        "flags.redis.sentinel.username: needs flags.redis.sentinel.password");
  }

  @Test
  void clusterNodesAreHostAndPort() {
    failsNaming(
        Map.of("flags.store", "redis", "flags.redis.cluster.nodes", "localhost:7000,localhost"),
        "flags.redis.cluster.nodes[1]: \"localhost\" is not host:port");
  }

  @Test
  void syncIntervalMustBePositive() {
    failsNaming(
        Map.of(
            "flags.store",
            "redis",
            "flags.redis.url",
            "redis://localhost:6379",
            "flags.redis.sync-interval",
            "-5s"),
        "flags.redis.sync-interval: must be a positive duration");
  }

  @Test
  void verifyHostnameNeedsTls() {
    failsNaming(
        Map.of(
            "flags.store",
            "redis",
            "flags.redis.url",
            "redis://localhost:6379",
            "flags.redis.verify-hostname",
            "true"),
        "flags.redis.verify-hostname: checking the host name needs TLS");
  }

  @Test
  void verifyHostnameIsBoundAndTurnsOnTheCertificateNameCheck() {
    // Redis is not there: the store connects in the background, the binding is what is checked.
    try (ApplicationContext context =
        ApplicationContext.run(
            Map.of(
                "flags.store",
                "redis",
                "flags.redis.url",
                "rediss://127.0.0.1:1",
                "flags.redis.verify-hostname",
                "true"))) {
      FlagsConfiguration.RedisConfiguration redis =
          context.getBean(FlagsConfiguration.RedisConfiguration.class);
      assertThat(RedisStores.connection(redis).verifyHostname()).isTrue();
    }
    try (ApplicationContext context =
        ApplicationContext.run(
            Map.of("flags.store", "redis", "flags.redis.url", "rediss://127.0.0.1:1"))) {
      FlagsConfiguration.RedisConfiguration redis =
          context.getBean(FlagsConfiguration.RedisConfiguration.class);
      assertThat(RedisStores.connection(redis).verifyHostname()).isFalse();
    }
  }

  @Test
  void staticFlagKeysAreChecked() {
    failsNaming(
        Map.of("flags.static.bad key", "true"), "flags.static.bad key: invalid key \"bad key\"");
  }

  @Test
  void contextHeaderMustBeAName() {
    failsNaming(
        Map.of("flags.context.header", "X User"),
        "flags.context.header: \"X User\" is not a valid name");
  }

  @Test
  void guardStatusMustBeAnErrorStatus() {
    failsNaming(
        Map.of("flags.web.guard-status", "200"),
        "flags.web.guard-status: must be an HTTP error status");
  }

  @Test
  void failFastStopsStartUpWhenTheStoreDoesNotLoad() {
    failsNaming(
        Map.of("flags.redis.url", "redis://127.0.0.1:1", "flags.fail-fast-timeout", "300ms"),
        "flags.fail-fast-timeout: the redis store did not load within PT0.3S");
  }

  @Test
  void theStoreIsInferredFromWhatIsConfigured() {
    FlagsConfiguration config = new FlagsConfiguration();
    assertThat(config.storeKind()).isEqualTo(FlagsConfiguration.StoreKind.PROPERTIES);
    config.getRedis().getCluster().setNodes(List.of("localhost:7000"));
    assertThat(config.storeKind()).isEqualTo(FlagsConfiguration.StoreKind.REDIS);
    config.getFile().setPath("/etc/flags.json");
    assertThat(config.storeKind()).isEqualTo(FlagsConfiguration.StoreKind.FILE);
    config.setStore("Redis");
    assertThat(config.storeKind()).isEqualTo(FlagsConfiguration.StoreKind.REDIS);
  }
}
