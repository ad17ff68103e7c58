package dev.flags.spring.actuate;

import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.HealthReport;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Spring Boot 4's health indicator of the flags: the runtime's {@link HealthReport}, as it is. */
final class FlagsHealthIndicator implements HealthIndicator {

  private final FlagsRuntime runtime;

  FlagsHealthIndicator(FlagsRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public Health health() {
    HealthReport report = runtime.health();
    return (report.up() ? Health.up() : Health.down()).withDetails(report.details()).build();
  }
}
