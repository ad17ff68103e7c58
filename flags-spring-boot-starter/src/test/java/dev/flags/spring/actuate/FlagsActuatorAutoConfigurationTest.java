package dev.flags.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flags.core.Clause;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.Rollout;
import dev.flags.core.Rule;
import dev.flags.core.StoreStatus;
import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.StoreSink;
import dev.flags.spring.FlagsAutoConfiguration;
import java.lang.reflect.Method;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The endpoint and health contributor, on whichever Spring Boot line the tests run (this class
 * compiles against both: health is read by reflection, its types differ between 3.5 and 4).
 */
class FlagsActuatorAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  FlagsAutoConfiguration.class, FlagsActuatorAutoConfiguration.class))
          .withUserConfiguration(Store.class)
          .withPropertyValues("management.endpoints.web.exposure.include=flags");

  @AfterEach
  void clear() {
    RequestContextHolder.resetRequestAttributes();
  }

  @Test
  void listsFlagsWithKillDatesAndStaleness() {
    runner.run(
        context -> {
          FlagsEndpoint.FlagsReport report = context.getBean(FlagsEndpoint.class).flags();
          assertThat(report.storeStatus()).isEqualTo("OK");
          assertThat(report.count()).isEqualTo(3);
          assertThat(report.pastKillDate()).isEqualTo(1);
          assertThat(report.flags())
              .extracting(FlagsEndpoint.FlagSummary::key)
              .containsExactly("new_checkout_flow", "old_banner", "rollout_flag");
          FlagsEndpoint.FlagSummary banner = report.flags().get(1);
          assertThat(banner.killDate()).isEqualTo("2020-01-01T00:00:00Z");
          assertThat(banner.stale()).isTrue();
          assertThat(banner.owner()).isEqualTo("team-web");
        });
  }

  @Test
  void judgesKillDatesByTheApplicationsClock() {
    // Before old_banner's kill date: nothing is stale, for the endpoint, the health and the client.
    runner
        .withBean(
            Clock.class, () -> Clock.fixed(Instant.parse("2019-06-01T00:00:00Z"), ZoneOffset.UTC))
        .run(
            context -> {
              assertThat(context.getBean(FlagsEndpoint.class).flags().pastKillDate()).isZero();
              assertThat(Health.of(context).details).containsEntry("pastKillDate", 0L);
              assertThat(context.getBean(Flags.class).flagsPastKillDate()).isEmpty();
            });
  }

  @Test
  void explainsWhichRuleMatchedWithAttributesFromTheQuery() {
    runner.run(
        context -> {
          MockHttpServletRequest request = new MockHttpServletRequest();
          request.addParameter("key", "user-1");
          request.addParameter("country", "DE");
          RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
          FlagsEndpoint.FlagExplanation explanation =
              context.getBean(FlagsEndpoint.class).explain("new_checkout_flow", "user-1", null);
          assertThat(explanation.value()).isEqualTo(true);
          assertThat(explanation.reason()).isEqualTo("RULE_MATCH");
          assertThat(explanation.ruleIndex()).isEqualTo(0);
          assertThat(explanation.ruleId()).isEqualTo("dach");
          assertThat(explanation.context().attributes())
              .containsEntry("country", "DE")
              .doesNotContainKey("key");
        });
  }

  @Test
  void explainsTheRolloutBucket() {
    runner.run(
        context -> {
          FlagsEndpoint.FlagExplanation explanation =
              context.getBean(FlagsEndpoint.class).explain("rollout_flag", "user-1", null);
          assertThat(explanation.reason()).isEqualTo("FALLTHROUGH");
          assertThat(explanation.bucket()).isBetween(0, 99_999);
          assertThat(explanation.value()).isEqualTo(explanation.bucket() < 50_000);
        });
  }

  @Test
  void explainsAMissingFlag() {
    runner.run(
        context -> {
          FlagsEndpoint.FlagExplanation explanation =
              context.getBean(FlagsEndpoint.class).explain("nope", null, null);
          assertThat(explanation.exists()).isFalse();
          assertThat(explanation.reason()).isEqualTo("ERROR");
          assertThat(explanation.errorKind()).isEqualTo("FLAG_NOT_FOUND");
          assertThat(explanation.context().anonymous()).isTrue();
        });
  }

  @Test
  void noEndpointUnlessExposed() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                FlagsAutoConfiguration.class, FlagsActuatorAutoConfiguration.class))
        .run(
            context ->
                assertThat(context)
                    .doesNotHaveBean(FlagsEndpoint.class)
                    .hasBean("flagsHealthIndicator"));
  }

  @Test
  void writesAreOffByDefault() {
    runner.run(
        context ->
            assertThat(context.getBean(FlagsEndpoint.class))
                .isNotInstanceOf(WritableFlagsEndpoint.class));
  }

  @Test
  void writesChangeTheFlagWithThePrincipalAsActor() {
    runner
        .withPropertyValues("flags.actuator.write-enabled=true")
        .run(
            context -> {
              WritableFlagsEndpoint endpoint =
                  (WritableFlagsEndpoint) context.getBean(FlagsEndpoint.class);
              Principal alice = () -> "alice";
              Map<String, Object> result =
                  endpoint.change("old_banner", true, null, null, null, "ticket-1", alice);
              assertThat(result).containsEntry("actor", "alice");
              Flags flags = context.getBean(Flags.class);
              assertThat(flags.flag("old_banner").orElseThrow().on()).isTrue();
              endpoint.change("new_checkout_flow", null, null, "u-1, u-2", true, null, null);
              assertThat(flags.flag("new_checkout_flow").orElseThrow().targets().get(0).keys())
                  .containsExactlyInAnyOrder("u-1", "u-2");
              endpoint.change("old_banner", null, 100.0, null, null, null, null);
              assertThat(
                      flags.isEnabled("old_banner", dev.flags.core.EvaluationContext.of("anyone")))
                  .isTrue();
            });
  }

  @Test
  void badWritesAreBadRequestsWithTheReason() {
    runner
        .withPropertyValues("flags.actuator.write-enabled=true")
        .run(
            context -> {
              WritableFlagsEndpoint endpoint =
                  (WritableFlagsEndpoint) context.getBean(FlagsEndpoint.class);
              assertThatThrownBy(
                      () -> endpoint.change("old_banner", null, null, null, null, null, null))
                  .isInstanceOf(InvalidEndpointRequestException.class)
                  .hasMessageContaining("nothing to change")
                  .satisfies(
                      e ->
                          assertThat(((InvalidEndpointRequestException) e).getReason())
                              .contains("nothing to change"));
              assertThatThrownBy(
                      () -> endpoint.change("no_such_flag", true, null, null, null, null, null))
                  .isInstanceOf(InvalidEndpointRequestException.class)
                  .hasMessageContaining("no_such_flag");
              assertThatThrownBy(
                      () -> endpoint.change("old_banner", null, 150.0, null, null, null, null))
                  .isInstanceOf(InvalidEndpointRequestException.class)
                  .hasMessageContaining("between 0 and 100");
              assertThatThrownBy(
                      () -> endpoint.change("old_banner", null, -1.0, null, null, null, null))
                  .isInstanceOf(InvalidEndpointRequestException.class);
              assertThat(context.getBean(Flags.class).flag("old_banner").orElseThrow().on())
                  .isFalse();
            });
  }

  @Test
  void endpointBacksOffForAUserEndpoint() {
    runner
        .withBean(
            "myEndpoint", FlagsEndpoint.class, () -> new FlagsEndpoint(Flags.builder().build()))
        .run(
            context ->
                assertThat(context).hasSingleBean(FlagsEndpoint.class).hasBean("myEndpoint"));
  }

  @Test
  void noEndpointWithoutActuator() {
    runner
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean(FlagsEndpoint.class)
                    .hasSingleBean(Flags.class));
  }

  @Test
  void healthIsUpWhenTheStoreIsOk() {
    runner.run(
        context -> {
          Health health = Health.of(context);
          assertThat(health.status).isEqualTo("UP");
          assertThat(health.details)
              .containsEntry("store", "OK")
              .containsEntry("flags", 3)
              .containsEntry("pastKillDate", 1L);
        });
  }

  @Test
  void unavailableStoreIsReportedButUpByDefault() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                FlagsAutoConfiguration.class, FlagsActuatorAutoConfiguration.class))
        .withUserConfiguration(UnavailableStore.class)
        .run(
            context -> {
              Health health = Health.of(context);
              assertThat(health.status).isEqualTo("UP");
              assertThat(health.details)
                  .containsEntry("store", "UNAVAILABLE")
                  .containsKey("problem");
            });
  }

  @Test
  void unavailableStoreIsDownWhenConfigured() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                FlagsAutoConfiguration.class, FlagsActuatorAutoConfiguration.class))
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
          Flag.builder("new_checkout_flow")
              .fallthrough(false)
              .rule(Rule.when(Clause.in("country", "DE", "AT", "CH")).serve(true).withId("dach"))
              .build(),
          Flag.builder("old_banner")
              .on(false)
              .owner("team-web")
              .killDate(Instant.parse("2020-01-01T00:00:00Z"))
              .build(),
          Flag.builder("rollout_flag").fallthroughRollout(Rollout.percentage(50)).build());
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
