package dev.flags.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import dev.flags.spring.FlagsAutoConfiguration;
import dev.flags.testsupport.RedisServerProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Health with a real Redis that goes away: reported, and DOWN only when configured. */
class RedisHealthTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  FlagsAutoConfiguration.class, FlagsActuatorAutoConfiguration.class));

  @Test
  void killedRedisIsReportedAsStaleButStaysUpByDefault() {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      runner
          .withPropertyValues("flags.redis.url=" + redis.uri())
          .run(
              context -> {
                Flags flags = context.getBean(Flags.class);
                await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> flags.status() == StoreStatus.OK);
                assertThat(FlagsActuatorAutoConfigurationTest.Health.of(context).status())
                    .isEqualTo("UP");
                redis.kill9();
                await()
                    .atMost(Duration.ofSeconds(15))
                    .untilAsserted(
                        () -> {
                          FlagsActuatorAutoConfigurationTest.Health health =
                              FlagsActuatorAutoConfigurationTest.Health.of(context);
                          assertThat(health.details())
                              .containsEntry("store", "STALE")
                              .containsKey("problem");
                          assertThat(health.status()).isEqualTo("UP");
                        });
              });
    }
  }

  @Test
  void killedRedisIsDownWhenConfigured() {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      runner
          .withPropertyValues(
              "flags.redis.url=" + redis.uri(), "flags.health.fail-on-unavailable=true")
          .run(
              context -> {
                Flags flags = context.getBean(Flags.class);
                await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> flags.status() == StoreStatus.OK);
                redis.kill9();
                await()
                    .atMost(Duration.ofSeconds(15))
                    .untilAsserted(
                        () ->
                            assertThat(
                                    FlagsActuatorAutoConfigurationTest.Health.of(context).status())
                                .isEqualTo("DOWN"));
              });
    }
  }
}
