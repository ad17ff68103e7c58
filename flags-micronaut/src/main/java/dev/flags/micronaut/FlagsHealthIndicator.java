package dev.flags.micronaut;

import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * The {@code flags} health indicator, from {@link Flags#status()}: OK, INITIALIZING and STALE are
 * UP (the client serves the last known or bootstrap values); UNAVAILABLE is DOWN only with {@code
 * flags.health.fail-on-unavailable=true} — by default the application stays UP, serving defaults,
 * and the details say why. Details: {@code status}, {@code initialized}, {@code flags}, {@code
 * staleFlags}. Thread-safe.
 */
@Singleton
@Requires(classes = HealthIndicator.class)
@Requires(beans = Flags.class)
@Requires(property = "endpoints.health.flags.enabled", notEquals = "false")
public class FlagsHealthIndicator implements HealthIndicator {

  /** The name of the indicator in the health report. */
  public static final String NAME = "flags";

  private final Flags flags;
  private final boolean failOnUnavailable;

  FlagsHealthIndicator(Flags flags, FlagsConfiguration config) {
    this.flags = flags;
    this.failOnUnavailable = config.getHealth().isFailOnUnavailable();
  }

  @Override
  public Publisher<HealthResult> getResult() {
    return Publishers.just(result());
  }

  HealthResult result() {
    StoreStatus status = flags.status();
    HealthStatus health =
        status == StoreStatus.UNAVAILABLE && failOnUnavailable
            ? HealthStatus.DOWN
            : HealthStatus.UP;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("status", status.name());
    details.put("initialized", flags.isInitialized());
    details.put("flags", flags.allFlags().size());
    details.put("staleFlags", flags.flagsPastKillDate().size());
    return HealthResult.builder(NAME, health).details(details).build();
  }
}
