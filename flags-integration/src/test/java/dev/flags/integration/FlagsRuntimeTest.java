package dev.flags.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.GuardedRollout;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.ReadOnlyStoreException;
import dev.flags.core.spi.StoreSnapshot;
import dev.flags.redis.GuardedRollouts;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisFlagAdmin;
import dev.flags.testsupport.RedisServerProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlagsRuntimeTest {

  private static final EvaluationContext USER = EvaluationContext.of("user-1");

  @TempDir Path dir;

  private static FlagsRuntime runtime(String... keyValues) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return FlagsRuntime.builder(FlagsSettings.from(SettingsSource.of(m))).build();
  }

  @Test
  void thePropertiesStoreServesStaticFlagsAndIsWrittenInMemory() {
    try (FlagsRuntime r = runtime("flags.static.new_ui", "on", "flags.static.limit", "3")) {
      assertThat(r.flags().isEnabled("new_ui", USER)).isTrue();
      assertThat(r.flags().getInt("limit", USER, 0)).isEqualTo(3);
      assertThat(r.admin().readOnlyReason()).isEmpty();
      r.admin().setOn("new_ui", false, Change.by("alice"));
      assertThat(r.flags().getBoolean("new_ui", USER, true)).isFalse();
      assertThat(r.storeDescription()).isEqualTo("properties (flags.static.*, in memory)");
      assertThat(r.store()).isInstanceOf(InMemoryFlagStore.class);
      assertThat(r.health().status()).isEqualTo("OK");
      assertThat(r.lastSync()).isPresent();
    }
  }

  @Test
  void aFileStoreReadsTheFileAndItsAdminListsIt() throws IOException {
    Path file = Files.writeString(dir.resolve("flags.json"), "{\"flags\": {\"from_file\": true}}");
    try (FlagsRuntime r =
        runtime("flags.file.path", file.toString(), "flags.fail-fast-timeout", "10s")) {
      assertThat(r.flags().isEnabled("from_file", USER)).isTrue();
      assertThat(r.admin().list()).extracting(f -> f.key()).containsExactly("from_file");
      assertThat(r.storeDescription()).isEqualTo("file " + file);
    }
  }

  @Test
  void staticFlagsAreServedUntilTheStoreLoads() throws IOException {
    Path broken = Files.writeString(dir.resolve("flags.json"), "{\"flags\": ");
    try (FlagsRuntime r =
        runtime("flags.file.path", broken.toString(), "flags.static.fallback", "true")) {
      await().until(() -> r.flags().status() == StoreStatus.UNAVAILABLE);
      assertThat(r.flags().isEnabled("fallback", USER)).isTrue();
      assertThat(r.health().up()).isTrue();
    }
  }

  @Test
  void aClasspathFileIsReadOnlyAndSaysWhy() {
    try (FlagsRuntime r =
        runtime(
            "flags.file.path", "classpath:dev/flags/integration/kit/kit-flags.json",
            "flags.fail-fast-timeout", "10s")) {
      assertThat(r.flags().isEnabled("kit_file_flag", USER)).isTrue();
      assertThat(r.admin().readOnlyReason().orElseThrow())
          .contains("classpath:dev/flags/integration/kit/kit-flags.json");
      assertThatThrownBy(() -> r.admin().setOn("kit_file_flag", false, Change.by("alice")))
          .isInstanceOf(ReadOnlyStoreException.class);
      assertThat(r.admin().list()).hasSize(1);
    }
  }

  @Test
  void failFastFailsStartNamingTheSetting() throws IOException {
    Path broken = Files.writeString(dir.resolve("flags.json"), "{\"flags\": ");
    assertThatThrownBy(
            () -> runtime("flags.file.path", broken.toString(), "flags.fail-fast-timeout", "200ms"))
        .isInstanceOfSatisfying(
            FlagsConfigurationException.class,
            e -> {
              assertThat(e.property()).isEqualTo("flags.fail-fast-timeout");
              assertThat(e.value()).isEqualTo("200ms");
            });
  }

  @Test
  void anInMemoryStoreOfTheApplicationIsWrittenThroughItsAdmin() {
    InMemoryFlagStore own = InMemoryFlagStore.of(Flag.simple("own", true));
    try (FlagsRuntime r = FlagsRuntime.builder(FlagsSettings.defaults()).store(own).build()) {
      assertThat(r.admin().readOnlyReason()).isEmpty();
      r.admin().setOn("own", false, Change.by("alice"));
      assertThat(r.flags().isEnabled("own", USER)).isFalse();
      assertThat(r.store()).isSameAs(own);
    }
  }

  @Test
  void anyOtherStoreOfTheApplicationIsReadOnlyUnlessGivenAnAdmin() {
    ControlledStore own = new ControlledStore();
    try (FlagsRuntime r =
        FlagsRuntime.builder(
                FlagsSettings.from(SettingsSource.of(Map.of("flags.static.boot", "true"))))
            .store(own)
            .build()) {
      assertThat(r.flags().isEnabled("boot", USER)).as("static flags are the bootstrap").isTrue();
      own.load(StoreSnapshot.of(FlagSet.of(Flag.simple("theirs", true))));
      assertThat(r.admin().readOnlyReason().orElseThrow()).contains("FlagAdmin");
      assertThat(r.admin().list()).extracting(f -> f.key()).containsExactly("theirs");
    }
    assertThat(own.closed).isTrue();
    InMemoryFlagStore other = InMemoryFlagStore.empty();
    FlagAdmin given = other.admin();
    try (FlagsRuntime r =
        FlagsRuntime.builder(FlagsSettings.defaults())
            .store(new ControlledStore())
            .admin(given)
            .build()) {
      assertThat(r.admin()).isSameAs(given);
    }
  }

  @Test
  void redisIsReadThroughFlagsRedis() {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      // The documented layout (docs/redis-layout.md): the value, and the key in the index.
      redis.jedis().set("feature:from_redis", "true");
      redis.jedis().sadd("feature:#index", "from_redis");
      try (FlagsRuntime r =
          runtime(
              "flags.redis.url", redis.uri(),
              "flags.fail-fast-timeout", "10s",
              "flags.redis.instance-name", "test-instance")) {
        assertThat(r.settings().store()).isEqualTo(StoreKind.REDIS);
        assertThat(r.flags().isEnabled("from_redis", USER)).isTrue();
        assertThat(r.storeDescription()).isEqualTo("redis " + redis.uri());
        assertThat(r.instanceName()).isEqualTo("test-instance");
        assertThat(r.lastSync()).isPresent();
        assertThat(r.admin().list()).extracting(f -> f.key()).contains("from_redis");
      }
    }
  }

  @Test
  void anUnreachableRedisServesStaticFlagsAndIsUnavailable() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (FlagsRuntime r =
        runtime(
            "flags.redis.url", "redis://127.0.0.1:" + port,
            "flags.redis.timeout", "200ms",
            "flags.static.fallback", "true")) {
      assertThat(r.flags().isEnabled("fallback", USER)).isTrue();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> r.flags().status() == StoreStatus.UNAVAILABLE);
      assertThat(r.health().up()).isTrue();
    }
  }

  @Test
  void aRedisUrlWithAPasswordIsDescribedWithoutIt() {
    FlagsSettings s =
        FlagsSettings.from(
            SettingsSource.of(Map.of("flags.redis.url", "redis://:s3cret@127.0.0.1:1")));
    assertThat(RedisStores.describe(s.redis())).isEqualTo("redis redis://****@127.0.0.1:1");
  }

  @Test
  void guardedRolloutsCountRequestsInRedisAndRunTheControllerUntilClosed() {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      try (FlagAdmin admin =
          RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build()) {
        admin.create(
            Flag.builder("checkout")
                .fallthrough(false)
                .target(1, "early-adopter")
                .guardedRollout(GuardedRollout.DEFAULT)
                .build(),
            Change.by("test").because("the new checkout"));
      }
      try (FlagsRuntime r =
          runtime(
              "flags.redis.url", redis.uri(),
              "flags.fail-fast-timeout", "10s",
              "flags.guarded-rollouts.enabled", "true",
              "flags.guarded-rollouts.check-interval", "50ms",
              "flags.guarded-rollouts.outcome-flush-interval", "50ms")) {
        assertThat(r.guardedRollouts(GuardedRollouts.class)).isPresent();
        assertThat(r.guardedRollouts(String.class)).isEmpty();
        // The controller leads (the only instance) and starts the plan: step 1, 1%.
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> r.admin().audit(AuditQuery.flag("checkout")).get(0).actor(),
                actor -> actor.equals(GuardedRollouts.ACTOR));
        assertThat(leaseHeld(redis)).isTrue();

        RequestOutcomes outcomes = r.requestOutcomes().orElseThrow();
        RequestOutcomes.Scope request = outcomes.begin();
        assertThat(r.flags().isEnabled("checkout", EvaluationContext.of("early-adopter"))).isTrue();
        request.end(502, false);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> outcomeCount(redis, "checkout", "1:err") == 1);
        assertThat(outcomeCount(redis, "checkout", "1:ok")).isZero();
      }
      // Closed: the controller gave its lease up, so another instance leads at once.
      assertThat(leaseHeld(redis)).isFalse();
    }
  }

  @Test
  void guardedRolloutsPartsAreSwitchedOffOneByOne() {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      try (FlagsRuntime off = runtime("flags.redis.url", redis.uri())) {
        assertThat(off.requestOutcomes()).isEmpty();
        assertThat(off.guardedRollouts(GuardedRollouts.class)).isEmpty();
      }
      try (FlagsRuntime recordOnly =
          runtime(
              "flags.redis.url", redis.uri(),
              "flags.guarded-rollouts.enabled", "true",
              "flags.guarded-rollouts.controller", "false")) {
        assertThat(recordOnly.requestOutcomes()).isPresent();
        assertThat(recordOnly.guardedRollouts(GuardedRollouts.class)).isEmpty();
      }
      try (FlagsRuntime noRequests =
          runtime(
              "flags.redis.url", redis.uri(),
              "flags.guarded-rollouts.enabled", "true",
              "flags.guarded-rollouts.request-outcomes", "false")) {
        assertThat(noRequests.requestOutcomes()).isEmpty();
        assertThat(noRequests.guardedRollouts(GuardedRollouts.class)).isPresent();
      }
    }
  }

  /** A counter of a flag's outcome hashes in Redis, summed over their buckets. */
  static long outcomeCount(RedisServerProcess redis, String flag, String field) {
    long sum = 0;
    try (var jedis = redis.jedis()) {
      for (String key : jedis.keys("feature:#outcomes:" + flag + ":*")) {
        String v = jedis.hget(key, field);
        sum += v == null ? 0 : Long.parseLong(v);
      }
    }
    return sum;
  }

  private static boolean leaseHeld(RedisServerProcess redis) {
    try (var jedis = redis.jedis()) {
      return jedis.exists("feature:#rollout-lease");
    }
  }
}
