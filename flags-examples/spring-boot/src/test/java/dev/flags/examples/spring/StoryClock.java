package dev.flags.examples.spring;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The day the example's story is told on, so its tests do not depend on today's date: after {@code
 * summer_sale_banner}'s kill date (2026-09-30), long before {@code new_checkout_flow}'s. The
 * starter judges kill dates by the application's {@link Clock} bean.
 */
@TestConfiguration(proxyBeanMethods = false)
class StoryClock {

  static final Instant TODAY = Instant.parse("2027-01-01T00:00:00Z");

  @Bean
  Clock clock() {
    return Clock.fixed(TODAY, ZoneOffset.UTC);
  }
}
