package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.EvaluationReason;
import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.spi.RecordingSink;
import dev.flags.testsupport.CommandLog;
import dev.flags.testsupport.RedisServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * The Redis store against real redis-server processes: propagation, raw edits, outages, bad data.
 */
class RedisFlagStoreTest {

  private static final EvaluationContext USER = EvaluationContext.of("user-1");
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final List<AutoCloseable> toClose = new ArrayList<>();

  private final java.util.Map<RedisServerProcess, CommandLog> logs = new java.util.HashMap<>();

  @AfterEach
  void closeAll() throws Exception {
    try {
      for (AutoCloseable resource : toClose) {
        if (resource instanceof RedisServerProcess redis && redis.isRunning()) {
          assertNeverKeysAndScanOnlyToAdopt(redis, logs.get(redis));
        }
      }
    } finally {
      for (int i = toClose.size() - 1; i >= 0; i--) {
        toClose.get(i).close();
      }
    }
  }

  /**
   * The layout promises that loading never blocks the server walking the keyspace: after every
   * test, the server saw no KEYS (since its last start), and every SCAN was the start-up adoption's
   * incremental one, over the flag prefix only.
   */
  /** For tests that start stores without watching commands: no KEYS (since the last start). */
  static void assertNeverKeys(RedisServerProcess redis) {
    assertThat(redis.commandCalls("keys")).as("KEYS on " + redis).isZero();
  }

  /** For tests that start no store: no KEYS and no SCAN at all (since the last start). */
  static void assertNeverKeysNorScan(RedisServerProcess redis) {
    for (String command : List.of("keys", "scan")) {
      assertThat(redis.commandCalls(command))
          .as(command.toUpperCase(java.util.Locale.ROOT) + " on " + redis)
          .isZero();
    }
  }

  static void assertNeverKeysAndScanOnlyToAdopt(RedisServerProcess redis, CommandLog log) {
    assertThat(redis.commandCalls("keys")).as("KEYS on " + redis).isZero();
    if (log != null) {
      assertThat(log.commands("SCAN"))
          .as("SCAN on " + redis)
          .allSatisfy(
              args ->
                  assertThat(args.subList(1, args.size()))
                      .containsExactly("MATCH", "feature:*", "COUNT", "1000"));
    }
  }

  private <T extends AutoCloseable> T closing(T resource) {
    toClose.add(resource);
    return resource;
  }

  private RedisServerProcess redis(String... options) {
    RedisServerProcess redis = closing(RedisServerProcess.start(options));
    logs.put(redis, closing(redis.monitor()));
    return redis;
  }

  private FlagAdmin admin(RedisServerProcess redis) {
    return closing(RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build());
  }

  private Flags client(RedisFlagStore store) {
    return closing(Flags.builder().store(store).build());
  }

  private static RedisFlagStore.Builder store(RedisServerProcess redis) {
    return RedisFlagStore.builder(RedisConnectionSettings.standalone(redis.uri()));
  }

  private static Flags awaitOk(Flags flags) {
    await().atMost(WAIT).until(() -> flags.status() == StoreStatus.OK);
    return flags;
  }

  @Test
  void aWriteThroughTheAdminOnOneInstanceIsSeenByAnotherThroughPubSub() {
    RedisServerProcess redis = redis();
    FlagAdmin admin = admin(redis);
    admin.create(
        Flag.simple("new_checkout_flow", false), Change.by("alice").because("launch prep"));
    Flags a = awaitOk(client(store(redis).build()));
    Flags b = awaitOk(client(store(redis).build()));
    assertThat(b.isEnabled("new_checkout_flow", USER)).isFalse();

    admin.setOn("new_checkout_flow", true, Change.by("alice").because("launch"));

    await()
        .atMost(WAIT)
        .until(
            () -> a.isEnabled("new_checkout_flow", USER) && b.isEnabled("new_checkout_flow", USER));
  }

