package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.Clause;
import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.FlagListener;
import dev.flags.core.Flags;
import dev.flags.core.Rule;
import dev.flags.core.Segment;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.testsupport.RedisServerProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Redis that comes back empty (issue 18, item 2): told from deleted flags, survived, restored. */
class RedisDataLossTest {

  private static final EvaluationContext USER = EvaluationContext.of("user-1");
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closing(T resource) {
    toClose.add(resource);
    return resource;
  }

  private static RedisFlagStore.Builder store(RedisServerProcess redis) {
    return RedisFlagStore.builder(RedisConnectionSettings.standalone(redis.uri()))
        .syncInterval(Duration.ofMillis(300))
        .maxReconnectDelay(Duration.ofMillis(100));
  }

  /** Five flags (two plain, three JSON, one using a segment) and the segment. */
  private static void seed(FlagAdmin admin) {
    admin.putSegment(Segment.builder("beta").include("user-1").build(), Change.by("alice"));
    admin.create(Flag.simple("plain_on", true), Change.by("alice"));
    admin.create(Flag.simple("plain_off", false), Change.by("alice"));
    admin.create(
        Flag.builder("color").variations("red", "green").fallthroughVariation(1).build(),
        Change.by("alice"));
    admin.create(
        Flag.builder("beta_ui")
            .on(true)
            .fallthrough(false)
            .rule(Rule.when(Clause.inSegment("beta")).serve(true))
            .build(),
        Change.by("alice"));
    admin.create(
        Flag.builder("described").on(true).description("json").build(), Change.by("alice"));
  }

  /** Whether {@code flags} serves the seeded values (not a caller's default). */
  private static boolean servesSeeded(Flags flags) {
    return flags.isEnabled("plain_on", USER)
        && !flags.getBooleanDetail("plain_off", USER, true).value().equals(true)
        && flags.getString("color", USER, "default").equals("green")
        && flags.isEnabled("beta_ui", USER)
        && flags.getBoolean("described", USER, false);
  }

  @Test
  void anEmptyRestartUnderThreeInstancesIsRestoredOnceAndNoInstanceServesDefaults()
      throws Exception {
    // Regression: a non-persistent Redis killed and restarted empty made every instance drop every
    // flag, silently: status OK, every user back on defaults.
    RedisServerProcess redis = closing(RedisServerProcess.start("--notify-keyspace-events", "K$g"));
    FlagAdmin admin =
        closing(RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build());
    seed(admin);
    List<Flags> instances = new ArrayList<>();
    Set<StoreStatus> seen = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 3; i++) {
      Flags f =
          closing(
              Flags.builder().store(store(redis).instanceName("instance-" + i).build()).build());
      f.addListener(
          new FlagListener() {
            @Override
            public void onStatusChanged(StoreStatus status) {
              seen.add(status);
            }
          });
      instances.add(f);
    }
    for (Flags f : instances) {
      await().atMost(WAIT).until(() -> f.status() == StoreStatus.OK && servesSeeded(f));
    }
    Instant before = Instant.now().minusSeconds(1);

    AtomicBoolean sampling = new AtomicBoolean(true);
    AtomicLong samples = new AtomicLong();
    AtomicLong defaults = new AtomicLong();
    Thread sampler =
        new Thread(
            () -> {
              while (sampling.get()) {
                for (Flags f : instances) {
                  samples.incrementAndGet();
                  if (!servesSeeded(f)) {
                    defaults.incrementAndGet();
                  }
                }
              }
            });
    sampler.start();
    try {
      redis.kill9();
      redis.restart(); // no persistence: empty

      try (Jedis j = redis.jedis()) {
        await()
            .atMost(WAIT)
            .until(
                () ->
                    j.smembers("feature:#index").size() == 5
                        && j.smembers("feature:#segments").size() == 1);
      }
      for (Flags f : instances) {
        await().atMost(WAIT).until(() -> f.status() == StoreStatus.OK);
      }
    } finally {
      sampling.set(false);
      sampler.join();
    }

    assertThat(samples.get()).isPositive();
    assertThat(defaults.get()).as("evaluations that served a default").isZero();
    assertThat(seen).contains(StoreStatus.DATA_LOST);
    List<AuditEntry> restores =
        admin.audit(AuditQuery.builder().from(before).limit(AuditQuery.MAX_LIMIT).build()).stream()
            .filter(e -> e.reason().startsWith(DataLossGuard.RESTORE_REASON))
            .toList();
    assertThat(restores).hasSize(6); // five flags and the segment, once each
    assertThat(restores).extracting(AuditEntry::actor).containsOnly(restores.get(0).actor());
    assertThat(restores.get(0).actor()).startsWith("instance-");
    // Every flag reads back from Redis as it was, versions continuing.
    Flags fresh = closing(Flags.builder().store(store(redis).build()).build());
    await().atMost(WAIT).until(() -> fresh.status() == StoreStatus.OK && servesSeeded(fresh));
    assertThat(admin.get("plain_on").orElseThrow().version()).isGreaterThan(1);
  }

  @Test
  void deletingEveryFlagThroughTheAdminIsNotALoss() {
    RedisServerProcess redis = closing(RedisServerProcess.start());
    FlagAdmin admin =
        closing(RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build());
    seed(admin);
    Flags flags = closing(Flags.builder().store(store(redis).build()).build());
    await().atMost(WAIT).until(() -> flags.status() == StoreStatus.OK && servesSeeded(flags));
    AtomicReference<StoreStatus> worst = new AtomicReference<>(StoreStatus.OK);
    flags.addListener(
        new FlagListener() {
          @Override
          public void onStatusChanged(StoreStatus status) {
            worst.set(status);
          }
        });

    for (String k : List.of("plain_on", "plain_off", "color", "beta_ui", "described")) {
      admin.delete(k, Change.by("alice").because("cleaning up"));
    }

    await().atMost(WAIT).until(() -> flags.allFlags().isEmpty());
    await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> flags.allFlags().isEmpty());
    assertThat(worst.get()).isEqualTo(StoreStatus.OK);
  }

  @Test
  void withRestoreOffTheLastKnownFlagsAreServedAndTheLossIsReported() {
    RedisServerProcess redis = closing(RedisServerProcess.start());
    FlagAdmin admin =
        closing(RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build());
    seed(admin);
    Flags flags =
        closing(Flags.builder().store(store(redis).restoreAfterDataLoss(false).build()).build());
    await().atMost(WAIT).until(() -> flags.status() == StoreStatus.OK && servesSeeded(flags));

    try (Jedis j = redis.jedis()) {
      j.flushAll();
    }

    await().atMost(WAIT).until(() -> flags.status() == StoreStatus.DATA_LOST);
    assertThat(flags.statusDetail())
        .contains("Redis lost the flags", "restoreAfterDataLoss(false)");
    assertThat(servesSeeded(flags)).isTrue();
    await()
        .during(Duration.ofSeconds(1))
        .atMost(WAIT)
        .until(() -> flags.status() == StoreStatus.DATA_LOST && servesSeeded(flags));
    try (Jedis j = redis.jedis()) {
      assertThat(j.dbSize()).isLessThanOrEqualTo(1); // at most a new marker: nothing written back
    }
  }
}
