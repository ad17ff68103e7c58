package dev.flags.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import dev.flags.redis.FlagMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class FlagsMetricsAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  FlagsMetricsAutoConfiguration.class, FlagsAutoConfiguration.class))
          .withPropertyValues("flags.static.new_ui=true");

  @Test
  void countsEvaluationsInTheApplicationsRegistry() {
    runner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(
            context -> {
              assertThat(context).hasSingleBean(FlagMetrics.class);
              context.getBean(Flags.class).isEnabled("new_ui", EvaluationContext.of("u"));
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(
                      registry.get(FlagMetrics.EVALUATIONS).tag("flag", "new_ui").counter().count())
                  .isEqualTo(1.0);
              assertThat(registry.get(FlagMetrics.FLAGS).gauge().value()).isEqualTo(1.0);
            });
  }

  @Test
  void nothingWithoutARegistry() {
    runner.run(
        context ->
            assertThat(context).doesNotHaveBean(FlagMetrics.class).hasSingleBean(Flags.class));
  }

  @Test
  void nothingWithoutMicrometer() {
    runner
        .withClassLoader(new FilteredClassLoader("io.micrometer"))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FlagMetrics.class));
  }
}
