package dev.flags.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.integration.FlagsConfigurationException;
import dev.flags.spring.FlagsAutoConfiguration;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * When the starter registers the filter that counts requests for guarded rollouts. What it counts
 * is proven over real HTTP by the parity kit (SpringRequestOutcomesParityTest). A Redis address
 * nobody listens on is enough here: the store and the controller start without Redis.
 */
class RequestOutcomesFilterTest {

  private static final String FILTER = "flagsRequestOutcomesFilter";

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  FlagsAutoConfiguration.class, FlagsWebMvcAutoConfiguration.class));

  private static String nobodyListens() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return "flags.redis.url=redis://127.0.0.1:" + s.getLocalPort();
    }
  }

  @Test
  void guardedRolloutsOffRegisterNoFilter() throws IOException {
    runner
        .withPropertyValues(nobodyListens())
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FILTER));
  }

  @Test
  void guardedRolloutsOnRegisterTheFilterFirstOfAll() throws IOException {
    runner
        .withPropertyValues(
            nobodyListens(), "flags.guarded-rollouts.enabled=true", "flags.redis.timeout=200ms")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasBean(FILTER);
              assertThat(context.getBean(FILTER)).isInstanceOf(RequestOutcomesFilter.class);
              assertThat(((RequestOutcomesFilter) context.getBean(FILTER)).getOrder())
                  .isLessThan(-105); // Spring's request context filter; Security's is -100
            });
  }

  @Test
  void requestOutcomesOffRegisterNoFilterButTheRestRuns() throws IOException {
    runner
        .withPropertyValues(
            nobodyListens(),
            "flags.guarded-rollouts.enabled=true",
            "flags.guarded-rollouts.request-outcomes=false",
            "flags.redis.timeout=200ms")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FILTER));
  }

  @Test
  void guardedRolloutsOnAFileOrPropertiesStoreStopStartNamingTheSetting() {
    runner
        .withPropertyValues("flags.guarded-rollouts.enabled=true")
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable t = context.getStartupFailure();
              while (t != null && !(t instanceof FlagsConfigurationException)) {
                t = t.getCause();
              }
              assertThat(t)
                  .isInstanceOf(FlagsConfigurationException.class)
                  .hasMessageContaining("flags.guarded-rollouts.enabled")
                  .hasMessageContaining("needs the Redis store");
            });
  }
}
