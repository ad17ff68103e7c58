package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.EvaluationReason;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.Segment;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.spi.RecordingSink;
import dev.flags.core.spi.StoreSink;
import dev.flags.core.spi.StoreSnapshot;
import dev.flags.testsupport.RedisServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Hostile values and damaged keys in Redis (issue 11): each affects only what it describes, and the
 * store never stops serving the rest.
 */
class RedisStoreRobustnessTest {

  private static final EvaluationContext USER = EvaluationContext.of("user-1");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closing(T resource) {
    toClose.add(resource);
    return resource;
  }

  private RedisServerProcess redis(String... options) {
    return closing(RedisServerProcess.start(options));
  }

  private FlagAdmin admin(RedisServerProcess redis) {
    return closing(RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build());
  }

  private static RedisFlagStore.Builder store(RedisServerProcess redis) {
    return RedisFlagStore.builder(RedisConnectionSettings.standalone(redis.uri()));
  }

  private Flags client(RedisFlagStore store) {
    Flags flags = closing(Flags.builder().store(store).build());
    assertThat(flags.awaitInitialization(WAIT)).isTrue();
    return flags;
  }

  private static Optional<EvaluationReason.ErrorKind> error(Flags flags, String key) {
    return flags.getBooleanDetail(key, USER, false).reason().errorKind();
  }

  @Test
  void largeMalformedValueAffectsOnlyThatFlag() {
    // Regression: a ~50 MB value at feature:big, listed in the index, left a client with -Xmx1g
    // uninitialized for over a minute, UNAVAILABLE with an OutOfMemoryError, every flag on
    // defaults. Now its size is checked first and it is never transferred.
    RedisServerProcess redis =
        redis("--notify-keyspace-events", "K$g", "--proto-max-bulk-len", "1gb");
    admin(redis).create(Flag.simple("good", true), Change.by("alice"));
    try (Jedis j = redis.jedis()) {
      j.set("feature:big", "{\"variations\":[" + "0,".repeat(25_000_000) + "0]}x");
      j.sadd("feature:#index", "big");
    }
    RedisFlagStore store = store(redis).build();
    Flags flags = client(store);

    assertThat(flags.isEnabled("good", USER)).isTrue();
    assertThat(error(flags, "big")).contains(EvaluationReason.ErrorKind.MALFORMED_FLAG);
    await().atMost(WAIT).until(() -> flags.status() == StoreStatus.OK);

    // The same through a single read (a raw edit seen by a keyspace notification).
    try (Jedis j = redis.jedis()) {
      j.set("feature:good", "x".repeat(2 << 20));
    }
    await()
        .atMost(WAIT)
        .until(
            () ->
                error(flags, "good")
                    .equals(Optional.of(EvaluationReason.ErrorKind.MALFORMED_FLAG)));
    assertThat(flags.status()).isEqualTo(StoreStatus.OK);
  }

  @Test
  void aValueJustUnderTheLimitIsRead() {
    RedisServerProcess redis = redis();
    try (Jedis j = redis.jedis()) {
      j.set("feature:small", "true");
      j.sadd("feature:#index", "small");
    }
    Flags flags = client(store(redis).maxValueBytes(4).build());
    assertThat(flags.isEnabled("small", USER)).isTrue();
    try (Jedis j = redis.jedis()) {
      j.set("feature:small", "false");
      j.incr("feature:#counter");
    }
    Flags fresh = client(store(redis).maxValueBytes(4).build());
    assertThat(error(fresh, "small")).contains(EvaluationReason.ErrorKind.MALFORMED_FLAG);
  }

