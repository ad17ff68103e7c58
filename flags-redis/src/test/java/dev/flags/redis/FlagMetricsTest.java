package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.management.ThreadMXBean;
import dev.flags.core.EvaluationContext;
import dev.flags.core.EvaluationReason;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.testsupport.RedisServerProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FlagMetricsTest {

  @Test
  void countsEvaluationsByFlagVariationAndReason() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FlagMetrics metrics = FlagMetrics.create(registry);
    try (Flags flags =
        Flags.builder()
            .store(InMemoryFlagStore.of(Flag.simple("alpha", true)))
            .evaluationHook(metrics)
            .build()) {
      for (int i = 0; i < 3; i++) {
        flags.isEnabled("alpha", EvaluationContext.of("u"));
      }
      flags.isEnabled("missing", EvaluationContext.of("u"));
    }

    assertThat(
            registry
                .get(FlagMetrics.EVALUATIONS)
                .tag("flag", "alpha")
                .tag("variation", "1")
                .tag("reason", "FALLTHROUGH")
                .counter()
                .count())
        .isEqualTo(3);
    assertThat(
            registry
                .get(FlagMetrics.EVALUATIONS)
                .tag("flag", "missing")
                .tag("variation", "default")
                .tag("reason", "ERROR")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void anEvaluationAllocatesNothingOnceItsCounterExists() {
    FlagMetrics metrics = FlagMetrics.create(new SimpleMeterRegistry());
    for (int i = 0; i < 10_000; i++) { // warm up: counters and JIT
      metrics.onEvaluation("alpha", i % 2, EvaluationReason.Kind.FALLTHROUGH);
    }
    ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();

    long before = mx.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 100_000; i++) {
      metrics.onEvaluation("alpha", i % 2, EvaluationReason.Kind.FALLTHROUGH);
    }
    long allocated = mx.getThreadAllocatedBytes(tid) - before;

    assertThat(allocated).as("bytes allocated by 100,000 evaluations").isLessThan(10_000);
  }

  @Test
  void bindsStoreAndClientGauges() {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      FlagMetrics metrics = FlagMetrics.create(registry);
      RedisFlagStore store =
          RedisFlagStore.builder(RedisConnectionSettings.standalone(redis.uri())).build();
      try (FlagAdmin admin =
          RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build()) {
        admin.create(Flag.simple("alpha", true), Change.by("alice"));
      }
      try (Flags flags = Flags.builder().store(store).evaluationHook(metrics).build()) {
        metrics.bind(flags).bind(store);
        await().atMost(Duration.ofSeconds(10)).until(() -> flags.status() == StoreStatus.OK);
        flags.isEnabled("typo", EvaluationContext.of("u"));
        flags.isEnabled("typo", EvaluationContext.of("u"));

        assertThat(
                registry
                    .get(FlagMetrics.STORE_STATUS)
                    .tag("source", "redis")
                    .tag("status", "OK")
                    .gauge()
                    .value())
            .isEqualTo(1);
        assertThat(
                registry
                    .get(FlagMetrics.STORE_STATUS)
                    .tag("source", "client")
                    .tag("status", "OK")
                    .gauge()
                    .value())
            .isEqualTo(1);
        assertThat(registry.get(FlagMetrics.FLAGS).gauge().value()).isEqualTo(1);
        assertThat(registry.get(FlagMetrics.CACHE_SIZE).gauge().value())
            .isEqualTo(2); // alpha + the typo
        assertThat(registry.get(FlagMetrics.CACHE_HITS).functionCounter().count()).isEqualTo(1);
        assertThat(registry.get(FlagMetrics.CACHE_MISSES).functionCounter().count()).isEqualTo(1);
        assertThat(registry.get(FlagMetrics.SYNC_AGE).timeGauge().value())
            .isGreaterThanOrEqualTo(0);
        assertThat(registry.get(FlagMetrics.RECONNECTS).functionCounter().count()).isZero();
        assertThat(registry.get(FlagMetrics.INVALIDATIONS).functionCounter().count()).isZero();
      }
    }
  }

  @Test
  void invalidationsCountOnlyNotificationsThatConcernFlags() {
    // Regression: every keyspace event matching the prefix was counted, internal keys included
    // (#versions, #digests, #counter, #audit: four or more per write with notifications for all).
    try (RedisServerProcess redis = RedisServerProcess.start("--notify-keyspace-events", "KEA");
        FlagAdmin admin =
            RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build()) {
      admin.create(Flag.simple("alpha", false), Change.by("alice"));
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      FlagMetrics metrics = FlagMetrics.create(registry);
      RedisFlagStore store =
          RedisFlagStore.builder(RedisConnectionSettings.standalone(redis.uri())).build();
      try (Flags flags = Flags.builder().store(store).build()) {
        metrics.bind(store);
        await().atMost(Duration.ofSeconds(15)).until(() -> flags.status() == StoreStatus.OK);

        for (int i = 0; i < 5; i++) {
          admin.setOn("alpha", i % 2 == 0, Change.by("alice"));
        }

        // Each write: its invalidation message and the keyspace event of feature:alpha.
        await()
            .atMost(Duration.ofSeconds(15))
            .during(Duration.ofSeconds(1))
            .until(() -> registry.get(FlagMetrics.INVALIDATIONS).functionCounter().count() == 10);
        assertThat(store.stats().invalidationsReceived()).isEqualTo(10);
      }
    }
  }

  @Test
  void syncAgeIsMeasuredWithTheStoresClock() {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      RedisFlagStore store =
          RedisFlagStore.builder(RedisConnectionSettings.standalone(redis.uri()))
              .clock(clock)
              .build();
      try (Flags flags = Flags.builder().store(store).build()) {
        FlagMetrics.create(registry).bind(store);
        await().atMost(Duration.ofSeconds(15)).until(() -> flags.status() == StoreStatus.OK);
        assertThat(store.stats().lastSync()).contains(clock.instant());

        clock.advance(Duration.ofSeconds(42));

        assertThat(registry.get(FlagMetrics.SYNC_AGE).timeGauge().value(TimeUnit.SECONDS))
            .isEqualTo(42);
      }
    }
  }

  private static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
