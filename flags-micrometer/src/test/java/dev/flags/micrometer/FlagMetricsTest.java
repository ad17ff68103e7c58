package dev.flags.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.ThreadMXBean;
import dev.flags.core.EvaluationContext;
import dev.flags.core.EvaluationReason;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.StoreStatus;
import dev.flags.core.spi.MeasuredStore;
import dev.flags.core.spi.StoreMeasurement;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
  void keysBeyondTheLimitAreCountedAsOther() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FlagMetrics metrics = FlagMetrics.create(registry, 2);

    for (int i = 0; i < 50; i++) { // e.g. unknown keys taken from user input
      metrics.onEvaluation("key-" + i, -1, EvaluationReason.Kind.ERROR);
    }
    metrics.onEvaluation("key-0", -1, EvaluationReason.Kind.ERROR); // tagged already: stays so

    assertThat(registry.find(FlagMetrics.EVALUATIONS).counters())
        .extracting(c -> c.getId().getTag("flag"))
        .containsExactlyInAnyOrder("key-0", "key-1", FlagMetrics.OTHER_FLAGS);
    assertThat(registry.get(FlagMetrics.EVALUATIONS).tag("flag", "key-0").counter().count())
        .isEqualTo(2);
    assertThat(
            registry
                .get(FlagMetrics.EVALUATIONS)
                .tag("flag", FlagMetrics.OTHER_FLAGS)
                .counter()
                .count())
        .isEqualTo(48);
  }

  @Test
  void refusesANegativeLimit() {
    assertThatThrownBy(() -> FlagMetrics.create(new SimpleMeterRegistry(), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxFlags");
  }

  @Test
  void bindsTheClientsGauges() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Flags flags =
        Flags.builder().store(InMemoryFlagStore.of(Flag.simple("alpha", true))).build()) {
      FlagMetrics.create(registry).bind(flags);

      assertThat(registry.get(FlagMetrics.FLAGS).gauge().value()).isEqualTo(1);
      assertThat(
              registry
                  .get(FlagMetrics.STORE_STATUS)
                  .tag("source", "client")
                  .tag("status", "OK")
                  .gauge()
                  .value())
          .isEqualTo(1);
      assertThat(
              registry
                  .get(FlagMetrics.STORE_STATUS)
                  .tag("source", "client")
                  .tag("status", "STALE")
                  .gauge()
                  .value())
          .isZero();
    }
  }

  @Test
  void bindsAMeasuredStoresStatusAndMeasurementsByType() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicLong size = new AtomicLong(7);
    AtomicLong events = new AtomicLong(3);
    AtomicLong ageMillis = new AtomicLong(1_500);
    TestStore store =
        new TestStore(
            List.of(
                new StoreMeasurement(
                    "flags.test.size", StoreMeasurement.Type.GAUGE, "Size", size::get),
                new StoreMeasurement(
                    "flags.test.events", StoreMeasurement.Type.COUNTER, "Events", events::get),
                new StoreMeasurement(
                    "flags.test.age",
                    StoreMeasurement.Type.DURATION_MILLIS,
                    "Age",
                    ageMillis::get)));

    FlagMetrics.create(registry).bind(store);

    assertThat(registry.get("flags.test.size").gauge().value()).isEqualTo(7);
    assertThat(registry.get("flags.test.events").functionCounter().count()).isEqualTo(3);
    assertThat(registry.get("flags.test.age").timeGauge().value(TimeUnit.SECONDS)).isEqualTo(1.5);
    assertThat(
            registry
                .get(FlagMetrics.STORE_STATUS)
                .tag("source", "test")
                .tag("status", "STALE")
                .gauge()
                .value())
        .isEqualTo(1);

    size.set(9);
    events.set(5);
    store.status = StoreStatus.OK;

    assertThat(registry.get("flags.test.size").gauge().value()).isEqualTo(9);
    assertThat(registry.get("flags.test.events").functionCounter().count()).isEqualTo(5);
    assertThat(
            registry
                .get(FlagMetrics.STORE_STATUS)
                .tag("source", "test")
                .tag("status", "STALE")
                .gauge()
                .value())
        .isZero();
  }

  @Test
  void aStoresMeasurementsKeepReadingWhenOnlyTheHookHoldsThem() {
    // Micrometer holds a function meter's object weakly: a reader no one else held would be
    // collected and its meter would read NaN.
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicLong reconnects = new AtomicLong(4);
    FlagMetrics metrics = FlagMetrics.create(registry);
    metrics.bind(
        new TestStore(
            List.of(
                new StoreMeasurement(
                    "flags.test.reconnects",
                    StoreMeasurement.Type.COUNTER,
                    "Reconnects",
                    () -> reconnects.get()))));

    System.gc();

    assertThat(registry.get("flags.test.reconnects").functionCounter().count()).isEqualTo(4);
    assertThat(metrics).isNotNull(); // the hook lives on, as it does in an application
  }

  @Test
  void aCounterCreatedOnceIsTheOneIncremented() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FlagMetrics metrics = FlagMetrics.create(registry);
    metrics.onEvaluation("alpha", 0, EvaluationReason.Kind.OFF);
    Counter first = registry.get(FlagMetrics.EVALUATIONS).counter();
    metrics.onEvaluation("alpha", 0, EvaluationReason.Kind.OFF);
    metrics.onEvaluation(new String("alpha"), 0, EvaluationReason.Kind.OFF); // another instance

    assertThat(registry.find(FlagMetrics.EVALUATIONS).counters()).containsExactly(first);
    assertThat(first.count()).isEqualTo(3);
  }

  private static final class TestStore implements MeasuredStore {
    private final List<StoreMeasurement> measurements;
    volatile StoreStatus status = StoreStatus.STALE;

    TestStore(List<StoreMeasurement> measurements) {
      this.measurements = measurements;
    }

    @Override
    public String metricsSource() {
      return "test";
    }

    @Override
    public StoreStatus status() {
      return status;
    }

    @Override
    public List<StoreMeasurement> measurements() {
      return measurements;
    }
  }
}
