package dev.flags.spring.actuate;

import dev.flags.core.Flags;
import dev.flags.spring.FlagEditor;
import dev.flags.spring.FlagsAutoConfiguration;
import dev.flags.spring.FlagsProperties;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
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
 * The {@code flags} actuator endpoint and the {@code flags} health contributor, when Spring Boot
 * Actuator is present. The health contributor's types moved in Spring Boot 4 ({@code
 * org.springframework.boot.health.contributor}, was {@code org.springframework.boot.actuate.health}
 * in 3.5): one configuration per line, each guarded by {@code @ConditionalOnClass} on its own type,
 * by name. Kill dates are judged by the application's {@link Clock} bean when it has exactly one,
 * else by the system clock in UTC.
 */
@AutoConfiguration(after = FlagsAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean({Flags.class, FlagsProperties.class})
public final class FlagsActuatorAutoConfiguration {

  /** The endpoint; writable only with {@code flags.actuator.write-enabled=true} and an editor. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name =
          "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint")
  @ConditionalOnAvailableEndpoint(endpoint = FlagsEndpoint.class)
  static class EndpointConfiguration {

    @Bean
    @ConditionalOnMissingBean
    FlagsEndpoint flagsEndpoint(
        Flags flags,
        FlagsProperties properties,
        ObjectProvider<FlagEditor> editor,
        ObjectProvider<Clock> clock) {
      FlagEditor e = editor.getIfAvailable();
      Clock c = clock.getIfUnique(Clock::systemUTC);
      if (properties.getActuator().isWriteEnabled()) {
        if (e == null) {
          throw new dev.flags.spring.FlagsConfigurationException(
              "flags.actuator.write-enabled",
              "true",
              "needs a store that can be written (properties or redis)",
              "Use flags.store=properties or redis, or define a FlagEditor bean, or set flags.actuator.write-enabled=false.");
        }
        return new WritableFlagsEndpoint(flags, e, c);
      }
      return new FlagsEndpoint(flags, c);
    }
  }

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
    FlagsHealthIndicator flagsHealthIndicator(
        Flags flags, FlagsProperties properties, ObjectProvider<Clock> clock) {
      return new FlagsHealthIndicator(
          flags, properties.getHealth().isFailOnUnavailable(), clock.getIfUnique(Clock::systemUTC));
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
