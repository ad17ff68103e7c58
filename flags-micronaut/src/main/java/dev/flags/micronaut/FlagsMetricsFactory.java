package dev.flags.micronaut;

import dev.flags.integration.FlagsRuntime;
import dev.flags.redis.FlagMetrics;
import dev.flags.redis.RedisFlagStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * Micrometer metrics ({@code flags.evaluations} by flag, variation and reason; store status and
 * flag count gauges; Redis replica gauges) when the application has a {@link MeterRegistry} bean
 * (micronaut-micrometer) and flags-redis, which holds {@link FlagMetrics}, is on the classpath.
 * Turn off with {@code flags.metrics.enabled=false}.
 */
@Factory
@Requires(classes = {MeterRegistry.class, FlagMetrics.class})
@Requires(beans = MeterRegistry.class)
@Requires(property = "flags.metrics.enabled", notEquals = "false")
class FlagsMetricsFactory {

  /** The evaluation hook the runtime registers with the client. */
  @Singleton
  public FlagMetrics flagMetrics(MeterRegistry registry) {
    return FlagMetrics.create(registry);
  }

  /**
   * Binds the client's gauges, and a Redis store's, once the runtime exists (it takes the hook).
   */
  @Singleton
  BeanCreatedEventListener<FlagsRuntime> flagMetricsBinder(FlagMetrics metrics) {
    return new Binder(metrics);
  }

  private record Binder(FlagMetrics metrics) implements BeanCreatedEventListener<FlagsRuntime> {
    @Override
    public FlagsRuntime onCreated(BeanCreatedEvent<FlagsRuntime> event) {
      FlagsRuntime runtime = event.getBean();
      metrics.bind(runtime.flags());
      if (runtime.store() instanceof RedisFlagStore redis) {
        metrics.bind(redis);
      }
      return runtime;
    }
  }
}
