package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.testsupport.RedisServerProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's Redis example and its redis-cli kill switch, run against a real redis-server. */
class ReadmeExampleTest {

  @Test
  void readmeExampleServesFlagsFromRedisAndHonoursTheRawKillSwitch() {
    try (RedisServerProcess redis = RedisServerProcess.start("--notify-keyspace-events", "K$")) {
      String redisUrl = redis.uri();
      try (FlagAdmin admin =
          RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redisUrl)).build()) {
        admin.create(
            Flag.simple("new_checkout_flow", true), Change.by("readme").because("example"));
      }
      // tag::redis-quick-start[]
      Flags flags =
          Flags.builder()
              .store(RedisFlagStore.builder(RedisConnectionSettings.standalone(redisUrl)).build())
              .build();
      // end::redis-quick-start[]
      try (flags) {
        EvaluationContext user = EvaluationContext.of("user-1");
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> flags.isEnabled("new_checkout_flow", user));
        try (var jedis = redis.jedis()) {
          jedis.set("feature:new_checkout_flow", "false"); // what redis-cli SET does
        }
        await()
            .atMost(Duration.ofSeconds(1))
            .until(() -> !flags.isEnabled("new_checkout_flow", user));
        assertThat(flags.getBooleanDetail("new_checkout_flow", user, true).reason().kind().name())
            .isEqualTo("OFF");
      }
    }
  }
}
