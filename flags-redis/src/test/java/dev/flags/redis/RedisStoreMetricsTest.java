package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.micrometer.FlagMetrics;
import dev.flags.testsupport.RedisServerProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Redis store's meters, bound by flags-micrometer through flags-core's {@code MeasuredStore}
 * (flags-micrometer knows nothing of Redis), against a real redis-server.
 */
class RedisStoreMetricsTest {

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
        assertThat(registry.get(RedisFlagStore.METER_CACHE_SIZE).gauge().value())
            .isEqualTo(2); // alpha + the typo
        assertThat(registry.get(RedisFlagStore.METER_CACHE_HITS).functionCounter().count())
            .isEqualTo(1);
        assertThat(registry.get(RedisFlagStore.METER_CACHE_MISSES).functionCounter().count())
            .isEqualTo(1);
        assertThat(registry.get(RedisFlagStore.METER_SYNC_AGE).timeGauge().value())
            .isGreaterThanOrEqualTo(0);
        assertThat(registry.get(RedisFlagStore.METER_RECONNECTS).functionCounter().count())
            .isZero();
        assertThat(registry.get(RedisFlagStore.METER_INVALIDATIONS).functionCounter().count())
            .isZero();
        assertThat(registry.get(RedisFlagStore.METER_CACHE_FLAGS).gauge().value()).isEqualTo(1);
        assertThat(registry.get(RedisFlagStore.METER_KEYSPACE_NOTIFICATIONS).gauge().value())
            .isZero(); // the test server runs without notify-keyspace-events
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
            .until(
                () ->
                    registry.get(RedisFlagStore.METER_INVALIDATIONS).functionCounter().count()
                        == 10);
        assertThat(store.stats().invalidationsReceived()).isEqualTo(10);
        assertThat(registry.get(RedisFlagStore.METER_KEYSPACE_NOTIFICATIONS).gauge().value())
            .isEqualTo(1);
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

        assertThat(registry.get(RedisFlagStore.METER_SYNC_AGE).timeGauge().value(TimeUnit.SECONDS))
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
