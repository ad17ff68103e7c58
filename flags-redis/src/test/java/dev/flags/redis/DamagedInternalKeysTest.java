package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.Segment;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.FlagRecord;
import dev.flags.testsupport.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Internal keys damaged by hand (issue 11): a write is applied with its audit entry or not at all,
 * the damaged key is repaired by the next SDK call that meets it, and the repair is logged once.
 */
class DamagedInternalKeysTest {

  private static final Change ALICE = Change.by("alice");
  private static final String REPAIRS = "dev.flags.redis.Repairs";
  private static RedisServerProcess redis;
  private FlagAdmin admin;
  private Jedis j;
  private LogCapture log;

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void fresh() {
    j = redis.jedis();
    j.flushAll();
    admin = RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build();
    log = LogCapture.of(REPAIRS, Level.INFO);
  }

  @AfterEach
  void close() {
    log.close();
    admin.close();
    j.close();
  }

  @Test
  void aCounterThatIsNotANumberNoLongerHalfAppliesAWrite() {
    // Regression: with #counter = abc, setOn threw, yet the flag changed, its version moved and no
    // audit entry was written (the script failed at INCR after its SET).
    admin.create(Flag.simple("alpha", true), ALICE);
    j.set("feature:#counter", "abc");

    admin.setOn("alpha", false, ALICE);

    assertThat(j.get("feature:alpha")).isEqualTo("false");
    assertThat(admin.get("alpha").orElseThrow().version()).isEqualTo(2);
    assertThat(admin.audit(AuditQuery.flag("alpha")))
        .extracting(AuditEntry::version)
        .containsExactly(2L, 1L);
    assertThat(Long.parseLong(j.get("feature:#counter"))).isGreaterThan(2);
    assertThat(log.warnings())
        .singleElement()
        .asString()
        .contains("feature:#counter held \"abc\", not an integer: reset to");
  }

  @Test
  void aCounterOfAnotherTypeIsRenamedAsideAndStartedAgain() {
    admin.create(Flag.simple("alpha", true), ALICE);
    j.del("feature:#counter");
    j.sadd("feature:#counter", "x");

    admin.setOn("alpha", false, ALICE);

    assertThat(j.type("feature:#counter:damaged")).isEqualTo("set");
    assertThat(Long.parseLong(j.get("feature:#counter"))).isGreaterThan(2);
  }

