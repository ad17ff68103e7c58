package dev.flags.micronaut;

import dev.flags.core.Flags;
import dev.flags.core.spi.FlagStore;
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

  /** The evaluation hook the {@code Flags} factory registers with the client. */
  @Singleton
  public FlagMetrics flagMetrics(MeterRegistry registry) {
    return FlagMetrics.create(registry);
  }

  /** Binds the client's gauges once the client exists (it needs the hook first). */
  @Singleton
  BeanCreatedEventListener<Flags> flagMetricsClientBinder(FlagMetrics metrics) {
    return new ClientBinder(metrics);
  }

  private record ClientBinder(FlagMetrics metrics) implements BeanCreatedEventListener<Flags> {
    @Override
    public Flags onCreated(BeanCreatedEvent<Flags> event) {
      metrics.bind(event.getBean());
      return event.getBean();
    }
  }

  /** Binds the Redis store's gauges when the store is Redis. */
  @Singleton
  BeanCreatedEventListener<FlagStore> flagMetricsStoreBinder(FlagMetrics metrics) {
    return new StoreBinder(metrics);
  }

  private record StoreBinder(FlagMetrics metrics) implements BeanCreatedEventListener<FlagStore> {
    @Override
    public FlagStore onCreated(BeanCreatedEvent<FlagStore> event) {
      if (event.getBean() instanceof RedisFlagStore redis) {
        metrics.bind(redis);
      }
      return event.getBean();
    }
  }
}
