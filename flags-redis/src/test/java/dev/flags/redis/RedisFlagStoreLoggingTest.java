package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.EvaluationReason;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.testsupport.RedisServerProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The store's logging promises: one line per status change, not per evaluation or per failed
 * reconnection; one line per bad version of a malformed value. The store logs through {@code
 * System.Logger}, which without another provider is {@code java.util.logging}: captured here.
 */
class RedisFlagStoreLoggingTest {

  private static final EvaluationContext USER = EvaluationContext.of("user-1");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Logger logger = Logger.getLogger(RedisFlagStore.class.getName());
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private Level previousLevel;

  @BeforeEach
  void captureTheStoresLog() {
    previousLevel = logger.getLevel();
    logger.setLevel(Level.ALL);
    logger.addHandler(capture);
  }

  @AfterEach
  void stopCapturing() {
    logger.removeHandler(capture);
    logger.setLevel(previousLevel);
  }

  private List<String> messages(String startingWith) {
    return records.stream()
        .map(LogRecord::getMessage)
        .filter(m -> m.startsWith(startingWith))
        .toList();
  }

  @Test
  void anOutageLogsOneLinePerStatusChangeNotOnePerEvaluationOrRetry() {
    // Persistent, so the restart brings the flags back: an empty restart is a data loss, with a
    // status of its own (RedisDataLossTest).
    try (RedisServerProcess redis =
            RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always");
        FlagAdmin admin =
            RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build()) {
      admin.create(Flag.simple("alpha", true), Change.by("alice"));
      RedisFlagStore store =
          RedisFlagStore.builder(RedisConnectionSettings.standalone(redis.uri()))
              .maxReconnectDelay(Duration.ofMillis(100))
              .build();
      try (Flags flags = Flags.builder().store(store).build()) {
        await().atMost(WAIT).until(() -> store.status() == StoreStatus.OK);

        redis.kill9();
        await().atMost(WAIT).until(() -> store.status() == StoreStatus.STALE);
        // Down for a while: many failed reconnections (every 100 ms at most) and evaluations.
        await()
            .atMost(WAIT)
            .during(Duration.ofSeconds(2))
            .until(
                () -> {
                  for (int i = 0; i < 10_000; i++) {
                    flags.isEnabled("alpha", USER);
                  }
                  return store.status() == StoreStatus.STALE;
                });
        redis.restart();
        await().atMost(WAIT).until(() -> store.status() == StoreStatus.OK);
      }

      List<String> statusLines = messages("flag store ");
      assertThat(statusLines)
          .extracting(m -> m.substring(0, m.indexOf(':')))
          .containsExactly("flag store OK", "flag store STALE", "flag store OK");
      // Nothing else was logged either, apart from the one-time note about keyspace notifications.
      assertThat(records)
          .extracting(LogRecord::getMessage)
          .filteredOn(
              m -> !m.startsWith("flag store ") && !m.startsWith("keyspace notifications are off"))
          .isEmpty();
    }
  }

  @Test
  void aMalformedValueIsLoggedOncePerBadVersion() {
    try (RedisServerProcess redis = RedisServerProcess.start("--notify-keyspace-events", "K$g");
        FlagAdmin admin =
            RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build()) {
      admin.create(Flag.simple("bad", true), Change.by("alice"));
      admin.create(Flag.simple("marker", false), Change.by("alice"));
      RedisFlagStore store =
          RedisFlagStore.builder(RedisConnectionSettings.standalone(redis.uri()))
              .syncInterval(Duration.ofMillis(100))
              .build();
      try (Flags flags = Flags.builder().store(store).build();
          Jedis j = redis.jedis()) {
        await().atMost(WAIT).until(() -> flags.status() == StoreStatus.OK);

        j.set("feature:bad", "{not json");
        await().atMost(WAIT).until(() -> isMalformed(flags));
        assertThat(messages("flag feature:bad in Redis is malformed")).hasSize(1);

        j.set("feature:bad", "{not json"); // the same bad value again
        rereadEverything(j, flags, store, true);
        assertThat(messages("flag feature:bad in Redis is malformed")).hasSize(1);

        j.set("feature:bad", "[another bad value"); // a new bad version
        rereadEverything(j, flags, store, false);
        assertThat(messages("flag feature:bad in Redis is malformed")).hasSize(2);
        rereadEverything(j, flags, store, true);
        assertThat(messages("flag feature:bad in Redis is malformed")).hasSize(2);
        assertThat(isMalformed(flags)).isTrue();
      }
    }
  }

  private static boolean isMalformed(Flags flags) {
    return flags
        .getBooleanDetail("bad", USER, false)
        .reason()
        .errorKind()
        .equals(Optional.of(EvaluationReason.ErrorKind.MALFORMED_FLAG));
  }

  /**
   * Waits until the store has processed everything written so far (a marker flag, written after,
   * has arrived) and then run a full reload after that point (the counter moved).
   */
  private static void rereadEverything(Jedis j, Flags flags, RedisFlagStore store, boolean marker) {
    j.set("feature:marker", Boolean.toString(marker));
    await().atMost(WAIT).until(() -> flags.isEnabled("marker", USER) == marker);
    j.incr("feature:#counter");
    // Two sync checks: the second surely began after the INCR, so a full reload followed it.
    for (int i = 0; i < 2; i++) {
      Instant before = store.stats().lastSync().orElseThrow();
      await().atMost(WAIT).until(() -> store.stats().lastSync().orElseThrow().isAfter(before));
    }
  }

  @Test
  void turningKeyspaceNotificationsOnOnASharedServerIsLoggedWithTheOldAndNewValue() {
    // Regression: the SDK changed a server-wide setting without a word.
    try (RedisServerProcess redis = RedisServerProcess.start("--notify-keyspace-events", "Ex")) {
      RedisFlagStore store =
          RedisFlagStore.builder(RedisConnectionSettings.standalone(redis.uri()))
              .enableKeyspaceNotifications(true)
              .build();
      try (Flags flags = Flags.builder().store(store).build()) {
        await().atMost(WAIT).until(() -> flags.status() == StoreStatus.OK);
      }
      assertThat(messages("set notify-keyspace-events"))
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m).contains("from \"xE\"").contains("to \"");
                assertThat(m.substring(m.indexOf("to \""))).contains("K", "$", "g");
              });
      assertThat(records)
          .filteredOn(r -> r.getMessage().startsWith("set notify-keyspace-events"))
          .extracting(LogRecord::getLevel)
          .containsExactly(Level.INFO);
    }
  }
}