  @Test
  void anAuditStreamThatIsAStringIsRenamedAsideAndTheWriteIsAudited() {
    // Regression: with #audit a string, the write was applied and XADD failed: no audit entry.
    admin.create(Flag.simple("alpha", true), ALICE);
    j.set("feature:#audit", "oops");

    admin.setOn("alpha", false, Change.by("bob").because("INC-7"));

    assertThat(j.get("feature:#audit:damaged")).isEqualTo("oops");
    assertThat(admin.audit(AuditQuery.flag("alpha")))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.actor()).isEqualTo("bob");
              assertThat(e.version()).isEqualTo(2);
              assertThat(e.before()).contains("true");
            });
    assertThat(log.warnings())
        .singleElement()
        .asString()
        .contains("feature:#audit was a string, not a stream: renamed to feature:#audit:damaged");
  }

  @Test
  void aBadVersionsFieldNeitherHidesTheFlagNorBreaksItsWrites() {
    // Regression: HSET feature:#versions b x1 made get("b") return empty for a flag that exists.
    admin.create(Flag.simple("b", true), ALICE);
    admin.setOn("b", false, ALICE);
    j.hset("feature:#versions", "b", "x1");

    assertThat(admin.get("b")).hasValueSatisfying(v -> assertThat(v.version()).isEqualTo(2));
    assertThat(j.hget("feature:#versions", "b")).isEqualTo("2");
    assertThat(admin.setOn("b", true, ALICE).version()).isEqualTo(3);
    assertThat(log.warnings())
        .singleElement()
        .asString()
        .contains("field b held \"x1\", not a version: set to 2 from its last audit entry");
  }

  @Test
  void aBadVersionsFieldWithoutAnAuditEntryIsSetFromTheCounterSoVersionsNeverGoBack() {
    admin.create(Flag.simple("b", true), ALICE);
    for (int i = 0; i < 5; i++) {
      admin.setOn("b", i % 2 == 0, ALICE);
    }
    long before = admin.get("b").orElseThrow().version();
    j.hset("feature:#last-change", "b", "gone");
    j.hset("feature:#versions", "b", "-3");

    assertThat(admin.get("b").orElseThrow().version()).isGreaterThanOrEqualTo(before);
  }

  @Test
  void anIndexThatIsAStringIsRebuiltAndAFreshStoreLoadsEveryFlag() {
    // Regression: a string at #index made fresh clients UNAVAILABLE.
    admin.create(Flag.simple("a", true), ALICE);
    admin.create(Flag.simple("b", true), ALICE);
    j.set("feature:#index", "x");

    assertThat(admin.list()).extracting(FlagRecord::key).containsExactly("a", "b");

    assertThat(j.smembers("feature:#index")).containsExactlyInAnyOrder("a", "b");
    try (Flags flags =
        Flags.builder()
            .store(RedisFlagStore.builder(RedisConnectionSettings.standalone(redis.uri())).build())
            .build()) {
      await().atMost(Duration.ofSeconds(15)).until(() -> flags.status() == StoreStatus.OK);
      assertThat(flags.isEnabled("b", EvaluationContext.of("u"))).isTrue();
    }
  }

  @Test
  void aDigestsHashOfAnotherTypeIsRebuiltWithoutTakingEveryFlagForARawEdit() {
    admin.create(Flag.simple("a", true), ALICE);
    admin.create(Flag.simple("b", true), ALICE);
    j.set("feature:#digests", "x");

    admin.setOn("a", false, ALICE);

    assertThat(admin.audit(AuditQuery.flag("b"))).hasSize(1);
    assertThat(admin.get("b").orElseThrow().version()).isEqualTo(1);
    assertThat(j.hgetAll("feature:#digests")).containsOnlyKeys("a", "b");
  }

  @Test
  void aVersionsHashOfAnotherTypeIsRebuiltFromTheAudit() {
    admin.create(Flag.simple("a", true), ALICE);
    admin.setOn("a", false, ALICE);
    admin.setOn("a", true, ALICE);
    j.set("feature:#versions", "x");

    assertThat(admin.get("a").orElseThrow().version()).isEqualTo(3);
    assertThat(admin.setOn("a", false, ALICE).version()).isEqualTo(4);
  }

  @Test
  void aKnownValuesHashOfAnotherTypeIsRebuiltSoARawEditStillRecordsTheDefinitionItReplaced() {
    Flag rich = Flag.builder("a").target(true, "vip").description("rich").build();
    admin.create(rich, ALICE);
    j.set("feature:#known", "x");
    admin.create(Flag.simple("other", true), ALICE); // repairs

    j.set("feature:a", "false");

    FlagRecord killed = admin.find("a").orElseThrow();
    assertThat(killed.killedByRawEdit()).isTrue();
    assertThat(killed.lastChange().orElseThrow().before().orElseThrow()).contains("vip");
  }

  @Test
  void withEveryInternalKeyDamagedAWriteIsAppliedWithItsEntryAndEachRepairIsLoggedOnce() {
    admin.create(Flag.simple("a", true), ALICE);
    admin.putSegment(Segment.builder("beta").include("u1").build(), ALICE);
    long before = admin.get("a").orElseThrow().version();
    List<String> damaged =
        List.of(
            "feature:#counter",
            "feature:#audit",
            "feature:#index",
            "feature:#versions",
            "feature:#digests",
            "feature:#known",
            "feature:#last-change",
            "feature:#segments",
            "feature:#segment-versions",
            "feature:#segment-digests",
            "feature:#segment-known",
            "feature:#segment-last-change");
    for (String key : damaged) {
      j.del(key);
      j.rpush(key, "damaged"); // a list: the wrong type for every one of them
    }

    admin.setOn("a", false, ALICE);
    admin.putSegment(Segment.builder("beta").include("u2").build(), ALICE);
    admin.setOn("a", true, ALICE);

    assertThat(admin.get("a").orElseThrow().flag().on()).isTrue();
    assertThat(admin.segment("beta").orElseThrow().segment().included()).containsExactly("u2");
    // Every trace of the two definitions was lost: each is taken in again, as a raw edit, when
    // met, with a version above any it had; then each write has its entry.
    List<AuditEntry> a = admin.audit(AuditQuery.flag("a"));
    assertThat(a)
        .extracting(AuditEntry::actor)
        .containsExactly("alice", "alice", AuditEntry.RAW_EDIT_ACTOR);
    assertThat(a.get(2).version()).isGreaterThan(before);
    assertThat(a).extracting(AuditEntry::version).isSortedAccordingTo((x, y) -> Long.compare(y, x));
    assertThat(admin.audit(AuditQuery.builder().segment("beta").build()))
        .extracting(AuditEntry::actor)
        .containsExactly("alice", AuditEntry.RAW_EDIT_ACTOR);
    assertThat(log.warnings()).hasSize(damaged.size());
    for (String key : damaged) {
      assertThat(j.type(key + ":damaged")).as(key).isEqualTo("list");
    }
  }

  @Test
  void aStoreStuckOnADamagedCounterRecoversWithTheNextWrite() {
    // Regression: with #counter = abc, running clients stayed STALE for good. Now the damage is
    // reported (it affects only the change counter), the store keeps serving, and the next SDK
    // write repairs the counter and reaches the client.
    admin.create(Flag.simple("a", true), ALICE);
    RedisFlagStore store =
        RedisFlagStore.builder(RedisConnectionSettings.standalone(redis.uri()))
            .syncInterval(Duration.ofMillis(100))
            .build();
    try (Flags flags = Flags.builder().store(store).build()) {
      await().atMost(Duration.ofSeconds(15)).until(() -> flags.status() == StoreStatus.OK);
      j.set("feature:#counter", "abc");
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(() -> assertThat(store.problems()).contains("feature:#counter"));
      assertThat(flags.isEnabled("a", EvaluationContext.of("u"))).isTrue();

      admin.setOn("a", false, ALICE);

      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  flags.status() == StoreStatus.OK
                      && !flags.isEnabled("a", EvaluationContext.of("u")));
      assertThat(j.get("feature:#counter")).matches("\\d+");
    }
  }

  @Test
  void aFlagKeyHoldingAHashIsMalformedForThatFlagOnlyAndCanBeReplaced() {
    admin.create(Flag.simple("fine", true), ALICE);
    j.hset("feature:odd", "f", "v");
    j.sadd("feature:#index", "odd");

    List<FlagRecord> records = admin.list();

    assertThat(records).extracting(FlagRecord::key).containsExactly("fine", "odd");
    assertThat(records.get(1).isMalformed()).isTrue();
    admin.replace(Flag.simple("odd", false), ALICE);
    assertThat(j.get("feature:odd")).isEqualTo("false");
  }
}