  @Test
  void aRawSetIsSeenThroughKeyspaceNotificationsAndAuditedAsARawEdit() {
    RedisServerProcess redis = redis("--notify-keyspace-events", "K$g");
    FlagAdmin admin = admin(redis);
    admin.create(Flag.simple("new_checkout_flow", true), Change.by("alice"));
    Flags flags = awaitOk(client(store(redis).build()));
    assertThat(flags.isEnabled("new_checkout_flow", USER)).isTrue();
    Instant before = Instant.now().minusSeconds(1);

    try (Jedis j = redis.jedis()) {
      j.set("feature:new_checkout_flow", "FALSE"); // the on-call kill switch
    }

    await().atMost(WAIT).until(() -> !flags.isEnabled("new_checkout_flow", USER));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        admin.audit(
                            AuditQuery.builder().flag("new_checkout_flow").from(before).build()))
                    .filteredOn(e -> !e.actor().equals("alice"))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.actor()).isEqualTo(AuditEntry.RAW_EDIT_ACTOR);
                          assertThat(e.after()).contains("FALSE");
                          assertThat(e.before()).isPresent();
                        }));
  }

  @Test
  void flagsLoadedFromRedisCarryTheInternedKeySoLookupsCompareReferences() {
    RedisServerProcess redis = redis();
    admin(redis)
        .create(
            Flag.builder("interned_key").description("json, not a bare switch").build(),
            Change.by("alice"));
    Flags flags = awaitOk(client(store(redis).build()));

    assertThat(flags.allFlags())
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.key())
                    .isSameAs("interned_key")); // the literal is the interned instance
  }

  @Test
  void aRawSetOfAKeyMissingFromTheIndexIsPickedUpAndIndexed() {
    RedisServerProcess redis = redis("--notify-keyspace-events", "K$g");
    Flags flags = awaitOk(client(store(redis).build()));

    try (Jedis j = redis.jedis()) {
      j.set("feature:dark_mode", "true");
    }

    await().atMost(WAIT).until(() -> flags.isEnabled("dark_mode", USER));
    try (Jedis j = redis.jedis()) {
      assertThat(j.smembers("feature:#index")).contains("dark_mode");
    }
  }

  @Test
  void anUnknownKeyIsLookedUpInTheBackgroundWhenNotificationsAreOff() {
    RedisServerProcess redis = redis();
    try (Jedis j = redis.jedis()) {
      j.set("feature:legacy_switch", "true"); // written the simple way, never indexed
    }
    Flags flags = awaitOk(client(store(redis).adoptRawKeysAtStart(false).build()));

    EvaluationReason first = flags.getBooleanDetail("legacy_switch", USER, false).reason();

    assertThat(first.errorKind()).contains(EvaluationReason.ErrorKind.FLAG_NOT_FOUND);
    await().atMost(WAIT).until(() -> flags.isEnabled("legacy_switch", USER));
  }

  @Test
  void rawKeysAreServedFromTheFirstEvaluationAfterInitialization() {
    // Regression: a flag written only with redis-cli answered the caller's default for the first
    // evaluations after awaitInitialization() returned, until the background lookup found it.
    RedisServerProcess redis = redis();
    try (Jedis j = redis.jedis()) {
      j.set("feature:raw_flag", "true");
      j.set(
          "feature:other_raw",
          "{\"on\": true, \"variations\": [\"a\", \"b\"],"
              + " \"fallthrough\": {\"variation\": 1}}");
      for (int i = 0; i < 3000; i++) {
        j.set("session:" + i, "unrelated");
      }
    }
    Flags flags = client(store(redis).build());
    assertThat(flags.awaitInitialization(WAIT)).isTrue();

    for (int i = 0; i < 5; i++) {
      assertThat(flags.isEnabled("raw_flag", USER)).isTrue();
    }
    assertThat(flags.getString("other_raw", USER, "default")).isEqualTo("b");
    // Then indexed and audited like any raw edit, by one instance.
    try (Jedis j = redis.jedis()) {
      await()
          .atMost(WAIT)
          .until(() -> j.smembers("feature:#index").containsAll(List.of("raw_flag", "other_raw")));
      assertThat(j.hget("feature:#versions", "raw_flag")).isEqualTo("1");
      assertThat(j.xlen("feature:#audit")).isEqualTo(2);
    }
    // About 3,000 keys, some 1,000 a step (COUNT is a hint), once.
    assertThat(redis.commandCalls("scan")).isBetween(2L, 10L);
  }

  @Test
  void startUpAdoptionCanBeTurnedOffAndThenNoScanIsMade() {
    RedisServerProcess redis = redis();
    try (Jedis j = redis.jedis()) {
      j.set("feature:raw_flag", "true");
    }
    Flags flags = client(store(redis).adoptRawKeysAtStart(false).build());
    assertThat(flags.awaitInitialization(WAIT)).isTrue();

    assertThat(flags.getBooleanDetail("raw_flag", USER, false).reason().errorKind())
        .contains(EvaluationReason.ErrorKind.FLAG_NOT_FOUND);
    assertThat(redis.commandCalls("scan")).isZero();
    await().atMost(WAIT).until(() -> flags.isEnabled("raw_flag", USER)); // the lookup finds it
  }

  @Test
  void aRawValueWithWhiteSpaceAroundTrueIsMalformedNotOn() {
    // A plain reader does value.lower() == 'true', which " true" is not: rather than serve true
    // where such a service serves false, the store reports the value.
    RedisServerProcess redis = redis();
    try (Jedis j = redis.jedis()) {
      j.set("feature:spaced", " true");
      j.set("feature:spaced_off", "false\n");
      j.set("feature:upper", "TRUE");
    }
    Flags flags = client(store(redis).build());
    assertThat(flags.awaitInitialization(WAIT)).isTrue();

    assertThat(flags.getBooleanDetail("spaced", USER, false).reason().errorKind())
        .contains(EvaluationReason.ErrorKind.MALFORMED_FLAG);
    assertThat(flags.getBooleanDetail("spaced_off", USER, false).reason().errorKind())
        .contains(EvaluationReason.ErrorKind.MALFORMED_FLAG);
    assertThat(flags.isEnabled("upper", USER)).isTrue(); // "TRUE".lower() == "true"
  }

  @Test
  void aMistypedKeyIsRememberedAsMissingSoItCostsOneLookup() {
    RedisServerProcess redis = redis();
    RedisFlagStore store = store(redis).build();
    Flags flags = awaitOk(client(store));

    for (int i = 0; i < 1000; i++) {
      assertThat(flags.isEnabled("new_chekout_flow", USER)).isFalse();
    }

    RedisStoreStats stats = store.stats();
    assertThat(stats.cacheMisses()).isEqualTo(1);
    assertThat(stats.cacheHits()).isEqualTo(999);
  }

  @Test
  void aMissIsLookedUpAgainOnlyAfterTheNegativeTtl() {
    RedisServerProcess redis = redis();
    AtomicLong nanos = new AtomicLong();
    RedisFlagStore store =
        store(redis).negativeCacheTtl(Duration.ofSeconds(10)).ticker(nanos::get).build();
    Flags flags = awaitOk(client(store));
    flags.isEnabled("late_flag", USER);
    await().atMost(WAIT).until(() -> store.pendingReloads() == 0);
    try (Jedis j = redis.jedis()) {
      j.set("feature:late_flag", "true"); // no notifications: only a new lookup finds it
    }

    nanos.addAndGet(Duration.ofSeconds(9).toNanos());
    flags.isEnabled("late_flag", USER);
    assertThat(store.stats().cacheMisses()).isEqualTo(1);

    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    flags.isEnabled("late_flag", USER);
    assertThat(store.stats().cacheMisses()).isEqualTo(2);
    await().atMost(WAIT).until(() -> flags.isEnabled("late_flag", USER));
  }

  @Test
  void expiredMissesAreForgottenAtTheNextSync() {
    RedisServerProcess redis = redis();
    AtomicLong nanos = new AtomicLong();
    RedisFlagStore store =
        store(redis)
            .negativeCacheTtl(Duration.ofSeconds(10))
            .ticker(nanos::get)
            .syncInterval(Duration.ofMillis(50))
            .build();
    Flags flags = awaitOk(client(store));
    flags.isEnabled("typo_flag", USER);
    await().atMost(WAIT).until(() -> store.pendingReloads() == 0); // the background lookup is done
    assertThat(store.stats().cacheSize()).isEqualTo(1); // the remembered miss

    nanos.addAndGet(Duration.ofSeconds(11).toNanos());

    await().atMost(WAIT).until(() -> store.stats().cacheSize() == 0);
    assertThat(store.stats().cacheMisses()).isEqualTo(1);
  }

  @Test
  void aStoreClosedWithoutBeingStartedReleasesTheConnectionItOpenedAtBuildTime() {
    RedisServerProcess redis = redis();
    RedisFlagStore store = store(redis).build();
    try (Jedis j = redis.jedis()) {
      await()
          .atMost(WAIT)
          .untilAsserted(() -> assertThat(clientNames(j)).contains("flags-redis-store"));

      store.close();

      await()
          .atMost(WAIT)
          .untilAsserted(() -> assertThat(clientNames(j)).doesNotContain("flags-redis-store"));
      await()
          .atMost(WAIT)
          .until(
              () ->
                  Thread.getAllStackTraces().keySet().stream()
                      .noneMatch(t -> t.isAlive() && t.getName().startsWith("flags-redis")));
    }
  }

  @Test
  void theSdkCanTurnKeyspaceNotificationsOn() {
    RedisServerProcess redis = redis();
    RedisFlagStore store = store(redis).enableKeyspaceNotifications(true).build();
    Flags flags = awaitOk(client(store));

    try (Jedis j = redis.jedis()) {
      assertThat(j.configGet("notify-keyspace-events").get("notify-keyspace-events"))
          .contains("K", "$");
      j.set("feature:x", "true");
    }

    await().atMost(WAIT).until(() -> flags.isEnabled("x", USER));
    assertThat(store.stats().keyspaceNotifications()).isTrue();
  }

  @Test
  void aValueCarriedByAnOlderMessageNeverOverwritesANewerOne() {
    RedisServerProcess redis = redis();
    FlagAdmin admin = admin(redis);
    admin.create(Flag.simple("alpha", false), Change.by("alice")); // version 1
    admin.setOn("alpha", true, Change.by("alice")); // version 2
    Flags flags = awaitOk(client(store(redis).build()));
    assertThat(flags.isEnabled("alpha", USER)).isTrue();

    try (Jedis j = redis.jedis()) {
      j.publish("feature:#changes", "alpha\n1\nfalse"); // late news of version 1
      j.publish("feature:#changes", "beta\n7\ntrue"); // a value is applied without reading it back
    }

    await().atMost(WAIT).until(() -> flags.isEnabled("beta", USER));
    assertThat(flags.isEnabled("alpha", USER)).isTrue();
  }

  @Test
  void instancesConvergeOnTheLastValueUnderInterleavedAdminWritesAndRawEdits() throws Exception {
    RedisServerProcess redis = redis("--notify-keyspace-events", "K$g");
    FlagAdmin admin = admin(redis);
    List<String> keys = List.of("s0", "s1", "s2", "s3", "s4");
    for (String k : keys) {
      admin.create(Flag.simple(k, false), Change.by("setup"));
    }
    List<Flags> instances =
        List.of(
            awaitOk(client(store(redis).build())),
            awaitOk(client(store(redis).build())),
            awaitOk(client(store(redis).build())));
    Thread viaAdmin =
        new Thread(
            () -> {
              java.util.Random random = new java.util.Random(1);
              for (int i = 0; i < 300; i++) {
                admin.setOn(
                    keys.get(random.nextInt(keys.size())),
                    random.nextBoolean(),
                    Change.by("stress"));
              }
            });
    Thread raw =
        new Thread(
            () -> {
              java.util.Random random = new java.util.Random(2);
              try (Jedis j = redis.jedis()) {
                for (int i = 0; i < 300; i++) {
                  j.set(
                      "feature:" + keys.get(random.nextInt(keys.size())),
                      random.nextBoolean() ? "true" : "false");
                }
              }
            });
    viaAdmin.start();
    raw.start();
    viaAdmin.join();
    raw.join();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              for (String k : keys) {
                boolean stored = admin.get(k).orElseThrow().flag().on();
                for (Flags f : instances) {
                  assertThat(f.isEnabled(k, USER)).as(k).isEqualTo(stored);
                }
              }
            });
  }

  @Test
  void aWriteWhoseMessageWasLostIsCaughtByTheVersionCheck() {
    RedisServerProcess redis = redis(); // no keyspace notifications: only the counter tells
    admin(redis).create(Flag.simple("alpha", false), Change.by("alice"));
    Flags flags = awaitOk(client(store(redis).syncInterval(Duration.ofMillis(200)).build()));

    try (Jedis j = redis.jedis()) { // a writer whose PUBLISH never arrived
      j.set("feature:alpha", "true");
      j.set("feature:beta", "true");
      j.sadd("feature:#index", "beta");
      j.incr("feature:#counter");
    }

    await()
        .atMost(WAIT)
        .until(() -> flags.isEnabled("alpha", USER) && flags.isEnabled("beta", USER));
  }

  @Test
  void writesMadeWhileTheSubscriberIsDisconnectedAreCaughtOnResubscribe() {
    RedisServerProcess redis = redis();
    FlagAdmin admin = admin(redis);
    admin.create(Flag.simple("alpha", false), Change.by("alice"));
    RedisFlagStore store = store(redis).build(); // default 30 s sync: the resubscribe must do it
    Flags flags = awaitOk(client(store));

    try (Jedis j = redis.jedis()) {
      j.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
    }
    admin.setOn("alpha", true, Change.by("alice").because("while nobody listens"));

    await().atMost(WAIT).until(() -> flags.isEnabled("alpha", USER));
    await()
        .atMost(WAIT)
        .until(() -> store.stats().reconnects() >= 1 && store.status() == StoreStatus.OK);
  }

  @Test
  void killMinus9KeepsValuesReportsStaleAndResyncsChangesMadeWhileRedisWasDown() throws Exception {
    // Regression: the change used to be made through the admin after the restart, so it arrived by
    // pub/sub and proved nothing about the resync. Now it is written while the server is down,
    // into its append-only file, as a raw editor's SET + INCR of the counter: no PUBLISH, keyspace
    // notifications off, and a sync interval far beyond the test, so only the resync on
    // reconnection can deliver it.
    RedisServerProcess redis = redis("--appendonly", "yes", "--appendfsync", "always");
    FlagAdmin admin = admin(redis);
    admin.create(Flag.simple("alpha", true), Change.by("alice"));
    admin.create(Flag.simple("beta", false), Change.by("alice"));
    Duration noPeriodicSync = Duration.ofHours(1);
    RecordingSink sink = new RecordingSink();
    RedisFlagStore store =
        closing(
            store(redis)
                .syncInterval(noPeriodicSync)
                .maxReconnectDelay(Duration.ofMillis(500))
                .build());
    store.start(sink);
    await().atMost(WAIT).until(() -> sink.status() == StoreStatus.OK);
    Flags flags =
        awaitOk(
            client(
                store(redis)
                    .syncInterval(noPeriodicSync)
                    .maxReconnectDelay(Duration.ofMillis(500))
                    .build()));
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicLong wrong = new AtomicLong();
    Thread evaluator =
        new Thread(
            () -> {
              while (!stop.get()) {
                try {
                  if (!flags.isEnabled("alpha", USER)) {
                    wrong.incrementAndGet();
                  }
                } catch (Throwable t) {
                  thrown.set(t);
                }
              }
            });
    evaluator.start();
    try {
      redis.kill9();
      await()
          .atMost(WAIT)
          .until(() -> sink.status() == StoreStatus.STALE && flags.status() == StoreStatus.STALE);
      assertThat(sink.flags()).containsKeys("alpha", "beta");

      appendToAof(
          redis, List.of("SET", "feature:beta", "true"), List.of("INCR", "feature:#counter"));
      redis.restart(); // the AOF brings the data back, with the change made while it was down

      await()
          .atMost(WAIT)
          .until(() -> sink.status() == StoreStatus.OK && flags.status() == StoreStatus.OK);
      await()
          .atMost(WAIT)
          .until(
              () -> flags.isEnabled("beta", USER) && sink.flag("beta").map(Flag::on).orElse(false));
    } finally {
      stop.set(true);
      evaluator.join();
    }
    try (Jedis j = redis.jedis()) {
      assertThat(j.configGet("notify-keyspace-events").get("notify-keyspace-events")).isEmpty();
    }
    assertThat(thrown.get()).isNull();
    assertThat(wrong.get()).isZero();
    assertThat(store.stats().reconnects()).isPositive();
    assertThat(sink.events())
        .filteredOn(e -> e.kind() == RecordingSink.Kind.STATUS)
        .extracting(e -> e.detail().substring(0, e.detail().indexOf(':')))
        .containsSubsequence("OK", "STALE", "OK");
  }

  /** Appends commands to a stopped server's append-only file (Redis 7: the incremental part). */
  @SafeVarargs
  private static void appendToAof(RedisServerProcess stopped, List<String>... commands)
      throws Exception {
    assertThat(stopped.isRunning()).isFalse();
    Path incr;
    try (var files = Files.list(stopped.dir().resolve("appendonlydir"))) {
      incr =
          files
              .filter(f -> f.getFileName().toString().endsWith(".incr.aof"))
              .max(java.util.Comparator.comparing(f -> f.getFileName().toString()))
              .orElseThrow();
    }
    StringBuilder resp = new StringBuilder();
    for (List<String> command : commands) {
      resp.append('*').append(command.size()).append("\r\n");
      for (String arg : command) {
        resp.append('$')
            .append(arg.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
            .append("\r\n")
            .append(arg)
            .append("\r\n");
      }
    }
    Files.writeString(incr, resp, java.nio.file.StandardOpenOption.APPEND);
  }

  @Test
  void aFrozenServerDoesNotSlowEvaluationsDown() throws Exception {
    RedisServerProcess redis = redis();
    admin(redis).create(Flag.simple("alpha", true), Change.by("alice"));
    RedisFlagStore store = store(redis).syncInterval(Duration.ofMillis(100)).build();
    Flags flags = awaitOk(client(store));

    redis.freeze();
    try {
      long worst = 0;
      for (int i = 0; i < 200_000; i++) {
        long t0 = System.nanoTime();
        boolean on = flags.isEnabled("alpha", USER);
        flags.isEnabled(
            "not_there_" + (i % 50), USER); // unknown keys: prefetch must not block either
        long took = System.nanoTime() - t0;
        assertThat(on).isTrue();
        if (i > 10_000) {
          worst = Math.max(worst, took);
        }
      }
      // The command timeout is 2 s; a single Redis call on this thread would show.
      assertThat(Duration.ofNanos(worst)).isLessThan(Duration.ofMillis(200));
      await().atMost(WAIT).until(() -> store.status() == StoreStatus.STALE);
      assertThat(flags.isEnabled("alpha", USER)).isTrue();
    } finally {
      redis.thaw();
    }
    await().atMost(WAIT).until(() -> store.status() == StoreStatus.OK);
    admin(redis).setOn("alpha", false, Change.by("alice").because("after the thaw"));
    await()
        .atMost(WAIT)
        .until(() -> !flags.isEnabled("alpha", USER)); // the subscription works again
  }

  @Test
  void aMalformedValueBreaksOnlyThatFlagAndIsReportedOncePerBadValue() {
    RedisServerProcess redis = redis("--notify-keyspace-events", "K$g");
    FlagAdmin admin = admin(redis);
    admin.create(Flag.simple("good", true), Change.by("alice"));
    admin.create(Flag.simple("bad", true), Change.by("alice"));
    RecordingSink sink = new RecordingSink();
    RedisFlagStore store = closing(store(redis).build());
    store.start(sink);
    Flags flags = awaitOk(client(store(redis).build()));
    await().atMost(WAIT).until(() -> sink.status() == StoreStatus.OK);

    try (Jedis j = redis.jedis()) {
      j.set("feature:bad", "{not json");
    }
    await()
        .atMost(WAIT)
        .until(
            () ->
                flags
                    .getBooleanDetail("bad", USER, false)
                    .reason()
                    .errorKind()
                    .equals(java.util.Optional.of(EvaluationReason.ErrorKind.MALFORMED_FLAG)));
    try (Jedis j = redis.jedis()) {
      j.set("feature:bad", "{not json"); // the same bad value again
      j.set("feature:good", "true"); // a marker: once it is processed, the second SET was too
    }
    admin.setOn("good", false, Change.by("alice"));
    await()
        .atMost(WAIT)
        .until(
            () ->
                !flags.isEnabled("good", USER)
                    && sink.flag("good").map(f -> !f.on()).orElse(false));

    assertThat(sink.events())
        .filteredOn(e -> e.kind() == RecordingSink.Kind.MALFORMED_FLAG)
        .hasSize(1);
    assertThat(flags.getBooleanDetail("bad", USER, true).value()).isTrue(); // the caller's default
  }

  @Test
  void aHugeFlagIsLoadedAndEvaluatedUnderARaisedValueLimit() {
    RedisServerProcess redis = redis();
    // Writing 1.3 MB takes its time on a loaded machine: a longer write timeout.
    FlagAdmin admin =
        closing(
            RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri()))
                .writeTimeout(Duration.ofSeconds(30))
                .build());
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      users.add("user-" + i);
    }
    admin.create(
        Flag.builder("beta_program").on(true).fallthrough(false).target(1, users).build(),
        Change.by("alice"));
    // About 1.3 MB of JSON: over the default limit of 1 MiB per value, so the limit is raised.
    Flags flags = awaitOk(client(store(redis).maxValueBytes(4 << 20).build()));

    assertThat(flags.isEnabled("beta_program", EvaluationContext.of("user-99999"))).isTrue();
    assertThat(flags.isEnabled("beta_program", EvaluationContext.of("someone-else"))).isFalse();
    admin.removeTargets("beta_program", 1, List.of("user-99999"), Change.by("alice"));
    await()
        .atMost(WAIT)
        .until(() -> !flags.isEnabled("beta_program", EvaluationContext.of("user-99999")));
  }

  @Test
  void aMissingIndexRemovesNoFlagAndIsRepaired() {
    RedisServerProcess redis = redis();
    FlagAdmin admin = admin(redis);
    admin.create(Flag.simple("alpha", true), Change.by("alice"));
    admin.create(Flag.simple("beta", true), Change.by("alice"));
    Flags flags = awaitOk(client(store(redis).syncInterval(Duration.ofMillis(100)).build()));

    try (Jedis j = redis.jedis()) {
      j.del("feature:#index");
      j.incr("feature:#counter"); // make every instance reload
    }
    admin.create(Flag.simple("gamma", true), Change.by("alice"));

    await().atMost(WAIT).until(() -> flags.isEnabled("gamma", USER));
    try (Jedis j = redis.jedis()) {
      await()
          .atMost(WAIT)
          .until(() -> j.smembers("feature:#index").containsAll(List.of("alpha", "beta", "gamma")));
    }
    assertThat(flags.isEnabled("alpha", USER)).isTrue();
    assertThat(flags.isEnabled("beta", USER)).isTrue();
  }

  @Test
  void redisDownAtStartServesTheBootstrapThenLoadsOnceRedisIsUp() {
    RedisServerProcess redis = redis();
    admin(redis).create(Flag.simple("alpha", false), Change.by("alice"));
    redis.kill9(); // no persistence: it comes back empty
    RedisFlagStore store =
        store(redis)
            .bootstrap(FlagSet.of(Flag.simple("alpha", true), Flag.simple("beta", true)))
            .maxReconnectDelay(Duration.ofMillis(200))
            .build();

    Flags flags = client(store);

    await().atMost(WAIT).until(() -> store.status() == StoreStatus.UNAVAILABLE);
    assertThat(flags.isEnabled("alpha", USER)).isTrue();
    redis.restart();
    admin(redis).create(Flag.simple("alpha", false), Change.by("alice"));
    await()
        .atMost(WAIT)
        .until(() -> flags.status() == StoreStatus.OK && !flags.isEnabled("alpha", USER));
    assertThat(flags.flag("beta")).isEmpty();
  }

  @Test
  void theSnapshotFileIsWrittenAndServedWhenRedisIsDownAtStart(@TempDir Path dir) {
    RedisServerProcess redis = redis();
    FlagAdmin admin = admin(redis);
    admin.create(
        Flag.builder("color").variations("red", "green").fallthroughVariation(1).build(),
        Change.by("alice"));
    Path file = dir.resolve("flags-snapshot.json");
    try (Flags first = Flags.builder().store(store(redis).snapshotFile(file).build()).build()) {
      awaitOk(first);
      await().atMost(WAIT).until(() -> Files.exists(file));
    }
    redis.kill9();

    RedisFlagStore store = store(redis).snapshotFile(file).build();
    Flags flags = client(store);

    await().atMost(WAIT).until(() -> flags.getString("color", USER, "none").equals("green"));
    assertThat(store.status()).isEqualTo(StoreStatus.STALE);
  }

  @Test
  void anUnwritableSnapshotFileIsOnlyRead(@TempDir Path dir) throws Exception {
    RedisServerProcess redis = redis();
    admin(redis).create(Flag.simple("alpha", true), Change.by("alice"));
    // Tests may run as root, who writes anywhere: a parent that is a file cannot be written by
    // anyone.
    Path notADirectory = Files.writeString(dir.resolve("ro"), "");
    Flags flags =
        awaitOk(client(store(redis).snapshotFile(notADirectory.resolve("flags.json")).build()));

    admin(redis).setOn("alpha", false, Change.by("alice"));

    await().atMost(WAIT).until(() -> !flags.isEnabled("alpha", USER));
    assertThat(flags.status()).isEqualTo(StoreStatus.OK);
  }

  @Test
  void segmentsWrittenThroughTheAdminReachTheClient() {
    RedisServerProcess redis = redis();
    FlagAdmin admin = admin(redis);
    admin.putSegment(
        dev.flags.core.Segment.builder("beta_testers").include("user-1").build(),
        Change.by("alice"));
    admin.create(
        Flag.builder("new_ui")
            .on(true)
            .fallthrough(false)
            .rule(
                dev.flags.core.Rule.when(dev.flags.core.Clause.inSegment("beta_testers"))
                    .serve(true))
            .build(),
        Change.by("alice"));
    Flags flags = awaitOk(client(store(redis).build()));
    assertThat(flags.isEnabled("new_ui", USER)).isTrue();

    admin.putSegment(
        dev.flags.core.Segment.builder("beta_testers").include("user-2").build(),
        Change.by("alice"));

    await().atMost(WAIT).until(() -> !flags.isEnabled("new_ui", USER));
    assertThat(flags.isEnabled("new_ui", EvaluationContext.of("user-2"))).isTrue();
  }

  @Test
  void anAclUserConnectsWithTheUrlCredentials() {
    RedisServerProcess redis = redis();
    try (Jedis j = redis.jedis()) {
      j.aclSetUser("flags-app", "on", ">s3cret", "~*", "&*", "+@all");
      j.aclSetUser("default", "off");
    }
    RedisConnectionSettings settings =
        RedisConnectionSettings.standalone(
            "redis://flags-app:s3cret@127.0.0.1:" + redis.port() + "/0");
    FlagAdmin admin = closing(RedisFlagAdmin.builder(settings).build());
    admin.create(Flag.simple("alpha", true), Change.by("alice"));

    Flags flags = awaitOk(client(RedisFlagStore.builder(settings).build()));

    assertThat(flags.isEnabled("alpha", USER)).isTrue();
    try (Jedis j = redis.jedis()) {
      j.auth("flags-app", "s3cret");
      j.aclSetUser("default", "on"); // so the check after each test can read INFO commandstats
    }
  }

  @Test
  void closeStopsTheStoresThreads() {
    RedisServerProcess redis = redis();
    Flags flags = awaitOk(Flags.builder().store(store(redis).build()).build());

    flags.close();

    await()
        .atMost(WAIT)
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.isAlive() && t.getName().startsWith("flags-redis")));
  }

  @Test
  void closeLeavesNoConnectionOfTheStoreOrTheAdminOnTheServer() {
    RedisServerProcess redis = redis();
    FlagAdmin admin =
        RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build();
    admin.create(Flag.simple("alpha", true), Change.by("alice"));
    Flags flags = awaitOk(Flags.builder().store(store(redis).build()).build());
    flags.isEnabled("unknown_key", USER); // a background lookup, on a pooled connection
    try (Jedis j = redis.jedis()) {
      // The pool and the subscriber's dedicated connection, all named flags-redis-<role>.
      assertThat(clientNames(j))
          .contains("flags-redis-admin", "flags-redis-store")
          .filteredOn("flags-redis-store"::equals)
          .hasSizeGreaterThanOrEqualTo(2);

      flags.close();
      admin.close();

      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(clientNames(j)).noneMatch(n -> n.startsWith("flags-redis")));
    }
  }

  /** The names of the server's clients, from CLIENT LIST ({@code ... name=<name> ...} per line). */
  private static List<String> clientNames(Jedis j) {
    List<String> names = new ArrayList<>();
    for (String line : j.clientList().split("\n")) {
      for (String field : line.trim().split(" ")) {
        if (field.startsWith("name=")) {
          names.add(field.substring("name=".length()));
        }
      }
    }
    return names;
  }
}