  @Test
  void aWrongTypeFlagKeyIsMalformedForThatFlagOnly() {
    // Regression: a hash at feature:x flipped the store to STALE and forced a full reload.
    RedisServerProcess redis = redis("--notify-keyspace-events", "K$g");
    FlagAdmin admin = admin(redis);
    admin.create(Flag.simple("good", true), Change.by("alice"));
    admin.create(Flag.simple("later", true), Change.by("alice"));
    try (Jedis j = redis.jedis()) {
      j.hset("feature:x", "on", "true");
      j.sadd("feature:#index", "x");
    }
    RecordingSink sink = new RecordingSink();
    RedisFlagStore store = closing(store(redis).build());
    store.start(sink);
    Flags flags = client(store(redis).build());
    await().atMost(WAIT).until(() -> flags.status() == StoreStatus.OK);
    await().atMost(WAIT).until(() -> sink.status() == StoreStatus.OK);
    assertThat(flags.isEnabled("good", USER)).isTrue();
    assertThat(error(flags, "x")).contains(EvaluationReason.ErrorKind.MALFORMED_FLAG);

    try (Jedis j = redis.jedis()) { // a running instance sees a flag key become a hash
      j.del("feature:later");
      j.hset("feature:later", "on", "true");
    }

    await()
        .atMost(WAIT)
        .until(
            () ->
                error(flags, "later")
                    .equals(Optional.of(EvaluationReason.ErrorKind.MALFORMED_FLAG)));
    assertThat(flags.isEnabled("good", USER)).isTrue();
    assertThat(sink.events())
        .filteredOn(e -> e.kind() == RecordingSink.Kind.STATUS)
        .extracting(e -> e.detail().substring(0, e.detail().indexOf(':')))
        .containsOnly("OK");
  }

  @Test
  void damagedInternalKeysAffectOnlyWhatTheyDescribeAndAreReportedOnce() {
    // Regression: #counter = "abc" or a bad field in #versions made fresh clients UNAVAILABLE.
    RedisServerProcess redis = redis();
    FlagAdmin admin = admin(redis);
    admin.create(Flag.simple("a", true), Change.by("alice"));
    admin.create(Flag.builder("b").description("json").build(), Change.by("alice"));
    try (Jedis j = redis.jedis()) {
      j.set("feature:#counter", "abc");
      j.hset("feature:#versions", "b", "x1");
    }

    RedisFlagStore store = store(redis).syncInterval(Duration.ofMillis(100)).build();
    Flags flags = client(store);

    await().atMost(WAIT).until(() -> flags.status() == StoreStatus.OK);
    assertThat(flags.isEnabled("a", USER)).isTrue();
    assertThat(flags.flag("b")).isPresent();
    assertThat(store.problems()).contains("feature:#counter", "SET feature:#counter 0");
    assertThat(store.problems()).contains("feature:#versions", "[b]");
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(flags.statusDetail()).contains("feature:#counter"));

