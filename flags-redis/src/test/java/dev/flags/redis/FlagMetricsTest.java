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
import dev.flags.testsupport.RedisServerProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FlagMetricsTest {

  @Test
  void countsEvaluationsByFlagVariationAndReason() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FlagMetrics metrics = FlagMetrics.create(registry);
    try (Flags flags = Flags.builder().store(InMemoryFlagStore.of(Flag.simple("alpha", true)))
        .evaluationHook(metrics).build()) {
      for (int i = 0; i < 3; i++) {
        flags.isEnabled("alpha", EvaluationContext.of("u"));
      }
      flags.isEnabled("missing", EvaluationContext.of("u"));
    }

    assertThat(registry.get(FlagMetrics.EVALUATIONS).tag("flag", "alpha").tag("variation", "1")
        .tag("reason", "FALLTHROUGH").counter().count()).isEqualTo(3);
    assertThat(registry.get(FlagMetrics.EVALUATIONS).tag("flag", "missing").tag("variation", "default")
        .tag("reason", "ERROR").counter().count()).isEqualTo(1);
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
      RedisFlagStore store = RedisFlagStore.builder(RedisConnectionSettings.standalone(redis.uri())).build();
      try (RedisFlagAdmin admin = RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build()) {
        admin.create(Flag.simple("alpha", true), "alice", "");
      }
      try (Flags flags = Flags.builder().store(store).evaluationHook(metrics).build()) {
        metrics.bind(flags).bind(store);
        await().atMost(Duration.ofSeconds(10)).until(() -> flags.status() == StoreStatus.OK);
        flags.isEnabled("typo", EvaluationContext.of("u"));
        flags.isEnabled("typo", EvaluationContext.of("u"));

        assertThat(registry.get(FlagMetrics.STORE_STATUS).tag("source", "redis").tag("status", "OK").gauge().value())
            .isEqualTo(1);
        assertThat(registry.get(FlagMetrics.STORE_STATUS).tag("source", "client").tag("status", "OK").gauge().value())
            .isEqualTo(1);
        assertThat(registry.get(FlagMetrics.FLAGS).gauge().value()).isEqualTo(1);
        assertThat(registry.get(FlagMetrics.CACHE_SIZE).gauge().value()).isEqualTo(2); // alpha + the typo
        assertThat(registry.get(FlagMetrics.CACHE_HITS).functionCounter().count()).isEqualTo(1);
        assertThat(registry.get(FlagMetrics.CACHE_MISSES).functionCounter().count()).isEqualTo(1);
        assertThat(registry.get(FlagMetrics.SYNC_AGE).timeGauge().value()).isGreaterThanOrEqualTo(0);
        assertThat(registry.get(FlagMetrics.RECONNECTS).functionCounter().count()).isZero();
        assertThat(registry.get(FlagMetrics.INVALIDATIONS).functionCounter().count()).isZero();
      }
    }
  }
}
