package dev.flags.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import dev.flags.micrometer.FlagMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
  void aFlagFileApplicationGetsMetricsWithoutJedis(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, "{\"flags\": {\"new_ui\": true, \"dark_mode\": false}}");
    runner
        .withClassLoader(
            new FilteredClassLoader("redis.clients", "dev.flags.redis", "com.github.benmanes"))
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues("flags.file.path=" + file)
        .run(
            context -> {
              assertThatThrownBy(
                      () -> context.getClassLoader().loadClass("redis.clients.jedis.Jedis"))
                  .isInstanceOf(ClassNotFoundException.class);
              assertThat(context).hasNotFailed().hasSingleBean(FlagMetrics.class);
              Flags flags = context.getBean(Flags.class);
              await().atMost(Duration.ofSeconds(10)).until(() -> flags.status() == StoreStatus.OK);
              flags.isEnabled("dark_mode", EvaluationContext.of("u"));

              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(
                      registry
                          .get(FlagMetrics.EVALUATIONS)
                          .tag("flag", "dark_mode")
                          .tag("reason", "OFF")
                          .counter()
                          .count())
                  .isEqualTo(1.0);
              assertThat(registry.get(FlagMetrics.FLAGS).gauge().value()).isEqualTo(2.0);
              assertThat(
                      registry
                          .get(FlagMetrics.STORE_STATUS)
                          .tag("source", "client")
                          .tag("status", "OK")
                          .gauge()
                          .value())
                  .isEqualTo(1.0);
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

  @Test
  void nothingWithoutFlagsMicrometer() {
    runner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withClassLoader(new FilteredClassLoader("dev.flags.micrometer"))
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(FlagMetrics.class);
              assertThat(context.getBean(MeterRegistry.class).find(FlagMetrics.FLAGS).gauge())
                  .isNull();
            });
  }

  @Test
  void canBeTurnedOff() {
    runner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues("flags.metrics.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FlagMetrics.class));
  }
}
