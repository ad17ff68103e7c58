package dev.flags.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import dev.flags.micrometer.FlagMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Micrometer binding, present when micronaut-micrometer gives a {@link MeterRegistry}. The
 * binding is tested in the shared {@code @MicronautTest} context; turning it off and running
 * without a registry each need a context of their own, with a property that changes which beans
 * exist, so those two tests start one.
 */
@MicronautTest(startApplication = false)
@Property(name = "flags.static.new_checkout_flow", value = "true")
class FlagsMetricsTest {

  @Inject MeterRegistry registry;

  @Inject Flags flags;

  @Test
  void countsEvaluationsAndBindsTheClientGauges() {
    flags.isEnabled("new_checkout_flow", EvaluationContext.of("u1"));
    flags.isEnabled("new_checkout_flow", EvaluationContext.of("u2"));
    flags.isEnabled("unknown_flag", EvaluationContext.of("u2"));

    double counted =
        registry.find(FlagMetrics.EVALUATIONS).tag("flag", "new_checkout_flow").counters().stream()
            .mapToDouble(c -> c.count())
            .sum();
    assertThat(counted).isEqualTo(2.0);
    assertThat(registry.find(FlagMetrics.FLAGS).gauge()).isNotNull();
    assertThat(registry.find(FlagMetrics.FLAGS).gauge().value()).isEqualTo(1.0);
    assertThat(registry.find(FlagMetrics.STORE_STATUS).tag("status", "OK").gauge().value())
        .isEqualTo(1.0);
  }

  @Test
  void aFlagFileApplicationGetsMetrics(@TempDir Path dir) throws Exception {
    // flags-micrometer reads flags-core only: the file store needs no Redis classes (the module's
    // ArchitectureTest keeps Redis out of every class here).
    Path file = dir.resolve("flags.json");
    Files.writeString(file, "{\"flags\": {\"new_ui\": true, \"dark_mode\": false}}");
    try (ApplicationContext context =
        ApplicationContext.run(Map.of("flags.file.path", file.toString()))) {
      Flags fileFlags = context.getBean(Flags.class);
      await().atMost(Duration.ofSeconds(10)).until(() -> fileFlags.status() == StoreStatus.OK);
      fileFlags.isEnabled("dark_mode", EvaluationContext.of("u"));

      MeterRegistry fileRegistry = context.getBean(MeterRegistry.class);
      assertThat(
              fileRegistry
                  .get(FlagMetrics.EVALUATIONS)
                  .tag("flag", "dark_mode")
                  .tag("reason", "OFF")
                  .counter()
                  .count())
          .isEqualTo(1.0);
      assertThat(fileRegistry.get(FlagMetrics.FLAGS).gauge().value()).isEqualTo(2.0);
      assertThat(
              fileRegistry
                  .get(FlagMetrics.STORE_STATUS)
                  .tag("source", "client")
                  .tag("status", "OK")
                  .gauge()
                  .value())
          .isEqualTo(1.0);
    }
  }

  @Test
  void canBeTurnedOff() {
    try (ApplicationContext context =
        ApplicationContext.run(Map.of("flags.metrics.enabled", "false"))) {
      assertThat(context.containsBean(FlagMetrics.class)).isFalse();
      assertThat(context.getBean(MeterRegistry.class).find(FlagMetrics.FLAGS).gauge()).isNull();
    }
  }

  @Test
  void isAbsentWithoutAMeterRegistry() {
    try (ApplicationContext context =
        ApplicationContext.run(Map.of("micronaut.metrics.enabled", "false"))) {
      assertThat(context.containsBean(MeterRegistry.class)).isFalse();
      assertThat(context.containsBean(FlagMetrics.class)).isFalse();
      assertThat(context.getBean(Flags.class)).isNotNull();
    }
  }
}
