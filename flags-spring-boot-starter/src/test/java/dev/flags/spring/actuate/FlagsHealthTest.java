package dev.flags.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Flag;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.StoreStatus;
import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.StoreSink;
import dev.flags.integration.HealthReport;
import dev.flags.integration.kit.HealthKit;
import dev.flags.spring.FlagsAutoConfiguration;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The health contributor, on whichever Spring Boot line the tests run (this class compiles against
 * both: health is read by reflection, its types differ between 3.5 and 4). It renders the runtime's
 * {@link HealthReport}: the rule and the details of every framework (the parity kit's HealthKit
 * checks them over HTTP).
 */
class FlagsHealthTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  FlagsAutoConfiguration.class, FlagsActuatorAutoConfiguration.class));

  @Test
  void healthIsTheRuntimesReportWithTheFixedDetails() {
    runner
        .withUserConfiguration(Store.class)
        .run(
            context -> {
              Health health = Health.of(context);
              assertThat(health.status).isEqualTo("UP");
              assertThat(health.details.keySet()).containsExactlyElementsOf(HealthKit.DETAILS);
              assertThat(health.details)
                  .containsEntry(HealthReport.STATUS, "OK")
                  .containsEntry(HealthReport.FLAGS, 2)
                  .containsEntry(HealthReport.PAST_KILL_DATE, 1);
            });
  }

  @Test
  void unavailableStoreIsReportedButUpByDefault() {
    runner
        .withUserConfiguration(UnavailableStore.class)
        .run(
            context -> {
              Health health = Health.of(context);
              assertThat(health.status).isEqualTo("UP");
              assertThat(health.details)
                  .containsEntry(HealthReport.STATUS, "UNAVAILABLE")
                  .containsEntry(HealthReport.DETAIL, "test: unreachable");
            });
  }

  @Test
  void unavailableStoreIsDownWhenConfigured() {
    runner
        .withUserConfiguration(UnavailableStore.class)
        .withPropertyValues("flags.health.fail-on-unavailable=true")
        .run(context -> assertThat(Health.of(context).status).isEqualTo("DOWN"));
  }

  @Test
  void healthCanBeDisabled() {
    runner
        .withPropertyValues("management.health.flags.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("flagsHealthIndicator"));
  }

  @Test
  void thereIsNoFlagsActuatorEndpointAnyMore() {
    // The admin HTTP API lists and explains flags, with its roles; the old endpoint rendered a
    // second JSON for the same data, readable by whoever could reach the actuator.
    runner
        .withPropertyValues("management.endpoints.web.exposure.include=*")
        .run(
            context ->
                assertThat(
                        context.getBeanNamesForAnnotation(
                            org.springframework.boot.actuate.endpoint.annotation.Endpoint.class))
                    .isEmpty());
  }

  /** The health of the {@code flagsHealthIndicator} bean, read the same way on Boot 3.5 and 4. */
  record Health(String status, Map<String, Object> details) {
    static Health of(ApplicationContext context) throws Exception {
      Object indicator = context.getBean("flagsHealthIndicator");
      Method healthMethod = indicator.getClass().getMethod("health");
      healthMethod.setAccessible(true);
      Object health = healthMethod.invoke(indicator);
      Object status = health.getClass().getMethod("getStatus").invoke(health);
      String code = (String) status.getClass().getMethod("getCode").invoke(status);
      @SuppressWarnings("unchecked")
      Map<String, Object> details =
          (Map<String, Object>) health.getClass().getMethod("getDetails").invoke(health);
      return new Health(code, details);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Store {
    @Bean
    InMemoryFlagStore flagStore() {
      return InMemoryFlagStore.of(
          Flag.simple("new_checkout_flow", true),
          Flag.builder("old_banner")
              .on(false)
              .owner("team-web")
              .killDate(Instant.parse("2020-01-01T00:00:00Z"))
              .build());
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UnavailableStore {
    @Bean
    FlagStore flagStore() {
      return new FlagStore() {
        @Override
        public void start(StoreSink sink) {
          sink.statusChanged(StoreStatus.UNAVAILABLE, "test: unreachable");
        }

        @Override
        public void close() {}
      };
    }
  }
}
