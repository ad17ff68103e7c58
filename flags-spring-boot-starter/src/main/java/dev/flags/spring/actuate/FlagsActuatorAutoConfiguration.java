package dev.flags.spring.actuate;

import dev.flags.integration.FlagsRuntime;
import dev.flags.spring.FlagsAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The {@code flags} health contributor, when Spring Boot Actuator is present: the runtime's {@code
 * HealthReport} (the same status rule and details as Micronaut's indicator and the admin API's
 * {@code /status}). The health contributor's types moved in Spring Boot 4 ({@code
 * org.springframework.boot.health.contributor}, was {@code org.springframework.boot.actuate.health}
 * in 3.5): one configuration per line, each guarded by {@code @ConditionalOnClass} on its own type,
 * by name.
 *
 * <p>There is no {@code flags} actuator endpoint any more: the admin HTTP API ({@code
 * flags.admin.*}, docs/admin-api.md) lists and explains flags, with its own roles, the same in
 * every framework.
 */
@AutoConfiguration(after = FlagsAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean(FlagsRuntime.class)
public final class FlagsActuatorAutoConfiguration {

  /** Spring Boot 4. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  @ConditionalOnProperty(
      name = "management.health.flags.enabled",
      havingValue = "true",
      matchIfMissing = true)
  static class HealthConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "flagsHealthIndicator")
    FlagsHealthIndicator flagsHealthIndicator(FlagsRuntime runtime) {
      return new FlagsHealthIndicator(runtime);
    }
  }

  /** Spring Boot 3.5. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = Boot3HealthIndicatorRegistrar.INDICATOR)
  @ConditionalOnMissingClass("org.springframework.boot.health.contributor.HealthIndicator")
  @ConditionalOnProperty(
      name = "management.health.flags.enabled",
      havingValue = "true",
      matchIfMissing = true)
  @Import(Boot3HealthIndicatorRegistrar.class)
  static class Boot3HealthConfiguration {}
}
