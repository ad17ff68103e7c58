package dev.flags.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisFlagAdmin;
import dev.flags.testsupport.RedisSentinelSetup;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code flags.redis.sentinel.username/password}, against real Sentinels that require a password.
 */
class RedisSentinelFlagsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void theSentinelPasswordReachesPasswordProtectedSentinels() {
    try (RedisSentinelSetup sentinel =
        RedisSentinelSetup.startWithPasswords("data-secret", "sentinel-secret")) {
      RedisConnectionSettings direct =
          RedisConnectionSettings.sentinel(RedisSentinelSetup.MASTER_NAME, sentinel.sentinelNodes())
              .withPassword("data-secret")
              .withSentinelPassword("sentinel-secret");
      try (FlagAdmin admin = RedisFlagAdmin.builder(direct).build()) {
        admin.create(Flag.simple("behind_sentinel", true), Change.by("test").because("set-up"));
      }
      try (ApplicationContext context =
          ApplicationContext.run(
              Map.of(
                  "flags.store", "redis",
                  "flags.redis.sentinel.master", RedisSentinelSetup.MASTER_NAME,
                  "flags.redis.sentinel.nodes", String.join(",", sentinel.sentinelNodes()),
                  "flags.redis.sentinel.password", "sentinel-secret",
                  "flags.redis.password", "data-secret"))) {
        Flags flags = context.getBean(Flags.class);

        await().atMost(WAIT).until(() -> flags.status() == StoreStatus.OK);
        assertThat(flags.isEnabled("behind_sentinel", EvaluationContext.of("user-1"))).isTrue();
      }
    }
  }
}
