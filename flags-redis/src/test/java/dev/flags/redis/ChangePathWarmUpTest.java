package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.FlagListener;
import dev.flags.core.Flags;
import dev.flags.core.Rollout;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.testsupport.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The store's rehearsal of the change path ({@link ChangePathWarmUp}), on by default: it must
 * change nothing anyone serves, stores or hears, cost Redis no more than its bounded read-backs,
 * and never hide a real change made while it runs. Why it exists: "Propagation between processes"
 * in docs/benchmarks.md (a cold change path made a change reach 8 processes on 2 cores in p50 4.8
 * ms).
 */
class ChangePathWarmUpTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final EvaluationContext USER = EvaluationContext.of("user-1");

  @Test
  void theWarmUpChangesNothingServedStoredOrHeard() {
    try (RedisServerProcess redis = RedisServerProcess.start("--notify-keyspace-events", "K$g");
        FlagAdmin admin = admin(redis);
        LogCapture log = LogCapture.of(RedisFlagStore.class.getName(), Level.INFO)) {
      admin.create(
          Flag.builder("checkout").on(true).fallthroughRollout(Rollout.percentage(30)).build(),
          Change.by("test"));
      admin.create(Flag.simple("banner", false), Change.by("test"));
      Map<String, String> before = internalKeys(redis);
      List<String> heard = new CopyOnWriteArrayList<>();
      RedisFlagStore store =
          RedisFlagStore.builder(RedisConnectionSettings.standalone(redis.uri())).build();
      try (Flags flags = Flags.builder().store(store).build()) {
        assertThat(flags.awaitInitialization(WAIT)).isTrue();
        // Added once initialized: the first load's announcements are over, the warm-up has begun.
        flags.addListener(
            new FlagListener() {
              @Override
              public void onFlagChanged(String key) {
                heard.add(key);
              }
            });
        boolean checkout = flags.isEnabled("checkout", USER);
        awaitWarmUpOver(store);

        assertThat(heard).as("listeners hear no rehearsed change").isEmpty();
        assertThat(flags.isEnabled("checkout", USER)).isEqualTo(checkout);
        assertThat(flags.isEnabled("banner", USER)).isFalse();
        assertThat(flags.flag(ChangePathWarmUp.REHEARSAL_KEY)).isEmpty();
        assertThat(flags.status()).isEqualTo(StoreStatus.OK);
        assertThat(internalKeys(redis)).as("nothing written to Redis").isEqualTo(before);
        assertThat(log.warnings()).isEmpty();
      }
    }
  }

  @Test
  void theWarmUpReadsBackAtMostItsBoundAndNothingWhenTurnedOff() {
    try (RedisServerProcess redis = RedisServerProcess.start();
        FlagAdmin admin = admin(redis)) {
      admin.create(Flag.simple("banner", true), Change.by("test"));
      long off = scriptCallsOfOneStart(redis, false);
      long on = scriptCallsOfOneStart(redis, true);

      assertThat(on - off)
          .as("read-backs of the warm-up (read scripts run with it on minus with it off)")
          .isPositive()
          .isLessThanOrEqualTo(ChangePathWarmUp.MAX_READ_BACKS);
    }
  }

  private static FlagAdmin admin(RedisServerProcess redis) {
    return RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build();
  }

  /** The scripts the server ran while one store starts, warms up (or not) and closes. */
  private static long scriptCallsOfOneStart(RedisServerProcess redis, boolean warmUp) {
    long before = scriptCalls(redis);
    RedisFlagStore store =
        RedisFlagStore.builder(RedisConnectionSettings.standalone(redis.uri()))
            .warmUpChangePath(warmUp)
            .build();
    try (Flags flags = Flags.builder().store(store).build()) {
      assertThat(flags.awaitInitialization(WAIT)).isTrue();
      awaitWarmUpOver(store);
    }
    return scriptCalls(redis) - before;
  }

  private static long scriptCalls(RedisServerProcess redis) {
    try (Jedis jedis = redis.jedis()) {
      long calls = 0;
      for (String line : jedis.info("commandstats").split("\r\n")) {
        if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
          String stat = line.substring(line.indexOf("calls=") + "calls=".length());
          calls += Long.parseLong(stat.substring(0, stat.indexOf(',')));
        }
      }
      return calls;
    }
  }

  private static Map<String, String> internalKeys(RedisServerProcess redis) {
    try (Jedis jedis = redis.jedis()) {
      return Map.of(
          "counter", String.valueOf(jedis.get("feature:#counter")),
          "audit", String.valueOf(jedis.xlen("feature:#audit")),
          "checkout", String.valueOf(jedis.get("feature:checkout")),
          "banner", String.valueOf(jedis.get("feature:banner")));
    }
  }

  private static void awaitWarmUpOver(RedisFlagStore store) {
    await().atMost(WAIT).until(store::changePathWarmedUp);
  }
}
