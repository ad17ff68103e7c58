package dev.flags.micronaut;

import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.HealthReport;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * The {@code flags} health indicator: the runtime's {@link HealthReport} as it is, the same status
 * rule and details as Spring's (DOWN only for an UNAVAILABLE store with {@code
 * flags.health.fail-on-unavailable=true}; details {@code status}, {@code detail}, {@code
 * initialized}, {@code store}, {@code flags}, {@code malformed}, {@code pastKillDate}).
 * Thread-safe.
 */
@Singleton
@Requires(classes = HealthIndicator.class)
@Requires(beans = FlagsRuntime.class)
@Requires(property = "endpoints.health.flags.enabled", notEquals = "false")
public class FlagsHealthIndicator implements HealthIndicator {

  /** The name of the indicator in the health report. */
  public static final String NAME = "flags";

  private final FlagsRuntime runtime;

  FlagsHealthIndicator(FlagsRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    return Publishers.just(result());
  }

  HealthResult result() {
    HealthReport report = runtime.health();
    return HealthResult.builder(NAME, report.up() ? HealthStatus.UP : HealthStatus.DOWN)
        .details(report.details())
        .build();
  }
}
