package dev.flags.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.FlagsSettings;
import dev.flags.micrometer.FlagMetrics;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisFlagAdmin;
import dev.flags.spring.actuate.FlagsActuatorAutoConfiguration;
import dev.flags.spring.web.FlagContextResolver;
import dev.flags.spring.web.FlagsWebMvcAutoConfiguration;
import dev.flags.testsupport.RedisServerProcess;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** Every bean a user may replace: a user's bean of that type (or name) makes ours back off. */
class UserBeansBackOffTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(FlagsAutoConfiguration.class));

  @Test
  void userFlagAdminIsWhatTheRuntimeWritesThrough() {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      FlagAdmin admin =
          RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri()))
              .prefix("mine:")
              .build();
      runner
          .withPropertyValues("flags.store=redis", "flags.redis.url=" + redis.uri())
          .withBean(FlagAdmin.class, () -> admin)
          .run(
              context -> {
                assertThat(context).hasSingleBean(FlagAdmin.class);
                assertThat(context.getBean(FlagAdmin.class)).isSameAs(admin);
                assertThat(context.getBean(FlagsRuntime.class).admin()).isSameAs(admin);
              });
      admin.close();
    }
  }

  @Test
  void userRuntimeReplacesOurs() {
    FlagsRuntime mine = FlagsRuntime.builder(FlagsSettings.defaults()).build();
    runner
        .withBean(FlagsRuntime.class, () -> mine)
        .run(
            context -> {
              assertThat(context).getBean(FlagsRuntime.class).isSameAs(mine);
              assertThat(context).getBean(Flags.class).isSameAs(mine.flags());
            });
    mine.close();
  }

  @Test
  void userFlagContextResolverReplacesTheDefaultOne() {
    FlagContextResolver mine = (request, response) -> EvaluationContext.of("always-me");
    new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(FlagsAutoConfiguration.class, FlagsWebMvcAutoConfiguration.class))
        .withBean(FlagContextResolver.class, () -> mine)
        .run(context -> assertThat(context).getBean(FlagContextResolver.class).isSameAs(mine));
  }

  @Test
  void userHealthIndicatorNamedFlagsHealthIndicatorReplacesOurs() {
    // By name: the indicator's type differs between Spring Boot 3.5 and 4, this test runs on both.
    runner
        .withConfiguration(AutoConfigurations.of(FlagsActuatorAutoConfiguration.class))
        .withBean("flagsHealthIndicator", String.class, () -> "mine")
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .getBean("flagsHealthIndicator")
                    .isEqualTo("mine"));
  }

  @Test
  void userFlagMetricsAndBinderReplaceOurs() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FlagMetrics metrics = FlagMetrics.create(registry);
    SmartInitializingSingleton binder = () -> {};
    runner
        .withConfiguration(AutoConfigurations.of(FlagsMetricsAutoConfiguration.class))
        .withBean(MeterRegistry.class, () -> registry)
        .withBean(FlagMetrics.class, () -> metrics)
        .withBean("flagMetricsBinder", SmartInitializingSingleton.class, () -> binder)
        .run(
            context -> {
              assertThat(context).getBean(FlagMetrics.class).isSameAs(metrics);
              assertThat(context).getBean("flagMetricsBinder").isSameAs(binder);
              // Our binder would have bound the client's gauges.
              assertThat(registry.find(FlagMetrics.FLAGS).gauge()).isNull();
            });
  }
}
