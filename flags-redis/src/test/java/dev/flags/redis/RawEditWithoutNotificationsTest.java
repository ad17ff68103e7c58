package dev.flags.redis;

import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.testsupport.RedisServerProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A server without keyspace notifications (Redis's default): raw edits still arrive, by the
 * periodic sync.
 */
class RawEditWithoutNotificationsTest {

  @Test
  void rawSetIsServedWithinOneSyncIntervalWhenNotificationsAreOff() {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      RedisConnectionSettings settings = RedisConnectionSettings.standalone(redis.uri());
      try (FlagAdmin admin = RedisFlagAdmin.builder(settings).build()) {
        admin.create(Flag.simple("beta_payment_gateway", true), Change.by("test"));
      }
      RedisFlagStore store =
          RedisFlagStore.builder(settings).syncInterval(Duration.ofMillis(300)).build();
      try (Flags flags = Flags.builder().store(store).build()) {
        EvaluationContext user = EvaluationContext.of("user-1");
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> flags.isEnabled("beta_payment_gateway", user));
        try (var jedis = redis.jedis()) {
          jedis.set("feature:beta_payment_gateway", "false"); // no counter moves, no notification
        }
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> !flags.isEnabled("beta_payment_gateway", user));
      }
    }
  }
}
