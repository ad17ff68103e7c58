package dev.flags.micronaut;

import dev.flags.core.spi.MeasuredStore;
import dev.flags.integration.FlagsRuntime;
import dev.flags.micrometer.FlagMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * Micrometer metrics ({@code flags.evaluations} by flag, variation and reason; store status and
 * flag count gauges; the store's own meters when it is a {@link MeasuredStore}, as the Redis store
 * is) when the application has a {@link MeterRegistry} bean (micronaut-micrometer) and
 * flags-micrometer, which holds {@link FlagMetrics}, is on the classpath — whatever the store: a
 * flag file needs no Jedis. Turn off with {@code flags.metrics.enabled=false}.
 */
@Factory
@Requires(classes = {MeterRegistry.class, FlagMetrics.class})
@Requires(beans = MeterRegistry.class)
@Requires(condition = Switches.Metrics.class)
class FlagsMetricsFactory {

  /** The evaluation hook the runtime registers with the client. */
  @Singleton
  public FlagMetrics flagMetrics(MeterRegistry registry) {
    return FlagMetrics.create(registry);
  }

  /**
   * Binds the client's gauges, and a measured store's, once the runtime exists (it takes the hook).
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
      if (runtime.store() instanceof MeasuredStore measured) {
        metrics.bind(measured);
      }
      return runtime;
    }
  }
}
