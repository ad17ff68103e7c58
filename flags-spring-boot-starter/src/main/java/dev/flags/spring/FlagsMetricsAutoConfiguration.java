package dev.flags.spring;

import dev.flags.core.spi.MeasuredStore;
import dev.flags.integration.FlagsRuntime;
import dev.flags.micrometer.FlagMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Binds the flags' metrics ({@link FlagMetrics} of flags-micrometer: evaluations by flag, variation
 * and reason; the client's status and flag count; the store's own meters when it is a {@link
 * MeasuredStore}, as the Redis store is) to the application's {@link MeterRegistry}, whatever the
 * store: a flag file needs no Jedis. Present when flags-micrometer is on the classpath. Runs after
 * Spring Boot's metrics auto-configuration (named for both Boot 4 and Boot 3.5, whose packages
 * differ) so the registry exists, and before {@link FlagsAutoConfiguration}, whose runtime takes
 * every evaluation hook. Off with {@code flags.metrics.enabled=false}.
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
    name = {"io.micrometer.core.instrument.MeterRegistry", "dev.flags.micrometer.FlagMetrics"})
@ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
@ConditionalOnProperty(name = "flags.metrics.enabled", havingValue = "true", matchIfMissing = true)
public final class FlagsMetricsAutoConfiguration {

  /** The evaluation hook and gauges; the runtime picks it up as an {@code EvaluationHook}. */
  @Bean
  @ConditionalOnMissingBean
  public FlagMetrics flagMetrics(MeterRegistry registry) {
    return FlagMetrics.create(registry);
  }

  /**
   * Registers the gauges of the client and of a store that has meters of its own ({@link
   * MeasuredStore}), once they exist; a bean named {@code flagMetricsBinder} replaces it.
   */
  @Bean
  @ConditionalOnMissingBean(name = "flagMetricsBinder")
  public SmartInitializingSingleton flagMetricsBinder(
      FlagMetrics flagMetrics, ObjectProvider<FlagsRuntime> runtime) {
    return () ->
        runtime.ifUnique(
            r -> {
              flagMetrics.bind(r.flags());
              if (r.store() instanceof MeasuredStore measured) {
                flagMetrics.bind(measured);
              }
            });
  }
}