    try (Jedis j = redis.jedis()) { // repaired by hand
      j.set("feature:#counter", "7");
      j.hset("feature:#versions", "b", "1");
    }
    await().atMost(WAIT).until(() -> store.problems().isEmpty());
  }

  @Test
  void aForgedMessageIsCorrectedByThePeriodicSync() {
    // Regression: PUBLISH feature:#changes "paywall\n9000000000000000000\nfalse" made clients serve
    // false, which Redis never held, until the key was next written.
    RedisServerProcess redis = redis("--notify-keyspace-events", "K$g");
    admin(redis).create(Flag.simple("paywall", true), Change.by("alice"));
    Flags flags = client(store(redis).syncInterval(Duration.ofMillis(200)).build());
    await().atMost(WAIT).until(() -> flags.status() == StoreStatus.OK);

    List<Boolean> served = new java.util.concurrent.CopyOnWriteArrayList<>();
    flags.addListener(
        "paywall",
        new dev.flags.core.FlagListener() {
          @Override
          public void onFlagChanged(String flagKey) {
            served.add(flags.isEnabled("paywall", USER));
          }
        });

    try (Jedis j = redis.jedis()) {
      j.publish("feature:#changes", "paywall\n9000000000000000000\nfalse");
    }

    // The message is trusted at first (it may carry a change faster than a read), then the sync
    // finds that Redis holds another version and corrects the value.
    await().atMost(WAIT).until(() -> served.equals(List.of(false, true)));
    assertThat(flags.isEnabled("paywall", USER)).isTrue();
  }

  @Test
  void anUnknownKeyAskedForBeforeThePoolOpensIsLookedUp() {
    // Regression: a key evaluated between the first load and the pool opening was remembered as
    // missing for the whole negative TTL (10 s), without any lookup.
    RedisServerProcess redis = redis();
    AtomicReference<RedisFlagStore> self = new AtomicReference<>();
    AtomicBoolean asked = new AtomicBoolean();
    RecordingSink sink = new RecordingSink();
    StoreSink askingEarly =
        new StoreSink() {
          @Override
          public void replaceAll(StoreSnapshot snapshot) {
            sink.replaceAll(snapshot);
            if (asked.compareAndSet(false, true)) {
              // On the store's worker, right after the first load, before the pool exists.
              try (Jedis j = redis.jedis()) {
                j.set("feature:late_key", "true");
              }
              self.get().prefetch("late_key");
            }
          }

          @Override
          public void upsertFlag(Flag flag) {
            sink.upsertFlag(flag);
          }

          @Override
          public void removeFlag(String flagKey) {
            sink.removeFlag(flagKey);
          }

          @Override
          public void upsertSegment(Segment segment) {
            sink.upsertSegment(segment);
          }

          @Override
          public void removeSegment(String segmentKey) {
            sink.removeSegment(segmentKey);
          }

          @Override
          public void malformedFlag(String flagKey, String problem) {
            sink.malformedFlag(flagKey, problem);
          }

          @Override
          public void statusChanged(StoreStatus status, String detail) {
            sink.statusChanged(status, detail);
          }
        };
    RedisFlagStore store = closing(store(redis).negativeCacheTtl(Duration.ofMinutes(10)).build());
    self.set(store);
    store.start(askingEarly);

    await().atMost(WAIT).until(() -> sink.flag("late_key").map(Flag::on).orElse(false));
  }

  @Test
  void aSnapshotFileWithOneBadFlagServesAllTheOthersAndSaysSoOnce(@TempDir Path dir)
      throws Exception {
    // Regression: with {"variations":[11e1000,0]} in it, the file served 0 flags and its error was
    // logged at every reconnection attempt (7 times in 2.5 s).
    Path file = dir.resolve("flags.json");
    Files.writeString(
        file,
        "{\"flags\": {\n"
            + "  \"bad\": {\"key\":\"bad\",\"variations\":[1.1E+1001,0]},\n"
            + "  \"good\": true\n"
            + "},\n\"segments\": {\n}}\n");
    RedisServerProcess redis = redis();
    redis.kill9();
    List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Logger logger =
        java.util.logging.Logger.getLogger(RedisFlagStore.class.getName());
    java.util.logging.Handler handler =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            if (r.getMessage().contains("snapshot file")) {
              warnings.add(r.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(handler);
    try {
      RedisFlagStore store =
          store(redis).snapshotFile(file).maxReconnectDelay(Duration.ofMillis(100)).build();
      Flags flags = closing(Flags.builder().store(store).build());

      await().atMost(WAIT).until(() -> flags.isEnabled("good", USER));
      await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> flags.isEnabled("good", USER));
      assertThat(store.status()).isEqualTo(StoreStatus.STALE);
      assertThat(warnings.stream().filter(m -> m.contains("bad"))).hasSize(1);
    } finally {
      logger.removeHandler(handler);
    }
  }

  @Test
  void aFloodOfUnknownKeysIsBoundedAndNeverDelaysChanges() throws Exception {
    // Regression: 200,000 distinct unknown keys made 200,000 script calls and 200,001 cache
    // entries, and an admin write made just after reached the client 10.5 s later.
    RedisServerProcess redis = redis("--notify-keyspace-events", "K$g");
    FlagAdmin admin = admin(redis);
    admin.create(Flag.simple("switch", false), Change.by("alice"));
    RedisFlagStore store = store(redis).build();
    Flags flags = client(store);
    await().atMost(WAIT).until(() -> flags.status() == StoreStatus.OK);
    // The change-path warm-up runs read scripts of its own after start-up: not what is counted.
    await().atMost(WAIT).until(store::changePathWarmedUp);
    long scriptsBefore = redis.commandCalls("evalsha") + redis.commandCalls("eval");

    AtomicBoolean flooding = new AtomicBoolean(true);
    Thread flood =
        new Thread(
            () -> {
              for (int i = 0; i < 200_000; i++) {
                flags.isEnabled("unknown_" + i, USER);
              }
              flooding.set(false);
            });
    flood.start();
    List<Long> delaysMs = new ArrayList<>();
    boolean on = false;
    while (flooding.get() || delaysMs.size() < 5) {
      on = !on;
      boolean expected = on;
      long t0 = System.nanoTime();
      admin.setOn("switch", on, Change.by("alice").because("during the flood"));
      await().atMost(WAIT).until(() -> flags.isEnabled("switch", USER) == expected);
      delaysMs.add((System.nanoTime() - t0) / 1_000_000);
    }
    flood.join();

    // Measured propagation is a few ms; on a busy test machine, well under a second.
    assertThat(delaysMs).allSatisfy(ms -> assertThat(ms).isLessThan(1_000));
    assertThat(store.stats().cacheSize())
        .isLessThanOrEqualTo(RedisFlagStore.DEFAULT_MAX_REMEMBERED_MISSES + 1);
    await().atMost(WAIT).until(() -> store.pendingReloads() == 0);
    long scripts = redis.commandCalls("evalsha") + redis.commandCalls("eval") - scriptsBefore;
    // At most one batched lookup per 500 remembered misses, plus the writes' own reads.
    assertThat(scripts)
        .isLessThan(RedisFlagStore.DEFAULT_MAX_REMEMBERED_MISSES / Synchronizer.LOOKUP_BATCH + 100);
  }

  @Test
  void aStringAtTheIndexOrTheAuditStreamStillLetsFreshClientsServeEveryFlag() {
    // Regression: a string at #index made fresh clients UNAVAILABLE; a string at #audit made the
    // read script fail and, with it, every single-key read.
    RedisServerProcess redis = redis("--notify-keyspace-events", "K$g");
    FlagAdmin admin = admin(redis);
    admin.create(Flag.simple("a", true), Change.by("alice"));
    admin.create(Flag.builder("b").description("json").build(), Change.by("alice"));
    try (Jedis j = redis.jedis()) {
      j.del("feature:#index");
      j.set("feature:#index", "oops");
      j.del("feature:#audit");
      j.set("feature:#audit", "oops");
    }

    RedisFlagStore store = store(redis).build();
    Flags flags = client(store);

    await().atMost(WAIT).until(() -> flags.status() == StoreStatus.OK);
    assertThat(flags.isEnabled("a", USER)).isTrue(); // found by the start-up scan
    assertThat(flags.flag("b")).isPresent();
    assertThat(store.problems()).contains("feature:#index is not a set", "DEL feature:#index");

    try (Jedis j = redis.jedis()) { // a raw edit: recording it repairs #audit on the way
      j.set("feature:a", "false");
    }
    await().atMost(WAIT).until(() -> !flags.isEnabled("a", USER));
    assertThat(flags.status()).isEqualTo(StoreStatus.OK);
    try (Jedis j = redis.jedis()) {
      assertThat(j.type("feature:#audit:damaged")).isEqualTo("string");
      assertThat(j.type("feature:#audit")).isEqualTo("stream");
    }
    assertThat(admin.audit(AuditQuery.flag("a")))
        .first()
        .satisfies(e -> assertThat(e.actor()).isEqualTo(AuditEntry.RAW_EDIT_ACTOR));
  }
}
