package dev.flags.spring;

import dev.flags.core.Flags;
import dev.flags.redis.FlagMetrics;
import dev.flags.redis.RedisFlagStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Binds the flags' metrics ({@link FlagMetrics} of flags-redis: evaluations by flag, variation and
 * reason; store status; Redis replica statistics) to the application's {@link MeterRegistry}. Runs
 * after Spring Boot's metrics auto-configuration (named for both Boot 4 and Boot 3.5, whose
 * packages differ) so the registry exists, and before {@link FlagsAutoConfiguration}, whose client
 * takes every evaluation hook.
 */
@AutoConfiguration(
    before = FlagsAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration"
    })
@ConditionalOnClass(
    name = {"io.micrometer.core.instrument.MeterRegistry", "dev.flags.redis.FlagMetrics"})
@ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
public final class FlagsMetricsAutoConfiguration {

  /** The evaluation hook and gauges; the client picks it up as an {@code EvaluationHook}. */
  @Bean
  @ConditionalOnMissingBean
  public FlagMetrics flagMetrics(MeterRegistry registry) {
    return FlagMetrics.create(registry);
  }

  /**
   * Registers the gauges of the client and of the Redis store, once they exist; a bean named {@code
   * flagMetricsBinder} replaces it.
   */
  @Bean
  @ConditionalOnMissingBean(name = "flagMetricsBinder")
  public SmartInitializingSingleton flagMetricsBinder(
      FlagMetrics flagMetrics,
      ObjectProvider<Flags> flags,
      ObjectProvider<RedisFlagStore> redisStore) {
    return () -> {
      flags.ifUnique(flagMetrics::bind);
      redisStore.ifUnique(flagMetrics::bind);
    };
  }
}
