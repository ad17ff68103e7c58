package dev.flags.spring.actuate;

import dev.flags.core.Flags;
import java.time.Clock;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Spring Boot 4's health indicator of the flags ({@link FlagsHealth}). */
final class FlagsHealthIndicator implements HealthIndicator {

  private final Flags flags;
  private final boolean failOnUnavailable;
  private final Clock clock;

  FlagsHealthIndicator(Flags flags, boolean failOnUnavailable, Clock clock) {
    this.flags = flags;
    this.failOnUnavailable = failOnUnavailable;
    this.clock = clock;
  }

  @Override
  public Health health() {
    FlagsHealth.Result result = FlagsHealth.check(flags, failOnUnavailable, clock);
    return Health.status(result.status()).withDetails(result.details()).build();
  }
}
