package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flags.core.Flag;
import dev.flags.core.JsonValue;
import dev.flags.core.Rollout;
import dev.flags.core.json.FlagCodec;
import dev.flags.testsupport.RedisServerProcess;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Admin writes against a real redis-server: validation, optimistic concurrency, audit. */
class RedisFlagAdminTest {

  private static RedisServerProcess redis;
  private RedisFlagAdmin admin;

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    try {
      RedisFlagStoreTest.assertNeverKeysNorScan(redis);
    } finally {
      redis.close();
    }
  }

  @BeforeEach
  void freshAdmin() {
    try (Jedis j = redis.jedis()) {
      j.flushAll();
    }
    admin = RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build();
  }

  @org.junit.jupiter.api.AfterEach
  void closeAdmin() {
    admin.close();
  }

  @Test
  void createStoresAFlagWithMoreThanASwitchAsJsonIndexesItAndStartsAtVersionOne() {
    VersionedFlag created =
        admin.create(
            Flag.builder("alpha").on(true).description("more than a switch").build(),
            "alice",
            "new");

    assertThat(created.version()).isEqualTo(1);
    try (Jedis j = redis.jedis()) {
      assertThat(j.get("feature:alpha")).startsWith("{");
      assertThat(FlagCodec.standard().decodeFlag("alpha", j.get("feature:alpha")))
          .isEqualTo(created.flag());
      assertThat(j.smembers("feature:#index")).containsExactly("alpha");
      assertThat(j.get("feature:#counter")).isEqualTo("1");
    }
    assertThat(admin.get("alpha")).contains(created);
  }

  @Test
  void aSimpleSwitchWrittenByTheSdkStaysReadableAsBareTrueOrFalse() {
    // Regression: a plain switch was stored as JSON, breaking services that GET feature:<key>.
    VersionedFlag created = admin.create(Flag.simple("alpha", false), "alice", "");
    try (Jedis j = redis.jedis()) {
      assertThat(j.get("feature:alpha")).isEqualTo("false");
      admin.setOn("alpha", true, "alice", "launch");
      assertThat(j.get("feature:alpha")).isEqualTo("true");
      admin.setOn("alpha", false, "alice", "kill");
      assertThat(j.get("feature:alpha")).isEqualTo("false");
      assertThat(j.hget("feature:#versions", "alpha"))
          .isEqualTo("3"); // the version lives beside it
    }
    assertThat(created.version()).isEqualTo(1);
    assertThat(admin.get("alpha").orElseThrow())
        .satisfies(v -> assertThat(v.version()).isEqualTo(3))
        .satisfies(
            v ->
                assertThat(v.flag())
                    .isEqualTo(Flag.simple("alpha", false).toBuilder().version(3).build()));
  }

  @Test
  void aSwitchWithMetadataOrRulesIsStillStoredAsJson() {
    admin.create(
        Flag.builder("owned").on(false).description("owned by payments").build(), "alice", "");
    admin.create(
        Flag.builder("ruled")
            .on(true)
            .fallthrough(false)
            .rule(dev.flags.core.Rule.when(dev.flags.core.Clause.in("country", "DE")).serve(true))
            .build(),
        "alice",
        "");
    admin.create(Flag.simple("ramped", true), "alice", "");
    admin.setOn("owned", true, "alice", "");
    admin.setRolloutPercentage("ramped", 10, "alice", "canary"); // no longer a plain switch

    try (Jedis j = redis.jedis()) {
      for (String key : List.of("owned", "ruled", "ramped")) {
        assertThat(j.get("feature:" + key)).as(key).startsWith("{");
      }
    }
    assertThat(admin.get("owned").orElseThrow().flag().metadata().description())
        .isEqualTo("owned by payments");
    assertThat(admin.get("ramped").orElseThrow().flag().fallthrough())
        .isEqualTo(Rollout.percentage(10));
  }

  @Test
  void creatingAnExistingFlagIsAConflict() {
    admin.create(Flag.simple("alpha", true), "alice", "");

    assertThatThrownBy(() -> admin.create(Flag.simple("alpha", false), "bob", ""))
        .isInstanceOf(FlagConflictException.class)
        .hasMessageContaining("already exists");
  }

  @Test
  void anUpdateNamingAnOldVersionIsRejected() {
    VersionedFlag v1 = admin.create(Flag.simple("alpha", true), "alice", "");
    admin.update(v1.flag().toBuilder().on(false).build(), v1.version(), "alice", "");

    assertThatThrownBy(
            () ->
                admin.update(
                    v1.flag().toBuilder().description("late").build(), v1.version(), "bob", ""))
        .isInstanceOfSatisfying(
            FlagConflictException.class,
            e -> {
              assertThat(e.expectedVersion()).hasValue(1);
              assertThat(e.actualVersion()).isEqualTo(2);
            });
    assertThat(admin.get("alpha").orElseThrow().flag().on()).isFalse();
  }

  @Test
  void aRawEditMovesTheVersionSoAnUpdateBasedOnTheOldValueFails() {
    VersionedFlag v1 = admin.create(Flag.simple("alpha", true), "alice", "");
    try (Jedis j = redis.jedis()) {
      j.set("feature:alpha", "false");
    }

    assertThatThrownBy(
            () ->
                admin.update(
                    v1.flag().toBuilder().description("x").build(), v1.version(), "bob", ""))
        .isInstanceOf(FlagConflictException.class);
    assertThat(admin.audit("alpha", Instant.EPOCH, Instant.now().plusSeconds(5)))
        .extracting(AuditEntry::actor)
        .containsExactly("alice", AuditEntry.RAW_EDIT_ACTOR);
  }

  @Test
  void twoWritersDoing500ConcurrentUpdatesEachLoseNothing() throws Exception {
    admin.create(Flag.builder("counter").variations(0).build(), "setup", "");
    Instant from = Instant.now().minusSeconds(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (RedisFlagAdmin second =
            RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri()))
                .maxAttempts(10_000)
                .build();
        RedisFlagAdmin first =
            RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri()))
                .maxAttempts(10_000)
                .build()) {
      List<Callable<Void>> writers =
          List.of(increments(first, "writer-1"), increments(second, "writer-2"));
      for (Future<Void> f : pool.invokeAll(writers)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    VersionedFlag last = admin.get("counter").orElseThrow();
    assertThat(((JsonValue.Num) last.flag().variations().get(0)).value().intValueExact())
        .isEqualTo(1000);
    assertThat(last.version()).isEqualTo(1001);
    List<AuditEntry> audit = admin.audit("counter", from, Instant.now().plusSeconds(5));
    assertThat(audit).hasSize(1001);
    assertThat(audit).filteredOn(e -> e.actor().startsWith("writer-")).hasSize(1000);
    assertThat(audit).extracting(AuditEntry::version).isSorted().doesNotHaveDuplicates();
  }

  private static Callable<Void> increments(RedisFlagAdmin admin, String actor) {
    return () -> {
      for (int i = 0; i < 500; i++) {
        admin.modify(
            "counter",
            f -> {
              int n = ((JsonValue.Num) f.variations().get(0)).value().intValueExact();
              return f.toBuilder().variations(n + 1).build();
            },
            actor,
            "increment");
      }
      return null;
    };
  }

  @Test
  void theAuditRecordsActorTimeBeforeAfterAndReasonAndIsQueriedByFlagAndTime() {
    admin.create(Flag.simple("alpha", false), "alice", "created for the launch");
    admin.create(Flag.simple("beta", false), "bob", "");
    // A gap in time to query around: the entries have millisecond ids (server time, this machine's
    // clock), so wait for the clock to leave the millisecond of the last one.
    long lastEntry =
        admin.audit(Instant.EPOCH, Instant.now().plusSeconds(5)).get(1).time().toEpochMilli();
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(1))
        .until(() -> Instant.now().toEpochMilli() > lastEntry);
    Instant middle = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    admin.setOn("alpha", true, "carol", "launch");
    admin.delete("alpha", "dave", "cleanup");

    List<AuditEntry> all = admin.audit("alpha", Instant.EPOCH, Instant.now().plusSeconds(5));
    List<AuditEntry> late = admin.audit("alpha", middle, Instant.now().plusSeconds(5));

    assertThat(all).extracting(AuditEntry::actor).containsExactly("alice", "carol", "dave");
    assertThat(all.get(0).before()).isEmpty();
    assertThat(all.get(0).after()).isPresent();
    assertThat(all.get(0).reason()).isEqualTo("created for the launch");
    assertThat(all.get(1).before()).isEqualTo(all.get(0).after());
    assertThat(all.get(2).after()).isEmpty();
    assertThat(all.get(2).time()).isBetween(middle, Instant.now());
    assertThat(late).extracting(AuditEntry::actor).containsExactly("carol", "dave");
    assertThat(admin.audit(Instant.EPOCH, Instant.now().plusSeconds(5)))
        .extracting(AuditEntry::flagKey)
        .containsExactly("alpha", "beta", "alpha", "alpha");
  }

  @Test
  void theAuditStreamIsTrimmedToTheConfiguredLength() {
    try (RedisFlagAdmin small =
        RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri()))
            .auditMaxLength(10)
            .build()) {
      small.create(Flag.simple("alpha", false), "alice", "");
      for (int i = 0; i < 300; i++) {
        small.setOn("alpha", i % 2 == 0, "alice", "");
      }
    }
    try (Jedis j = redis.jedis()) {
      // MAXLEN ~ trims whole macro nodes (100 entries by default), so "about" 10.
      assertThat(j.xlen("feature:#audit")).isLessThan(200);
    }
  }

  @Test
  void convenienceWritesChangeOnlyWhatTheySay() {
    admin.create(Flag.simple("alpha", true), "alice", "");

    admin.setRolloutPercentage("alpha", 12.5, "alice", "");
    admin.addTargets("alpha", 1, List.of("u1", "u2"), "alice", "");
    admin.addTargets("alpha", 0, List.of("u2", "u3"), "alice", "");
    admin.removeTargets("alpha", 0, List.of("u3"), "alice", "");
    admin.setOn("alpha", false, "alice", "");

    Flag f = admin.get("alpha").orElseThrow().flag();
    assertThat(f.on()).isFalse();
    assertThat(f.fallthrough()).isEqualTo(Rollout.percentage(12.5));
    assertThat(f.targets())
        .extracting(t -> t.variation() + ":" + new java.util.TreeSet<>(t.keys()))
        .containsExactlyInAnyOrder("1:[u1]", "0:[u2]");
  }

  @Test
  void invalidRequestsAreRejectedBeforeReachingRedis() {
    admin.create(Flag.builder("color").variations("red", "green").build(), "alice", "");

    assertThatThrownBy(() -> admin.setRolloutPercentage("color", 10, "alice", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a boolean flag");
    assertThatThrownBy(() -> admin.setRolloutPercentage("color", 101, "alice", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0..100");
    assertThatThrownBy(() -> admin.addTargets("color", 5, List.of("u1"), "alice", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("variation");
    assertThatThrownBy(() -> admin.create(Flag.simple("x", true), " ", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("actor");
    assertThatThrownBy(() -> admin.setOn("no such flag", true, "alice", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("flagKey");
    assertThatThrownBy(() -> admin.setOn("missing", true, "alice", ""))
        .isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(
            () ->
                admin.create(
                    Flag.builder("op")
                        .rule(
                            dev.flags.core.Rule.when(
                                    new dev.flags.core.Clause(
                                        "country",
                                        "equal",
                                        List.of(JsonValue.of("DE")),
                                        false,
                                        false))
                                .serve(true))
                        .build(),
                    "alice",
                    ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("equal");
    try (Jedis j = redis.jedis()) {
      assertThat(j.exists("feature:op")).isFalse();
      assertThat(j.get("feature:color")).contains("red");
    }
  }

  @Test
  void deleteReportsWhetherTheFlagExisted() {
    admin.create(Flag.simple("alpha", true), "alice", "");

    assertThat(admin.delete("alpha", "alice", "")).isTrue();
    assertThat(admin.delete("alpha", "alice", "")).isFalse();
    assertThat(admin.get("alpha")).isEmpty();
    VersionedFlag again = admin.create(Flag.simple("alpha", false), "alice", "");
    assertThat(again.version()).isEqualTo(3); // versions never go back, even across a delete
  }

  @Test
  void listReturnsTheValidFlagsSortedAndGetReportsAMalformedOne() {
    admin.create(Flag.simple("beta", true), "alice", "");
    admin.create(Flag.simple("alpha", true), "alice", "");
    try (Jedis j = redis.jedis()) {
      j.set("feature:broken", "{");
      j.sadd("feature:#index", "broken");
    }

    assertThat(admin.list()).extracting(v -> v.flag().key()).containsExactly("alpha", "beta");
    assertThatThrownBy(() -> admin.get("broken")).isInstanceOf(IllegalArgumentException.class);
    long version = admin.version("broken");
    admin.update(Flag.simple("broken", false), version, "alice", "repair");
    assertThat(admin.get("broken").orElseThrow().flag().on()).isFalse();
  }
}
