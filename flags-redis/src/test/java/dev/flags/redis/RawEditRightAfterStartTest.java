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
import redis.clients.jedis.Jedis;

/**
 * Regression: raw {@code SET}s made right after {@code awaitInitialization()} returned — after the
 * first load, before the store's subscription was active — were never served: with keyspace
 * notifications on, the first subscription only compared the version counter, which a raw edit does
 * not move, so the edits waited for the next reconnection. The store's change-path warm-up runs in
 * that same window, so this also shows its reads never undo a real edit.
 */
class RawEditRightAfterStartTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void aRawEditMadeRightAfterInitializationIsServed() {
    try (RedisServerProcess redis = RedisServerProcess.start("--notify-keyspace-events", "K$g");
        FlagAdmin admin =
            RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build();
        Jedis jedis = redis.jedis()) {
      admin.create(Flag.simple("banner", false), Change.by("test"));
      // The store's user may read and write every key, but not subscribe, for now.
      jedis.aclSetUser("app", "on", ">app-secret", "~*", "resetchannels", "+@all");
      String url = redis.uri().replace("redis://", "redis://app:app-secret@");
      try (Flags flags =
          Flags.builder()
              .store(RedisFlagStore.builder(RedisConnectionSettings.standalone(url)).build())
              .build()) {
        assertThat(flags.awaitInitialization(WAIT)).isTrue();
        for (int i = 0; i < 50; i++) {
          jedis.set("feature:banner", i % 2 == 0 ? "true" : "false");
        }
        jedis.set("feature:banner", "true");
        jedis.aclSetUser("app", "allchannels"); // the subscriber's next attempt succeeds
        // The periodic sync (30 s by default) is not what finds it.
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> flags.isEnabled("banner", EvaluationContext.of("user-1")));
      }
    }
  }
}
