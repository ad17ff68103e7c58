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
  void killedRedisIsStaleAndStaysUpEvenWhenAskedToFail() {
    // Issue 12, difference 1: STALE serves the last known flags, so it is UP in every framework;
    // only UNAVAILABLE with flags.health.fail-on-unavailable=true is DOWN.
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
                assertThat(FlagsHealthTest.Health.of(context).status()).isEqualTo("UP");
                redis.kill9();
                await()
                    .atMost(Duration.ofSeconds(15))
                    .untilAsserted(
                        () -> {
                          FlagsHealthTest.Health health = FlagsHealthTest.Health.of(context);
                          assertThat(health.details()).containsEntry("status", "STALE");
                          assertThat(health.status()).isEqualTo("UP");
                        });
              });
    }
  }

  @Test
  void unreachableRedisIsDownWhenConfigured() {
    RedisServerProcess redis = RedisServerProcess.start();
    String uri = redis.uri();
    redis.close();
    runner
        .withPropertyValues("flags.redis.url=" + uri, "flags.health.fail-on-unavailable=true")
        .run(
            context ->
                await()
                    .atMost(Duration.ofSeconds(15))
                    .untilAsserted(
                        () -> {
                          FlagsHealthTest.Health health = FlagsHealthTest.Health.of(context);
                          assertThat(health.details()).containsEntry("status", "UNAVAILABLE");
                          assertThat(health.status()).isEqualTo("DOWN");
                        }));
  }
}
