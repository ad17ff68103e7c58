package dev.flags.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * The examples of flags-micrometer's javadoc. The javadoc shows the regions between {@code @start}
 * and {@code @end} ({@code {@snippet file=… region=…}}, with this source directory as the snippet
 * path).
 */
class JavadocExamplesTest {

  @Test
  void metricsCountEvaluations() {
    MeterRegistry meterRegistry = new SimpleMeterRegistry();
    InMemoryFlagStore store = InMemoryFlagStore.of(Flag.simple("new_checkout_flow", true));
    // @start region="metrics"
    FlagMetrics metrics = FlagMetrics.create(meterRegistry);
    Flags flags = Flags.builder().store(store).evaluationHook(metrics).build();
    metrics.bind(flags); // and metrics.bind(store) for a store that is a MeasuredStore (Redis)
    // @end
    try (flags) {
      flags.isEnabled("new_checkout_flow", EvaluationContext.of("user-42"));
      assertThat(meterRegistry.get(FlagMetrics.EVALUATIONS).counter().count()).isEqualTo(1);
    }
  }
}
