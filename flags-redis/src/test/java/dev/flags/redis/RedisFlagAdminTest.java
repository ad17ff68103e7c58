package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flags.core.Clause;
import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.Flags;
import dev.flags.core.Rollout;
import dev.flags.core.Rule;
import dev.flags.core.Segment;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.FlagRecord;
import dev.flags.core.admin.ImportPlan;
import dev.flags.core.admin.RestorePoint;
import dev.flags.core.admin.VersionedFlag;
import dev.flags.core.admin.spi.FlagRepository;
import dev.flags.core.json.FlagCodec;
import dev.flags.testsupport.RedisServerProcess;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * What the Redis admin writes, key by key (docs/redis-layout.md): values, index, versions, the
 * audit stream's fields and links, the last change of each key, invalidation messages, batches; the
 * behaviour every store shares is {@link RedisFlagAdminContractTest}'s.
 */
class RedisFlagAdminTest {

  private static final Change ALICE = Change.by("alice");
  private static RedisServerProcess redis;
  private FlagAdmin admin;
  private Jedis j;

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    try {
      RedisFlagStoreTest.assertNeverKeys(redis); // its stores adopt raw keys with one SCAN
    } finally {
      redis.close();
    }
  }

  @BeforeEach
  void freshAdmin() {
    j = redis.jedis();
    j.flushAll();
    admin = newAdmin();
  }

  @AfterEach
  void closeAdmin() {
    admin.close();
    j.close();
  }

  private static FlagAdmin newAdmin() {
    return RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build();
  }

  @Test
  void aFlagWithMoreThanASwitchIsStoredAsJsonIndexedVersionedAndAudited() {
    VersionedFlag created =
        admin.create(
            Flag.builder("alpha").on(true).description("more than a switch").build(),
            ALICE.because("new"));

    assertThat(created.version()).isEqualTo(1);
    String stored = j.get("feature:alpha");
    assertThat(stored).startsWith("{");
    assertThat(FlagCodec.standard().decodeFlag("alpha", stored)).isEqualTo(created.flag());
    assertThat(j.smembers("feature:#index")).containsExactly("alpha");
    assertThat(j.hget("feature:#versions", "alpha")).isEqualTo("1");
    assertThat(j.get("feature:#counter")).isEqualTo("1");
    assertThat(j.hget("feature:#known", "alpha")).isEqualTo(stored);
    List<StreamEntry> stream = j.xrange("feature:#audit", (StreamEntryID) null, null);
    assertThat(stream)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getFields())
                  .containsExactlyInAnyOrderEntriesOf(
                      Map.of(
                          "kind", "flag",
                          "key", "alpha",
                          "action", "create",
                          "actor", "alice",
                          "reason", "new",
                          "version", "1",
                          "after", stored));
              assertThat(j.hget("feature:#last-change", "alpha")).isEqualTo(e.getID().toString());
            });
  }

  @Test
  void eachEntryLinksToThePreviousEntryOfItsKey() {
    admin.create(Flag.simple("alpha", true), ALICE);
    admin.create(Flag.simple("beta", true), ALICE);
    admin.setOn("alpha", false, Change.by("bob").because("INC-7"));

    List<StreamEntry> stream = j.xrange("feature:#audit", (StreamEntryID) null, null);
    assertThat(stream.get(2).getFields())
        .containsEntry("prev", stream.get(0).getID().toString())
        .containsEntry("before", "true")
        .containsEntry("after", "false")
        .containsEntry("reason", "INC-7");
    assertThat(stream.get(1).getFields()).doesNotContainKey("prev");
  }

  @Test
  void aSimpleSwitchWrittenByTheSdkStaysReadableAsBareTrueOrFalse() {
    // Regression: a plain switch was stored as JSON, breaking services that GET feature:<key>.
    VersionedFlag created = admin.create(Flag.simple("alpha", false), ALICE);
    assertThat(j.get("feature:alpha")).isEqualTo("false");
    admin.setOn("alpha", true, ALICE.because("launch"));
    assertThat(j.get("feature:alpha")).isEqualTo("true");
    admin.setOn("alpha", false, ALICE.because("kill"));
    assertThat(j.get("feature:alpha")).isEqualTo("false");
    assertThat(j.hget("feature:#versions", "alpha")).isEqualTo("3"); // the version lives beside it

    assertThat(created.version()).isEqualTo(1);
    assertThat(admin.get("alpha").orElseThrow().version()).isEqualTo(3);
    assertThat(admin.get("alpha").orElseThrow().flag().toBuilder().version(0).build())
        .isEqualTo(Flag.simple("alpha", false));
  }

  @Test
  void aSwitchWithMetadataRulesOrARolloutIsStillStoredAsJson() {
    admin.create(Flag.builder("owned").on(false).description("owned by payments").build(), ALICE);
    admin.create(
        Flag.builder("ruled")
            .on(true)
            .fallthrough(false)
            .rule(Rule.when(Clause.in("country", "DE")).serve(true))
            .build(),
        ALICE);
    admin.create(Flag.simple("ramped", true), ALICE);
    admin.setOn("owned", true, ALICE);
    admin.setRolloutPercentage("ramped", 10, ALICE.because("canary"));

    for (String key : List.of("owned", "ruled", "ramped")) {
      assertThat(j.get("feature:" + key)).as(key).startsWith("{");
    }
    assertThat(admin.get("owned").orElseThrow().flag().metadata().description())
        .isEqualTo("owned by payments");
    assertThat(admin.get("ramped").orElseThrow().flag().fallthrough())
        .isEqualTo(Rollout.percentage(10));
  }

  @Test
  void segmentsHaveTheirOwnKeysIndexAndVersions() {
    admin.putSegment(Segment.builder("beta").include("u1").build(), ALICE);

    assertThat(j.get("feature:#segment:beta")).contains("u1");
    assertThat(j.smembers("feature:#segments")).containsExactly("beta");
    assertThat(j.hget("feature:#segment-versions", "beta")).isEqualTo("1");
    assertThat(j.exists("feature:#index")).isFalse();
    assertThat(admin.audit(AuditQuery.builder().segment("beta").build()))
        .singleElement()
        .satisfies(e -> assertThat(e.action()).isEqualTo(AuditEntry.ACTION_CREATE));
  }

  @Test
  void invalidationMessagesKeepTheFormatTheStoreParses() throws Exception {
    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    JedisPubSub listener =
        new JedisPubSub() {
          @Override
          public void onMessage(String channel, String message) {
            messages.add(message);
          }
        };
    try (Jedis sub = redis.jedis()) {
      Thread t = new Thread(() -> sub.subscribe(listener, "feature:#changes"));
      t.start();
      await().atMost(Duration.ofSeconds(5)).until(listener::isSubscribed);
      String big = "x".repeat(70_000);

      admin.create(Flag.simple("alpha", true), ALICE);
      admin.putSegment(Segment.builder("beta").include("u1").build(), ALICE);
      admin.create(Flag.builder("large").description(big).build(), ALICE);
      admin.delete("alpha", ALICE);

      assertThat(messages.poll(5, TimeUnit.SECONDS)).isEqualTo("alpha\n1\ntrue");
      assertThat(messages.poll(5, TimeUnit.SECONDS))
          .startsWith("segment:beta\n1\n{")
          .contains("u1");
      assertThat(messages.poll(5, TimeUnit.SECONDS)).isEqualTo("large"); // over 64 KiB: key only
      assertThat(messages.poll(5, TimeUnit.SECONDS)).isEqualTo("alpha");
      listener.unsubscribe();
      t.join(5000);
    }
  }

  @Test
  void aRawEditRecordsTheWholeDefinitionItReplacedWhoeverNoticesIt() {
    // Regression: the raw edit's "before" was the value the noticing caller had last seen, empty
    // for a caller that had seen nothing (an admin, a fresh store).
    Flag rich =
        Flag.builder("checkout")
            .rule(Rule.when(Clause.in("country", "DE")).serve(true))
            .target(true, "vip-1")
            .fallthroughRollout(Rollout.percentage(10))
            .build();
    admin.create(rich, ALICE);
    String definition = j.get("feature:checkout");
    j.set("feature:checkout", "false"); // redis-cli's kill switch

    try (FlagAdmin other = newAdmin()) { // never saw the flag
      FlagRecord killed = other.find("checkout").orElseThrow();
      assertThat(killed.killedByRawEdit()).isTrue();
      assertThat(killed.lastChange().orElseThrow().before()).contains(definition);
    }
    j.del("feature:checkout"); // then deleted by hand too

    assertThat(admin.find("checkout")).isEmpty();
    List<AuditEntry> entries = admin.audit(AuditQuery.flag("checkout"));
    assertThat(entries)
        .extracting(AuditEntry::action)
        .containsExactly(AuditEntry.ACTION_RAW_EDIT, AuditEntry.ACTION_RAW_EDIT, "create");
    assertThat(entries.get(0).before()).contains("false");
    assertThat(entries.get(0).after()).isEmpty();

    VersionedFlag back = admin.restore("checkout", RestorePoint.version(1), ALICE);
    assertThat(back.flag().toBuilder().version(0).build()).isEqualTo(rich);
    assertThat(back.version()).isEqualTo(4);
  }

  @Test
  void theKillSwitchWorksOnAFlagThisVersionCannotFullyRead() {
    // Regression: setOn(false) failed ("the flag does not read back: unknown operator") on a flag
    // with an operator from a newer version, so only redis-cli could kill it.
    String future =
        "{\"on\":true,\"variations\":[false,true],\"fallthrough\":{\"variation\":1},"
            + "\"plan\":{\"steps\":[1,5,25]},"
            + "\"rules\":[{\"clauses\":[{\"attribute\":\"loc\",\"op\":\"withinKilometres\","
            + "\"values\":[5]}],\"variation\":1}]}";
    j.set("feature:geo", future);
    try (Flags flags =
        Flags.builder()
            .store(RedisFlagStore.builder(RedisConnectionSettings.standalone(redis.uri())).build())
            .build()) {
      await().atMost(Duration.ofSeconds(15)).until(() -> flags.status() == StoreStatus.OK);
      EvaluationContext user = EvaluationContext.of("u");
      await().atMost(Duration.ofSeconds(5)).until(() -> flags.isEnabled("geo", user));

      admin.setOn("geo", false, Change.by("oncall").because("INC-9"));

      await().atMost(Duration.ofSeconds(5)).until(() -> !flags.isEnabled("geo", user));
    }
    String stored = j.get("feature:geo");
    assertThat(stored)
        .contains("\"plan\":{\"steps\":[1,5,25]}")
        .contains("\"op\":\"withinKilometres\"")
        .contains("\"on\":false");
  }

  @Test
  void twoAdminsEditingConcurrentlyLoseNothing() throws Exception {
    admin.create(Flag.simple("counter", true), Change.by("setup"));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (FlagAdmin first = newAdmin();
        FlagAdmin second = newAdmin()) {
      List<Callable<Void>> writers = List.of(targets(first, "w1"), targets(second, "w2"));
      for (Future<Void> f : pool.invokeAll(writers)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    VersionedFlag last = admin.get("counter").orElseThrow();
    assertThat(last.flag().targets().get(0).keys()).hasSize(400);
    assertThat(last.version()).isEqualTo(401);
    List<AuditEntry> audit = admin.audit(AuditQuery.builder().flag("counter").limit(1000).build());
    assertThat(audit).hasSize(401);
    assertThat(audit).extracting(AuditEntry::version).doesNotHaveDuplicates();
  }

  private static Callable<Void> targets(FlagAdmin admin, String actor) {
    return () -> {
      for (int i = 0; i < 200; i++) {
        admin.addTargets("counter", true, List.of(actor + "-" + i), Change.by(actor));
      }
      return null;
    };
  }

  @Test
  void auditQueriesFilterByTimeNewestFirst() {
    admin.create(Flag.simple("alpha", false), ALICE.because("created for the launch"));
    admin.create(Flag.simple("beta", false), Change.by("bob"));
    // Entries have millisecond ids (the server's clock, this machine's): leave that millisecond.
    long lastEntry = admin.audit(AuditQuery.ALL).get(0).time().toEpochMilli();
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(1))
        .until(() -> Instant.now().toEpochMilli() > lastEntry);
    Instant middle = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    admin.setOn("alpha", true, Change.by("carol").because("launch"));
    admin.delete("alpha", Change.by("dave").because("cleanup"));

    assertThat(admin.audit(AuditQuery.flag("alpha")))
        .extracting(AuditEntry::actor)
        .containsExactly("dave", "carol", "alice");
    assertThat(admin.audit(AuditQuery.builder().flag("alpha").from(middle).build()))
        .extracting(AuditEntry::actor)
        .containsExactly("dave", "carol");
    assertThat(admin.audit(AuditQuery.builder().to(middle.minusMillis(1)).build()))
        .extracting(AuditEntry::key)
        .containsExactly("beta", "alpha");
    assertThat(admin.audit(AuditQuery.builder().from(middle).actor("carol").build()))
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).isEqualTo("launch"));
  }

  @Test
  void aKeysAuditIsReadThroughItsOwnEntriesNotByScanningTheStream() {
    admin.create(Flag.simple("rare", true), ALICE);
    admin.create(Flag.simple("busy", true), ALICE);
    for (int i = 0; i < 300; i++) {
      admin.setOn("busy", i % 2 == 0, ALICE);
    }
    admin.setOn("rare", false, ALICE);
    long xrange = redis.commandCalls("xrange");
    long xrevrange = redis.commandCalls("xrevrange");

    List<AuditEntry> rare = admin.audit(AuditQuery.flag("rare"));

    assertThat(rare).extracting(AuditEntry::version).containsExactly(2L, 1L);
    assertThat(redis.commandCalls("xrange") - xrange).isLessThanOrEqualTo(2);
    assertThat(redis.commandCalls("xrevrange") - xrevrange).isZero();
  }

  @Test
  void listingsShowEachFlagsLastChangeAndWhoMadeIt() {
    admin.create(Flag.simple("a", true), ALICE);
    admin.create(Flag.simple("b", true), ALICE);
    admin.setOn("a", false, Change.by("bob").because("INC-7"));

    List<FlagRecord> list = admin.list();

    assertThat(list)
        .extracting(r -> r.key() + " " + r.lastChange().orElseThrow().actor())
        .containsExactly("a bob", "b alice");
    assertThat(list.get(0).lastChange().orElseThrow().reason()).isEqualTo("INC-7");
  }

  @Test
  void anImportIsOneScriptWithOneEntryPerDefinition() {
    List<Flag> flags =
        IntStream.range(0, 1000).mapToObj(i -> Flag.simple("f" + i, i % 2 == 0)).toList();
    ImportPlan plan = admin.planImport(FlagSet.of(flags, List.of()), false);
    long scripts = redis.commandCalls("evalsha") + redis.commandCalls("eval");

    List<AuditEntry> written = admin.applyImport(plan, Change.by("deploy").because("import"));

    assertThat(redis.commandCalls("evalsha") + redis.commandCalls("eval") - scripts).isEqualTo(1);
    assertThat(written).hasSize(1000);
    assertThat(j.scard("feature:#index")).isEqualTo(1000);
    assertThat(j.get("feature:#counter")).isEqualTo("1000");
    assertThat(j.xlen("feature:#audit")).isEqualTo(1000);
  }

  @Test
  void theAuditStreamIsTrimmedToTheConfiguredLength() {
    try (FlagAdmin small =
        RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri()))
            .auditMaxLength(10)
            .build()) {
      small.create(Flag.simple("alpha", false), ALICE);
      for (int i = 0; i < 300; i++) {
        small.setOn("alpha", i % 2 == 0, ALICE);
      }
    }
    // MAXLEN ~ trims whole macro nodes (100 entries by default), so "about" 10.
    assertThat(j.xlen("feature:#audit")).isLessThan(200);
  }

  @Test
  void auditEntriesWrittenBeforeKindAndActionExistedAreRead() {
    j.xadd(
        "feature:#audit",
        StreamEntryID.NEW_ENTRY,
        Map.of(
            "flag", "old", "actor", "carol", "version", "3", "before", "true", "after", "false"));
    j.xadd(
        "feature:#audit",
        StreamEntryID.NEW_ENTRY,
        Map.of("segment", "beta", "actor", AuditEntry.RAW_EDIT_ACTOR, "version", "2"));

    List<AuditEntry> all = admin.audit(AuditQuery.ALL);

    assertThat(all)
        .extracting(e -> e.kind() + " " + e.key() + " " + e.action() + " " + e.version())
        .containsExactly("SEGMENT beta raw-edit 2", "FLAG old update 3");
    assertThat(admin.auditEntry(all.get(1).id())).contains(all.get(1));
    assertThat(admin.auditEntry("not-an-id")).isEmpty();
  }

  @Test
  void describesWhereTheFlagsAreWithoutSecrets() {
    try (FlagAdmin withPassword =
        RedisFlagAdmin.builder(
                RedisConnectionSettings.standalone("redis://:s3cret@127.0.0.1:" + redis.port()))
            .prefix("prod:")
            .build()) {
      assertThat(withPassword.description())
          .isEqualTo("redis standalone 127.0.0.1:" + redis.port() + " prefix prod:")
          .doesNotContain("s3cret");
    }
  }

  @Test
  void aBatchNamingAKeyTwiceIsRefused() {
    List<FlagRepository.Write> batch = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      batch.add(
          new FlagRepository.Write(
              dev.flags.core.admin.DefinitionKind.FLAG,
              "alpha",
              FlagRepository.Operation.CREATE,
              0,
              java.util.Optional.of("true"),
              "create",
              "alice",
              ""));
    }
    try (RedisFlagRepository repository =
        new RedisFlagRepository(
            RedisConnectionSettings.standalone(redis.uri()),
            new RedisLayout("feature:"),
            100,
            Duration.ofSeconds(2))) {
      assertThatThrownBy(() -> repository.write(batch))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("flag alpha more than once");
    }
    assertThat(j.exists("feature:alpha")).isFalse();
  }
}
