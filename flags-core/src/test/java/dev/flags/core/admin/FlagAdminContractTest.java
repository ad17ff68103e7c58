package dev.flags.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flags.core.BucketingAlgorithm;
import dev.flags.core.Clause;
import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.FlagValidationException;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.Rollout;
import dev.flags.core.Rule;
import dev.flags.core.Segment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link FlagAdmin} shares, whatever its store: each store's test extends this
 * class (the in-memory store here, the file store in flags-core, Redis in flags-redis), so a
 * difference between stores is a failing test.
 */
public abstract class FlagAdminContractTest {

  protected static final Change ALICE = Change.by("alice").because("ticket PAY-12");
  protected static final Change BOB = Change.by("bob");

  protected FlagAdmin admin;

  /** A fresh, empty store and an admin over it. */
  protected abstract FlagAdmin createAdmin() throws Exception;

  /**
   * Writes a value the way someone without this SDK would (redis-cli SET, an editor): the admin
   * must notice it as a raw edit.
   */
  protected abstract void writeRaw(String flagKey, String value) throws Exception;

  /**
   * A definition the store holds but cannot read, as {@link #writeRaw} writes it: by default text
   * that is not JSON; a store that can only hold JSON (a flag file) gives JSON that breaks a rule.
   */
  protected String malformedDefinition() {
    return "{\"variations\": [true,";
  }

  /** Releases the store. */
  protected void closeStore() throws Exception {}

  @BeforeEach
  void open() throws Exception {
    admin = createAdmin();
  }

  @AfterEach
  void close() throws Exception {
    admin.close();
    closeStore();
  }

  static Flag rich(String key) {
    return Flag.builder(key)
        .rule(Rule.when(Clause.in("country", "DE", "FR")).serve(true))
        .target(true, "vip-1")
        .fallthroughRollout(Rollout.percentage(10))
        .owner("team-payments")
        .build();
  }

  // ------------------------------------------------------------ create, replace, delete

  @Test
  void createdFlagReadsBackWithVersionOne() {
    VersionedFlag created = admin.create(rich("checkout"), ALICE);

    assertThat(created.version()).isEqualTo(1);
    VersionedFlag read = admin.get("checkout").orElseThrow();
    assertThat(read.version()).isEqualTo(1);
    assertThat(read.flag().toBuilder().version(0).build()).isEqualTo(rich("checkout"));
  }

  @Test
  void createOfAStoredFlagConflictsAndWritesNothing() {
    admin.create(rich("checkout"), ALICE);

    assertThatThrownBy(() -> admin.create(Flag.simple("checkout", true), BOB))
        .isInstanceOf(FlagConflictException.class)
        .hasMessageContaining("already exists");
    assertThat(admin.get("checkout").orElseThrow().flag().rules()).hasSize(1);
    assertThat(admin.audit(AuditQuery.flag("checkout"))).hasSize(1);
  }

  @Test
  void createWithAnOperatorThisVersionDoesNotKnowIsRefusedWithThePath() {
    Flag future =
        Flag.builder("geo")
            .rule(
                Rule.when(
                        new Clause(
                            "loc",
                            "withinKilometres",
                            List.of(dev.flags.core.JsonValue.of(5)),
                            false,
                            false))
                    .serve(true))
            .build();

    assertThatThrownBy(() -> admin.create(future, ALICE))
        .isInstanceOf(FlagValidationException.class)
        .hasMessageContaining("rules[0].clauses[0].op")
        .hasMessageContaining("withinKilometres");
    assertThat(admin.find("geo")).isEmpty();
  }

  @Test
  void invalidKeyIsRefusedNamingTheRule() {
    assertThatThrownBy(() -> admin.setOn("bad key!", false, ALICE))
        .isInstanceOf(FlagValidationException.class)
        .hasMessageContaining("invalid key");
  }

  @Test
  void replaceFromAStaleVersionConflictsNamingWhoChangedItMeanwhile() {
    admin.create(rich("checkout"), ALICE);
    admin.setOn("checkout", false, Change.by("carol").because("INC-7"));

    assertThatThrownBy(() -> admin.replace(Flag.simple("checkout", true), BOB.ifVersion(1)))
        .isInstanceOfSatisfying(
            FlagConflictException.class,
            e -> {
              assertThat(e.expectedVersion()).isEqualTo(1);
              assertThat(e.currentVersion()).isEqualTo(2);
              assertThat(e.lastChange()).map(AuditEntry::actor).contains("carol");
            })
        .hasMessageContaining("changed by carol")
        .hasMessageContaining("INC-7");
    assertThat(admin.get("checkout").orElseThrow().version()).isEqualTo(2);
    assertThat(admin.audit(AuditQuery.flag("checkout"))).hasSize(2);
  }

  @Test
  void replaceAtTheCurrentVersionApplies() {
    admin.create(rich("checkout"), ALICE);

    VersionedFlag replaced = admin.replace(Flag.simple("checkout", true), BOB.ifVersion(1));

    assertThat(replaced.version()).isEqualTo(2);
    assertThat(admin.find("checkout").orElseThrow().storedValue()).isEqualTo("true");
  }

  @Test
  void replaceOfAMissingFlagIsNotFound() {
    assertThatThrownBy(() -> admin.replace(Flag.simple("nope", true), ALICE))
        .isInstanceOf(FlagNotFoundException.class)
        .hasMessageContaining("nope");
  }

  @Test
  void deleteSaysWhetherTheFlagWasStoredAndVersionsKeepMovingForward() {
    admin.create(rich("checkout"), ALICE);
    admin.setOn("checkout", false, ALICE);

    assertThat(admin.delete("checkout", BOB)).isTrue();
    assertThat(admin.delete("checkout", BOB)).isFalse();
    assertThat(admin.find("checkout")).isEmpty();

    VersionedFlag again = admin.create(Flag.simple("checkout", true), ALICE);
    assertThat(again.version()).isEqualTo(4);
  }

  // ------------------------------------------------------------ edits

  @Test
  void turningOffKeepsTheDefinition() {
    admin.create(rich("checkout"), ALICE);

    VersionedFlag off = admin.setOn("checkout", false, BOB);

    assertThat(off.flag().on()).isFalse();
    Flag stored = admin.get("checkout").orElseThrow().flag();
    assertThat(stored.on()).isFalse();
    assertThat(stored.toBuilder().on(true).version(0).build()).isEqualTo(rich("checkout"));
  }

  @Test
  void aPlainSwitchIsStoredAsBareTrueOrFalse() {
    admin.create(Flag.simple("banner", true), ALICE);
    assertThat(admin.find("banner").orElseThrow().storedValue()).isEqualTo("true");

    admin.setOn("banner", false, ALICE);
    assertThat(admin.find("banner").orElseThrow().storedValue()).isEqualTo("false");
  }

  @Test
  void anEditThatChangesNothingWritesNothing() {
    admin.create(rich("checkout"), ALICE);

    VersionedFlag same = admin.setOn("checkout", true, BOB);

    assertThat(same.version()).isEqualTo(1);
    assertThat(admin.audit(AuditQuery.flag("checkout"))).hasSize(1);
  }

  @Test
  void rampKeepsAlgorithmSaltBucketByAndTheOrderOfWeights() {
    Rollout compat =
        Rollout.builder()
            .weight(0, 90_000)
            .weight(1, 10_000)
            .bucketBy("tenantId")
            .algorithm(BucketingAlgorithm.MD5_PERCENT_COMPAT)
            .build();
    admin.create(
        Flag.builder("canary").fallthroughRollout(compat).salt("canary-salt").build(), ALICE);

    Flag ramped = admin.setRolloutPercentage("canary", 25, BOB).flag();

    Rollout r = (Rollout) ramped.fallthrough();
    assertThat(r.algorithm()).isEqualTo(BucketingAlgorithm.MD5_PERCENT_COMPAT);
    assertThat(r.bucketBy()).contains("tenantId");
    assertThat(ramped.salt()).contains("canary-salt");
    assertThat(r.weights())
        .containsExactly(
            new Rollout.WeightedVariation(0, 75_000), new Rollout.WeightedVariation(1, 25_000));
    assertThat(admin.get("canary").orElseThrow().flag()).isEqualTo(ramped);
  }

  @Test
  void aRampUpOnlyAddsUsersAndARampDownOnlyRemovesThem() {
    Rollout trueLast =
        Rollout.builder()
            .weight(0, 99_000)
            .weight(1, 1_000)
            .algorithm(BucketingAlgorithm.MD5_PERCENT_COMPAT)
            .build();
    admin.create(Flag.builder("canary").fallthroughRollout(trueLast).build(), ALICE);
    Set<String> previous = usersIn(admin.get("canary").orElseThrow().flag());

    for (double p : new double[] {5, 25, 50, 100}) {
      Set<String> now = usersIn(admin.setRolloutPercentage("canary", p, ALICE).flag());
      assertThat(now).as("at %s%%", p).containsAll(previous);
      previous = now;
    }
    assertThat(previous).hasSize(1000);
    for (double p : new double[] {50, 10, 0}) {
      Set<String> now = usersIn(admin.setRolloutPercentage("canary", p, ALICE).flag());
      assertThat(previous).as("at %s%%", p).containsAll(now);
      previous = now;
    }
    assertThat(previous).isEmpty();
  }

  @Test
  void rampOfAFixedFallthroughMakesAPercentageRollout() {
    admin.create(Flag.simple("banner", false), ALICE);

    Flag ramped = admin.setRolloutPercentage("banner", 12.5, ALICE).flag();

    assertThat(ramped.fallthrough()).isEqualTo(Rollout.percentage(12.5));
  }

  @Test
  void rampRefusesANonBooleanFlagAndAPercentageOutOfRange() {
    admin.create(
        Flag.builder("color").variations("green", "blue").fallthroughVariation(1).build(), ALICE);
    admin.create(Flag.simple("banner", true), ALICE);

    assertThatThrownBy(() -> admin.setRolloutPercentage("color", 10, ALICE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a boolean flag");
    assertThatThrownBy(() -> admin.setRolloutPercentage("banner", 120, ALICE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0..100");
    assertThat(admin.audit(AuditQuery.ALL)).hasSize(2);
  }

  @Test
  void addingTargetsMovesAKeyBetweenVariations() {
    admin.create(rich("checkout"), ALICE);

    admin.addTargets("checkout", false, List.of("vip-1", "alice"), ALICE);
    Flag f = admin.get("checkout").orElseThrow().flag();
    assertThat(f.targets()).hasSize(1);
    assertThat(f.targets().get(0).variation()).isEqualTo(0);
    assertThat(f.targets().get(0).keys()).containsExactlyInAnyOrder("vip-1", "alice");

    admin.removeTargets("checkout", 0, List.of("vip-1", "alice"), ALICE);
    assertThat(admin.get("checkout").orElseThrow().flag().targets()).isEmpty();
  }

  @Test
  void targetsOfAVariationTheFlagLacksAreRefused() {
    admin.create(rich("checkout"), ALICE);

    assertThatThrownBy(() -> admin.addTargets("checkout", 5, List.of("x"), ALICE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 variation(s), got index 5");
  }

  @Test
  void metadataEditsKeepTheRest() {
    admin.create(rich("checkout"), ALICE);
    Instant kill = Instant.parse("2027-01-31T00:00:00Z");

    Flag f =
        admin
            .updateMetadata(
                "checkout",
                m ->
                    new dev.flags.core.FlagMetadata(
                        "new checkout",
                        "team-web",
                        List.of("checkout"),
                        m.createdAt(),
                        java.util.Optional.of(kill)),
                ALICE)
            .flag();

    assertThat(f.metadata().owner()).isEqualTo("team-web");
    assertThat(f.metadata().killDate()).contains(kill);
    assertThat(f.rules()).isEqualTo(rich("checkout").rules());
  }

  @Test
  void editsKeepWhatThisVersionDoesNotUnderstand() throws Exception {
    String future =
        "{\"on\":true,\"variations\":[false,true],\"fallthrough\":{\"variation\":1},"
            + "\"plan\":{\"steps\":[1,5,25]},"
            + "\"rules\":[{\"clauses\":[{\"attribute\":\"loc\",\"op\":\"withinKilometres\",\"values\":[5]}],\"variation\":1}]}";
    writeRaw("geo", future);

    admin.setOn("geo", false, ALICE);
    admin.setRolloutPercentage("geo", 30, ALICE);
    admin.addTargets("geo", true, List.of("vip"), ALICE);

    String stored = admin.find("geo").orElseThrow().storedValue();
    assertThat(stored).contains("\"plan\":{\"steps\":[1,5,25]}").contains("withinKilometres");
    Flag f = admin.get("geo").orElseThrow().flag();
    assertThat(f.on()).isFalse();
    assertThat(f.fallthrough()).isEqualTo(Rollout.percentage(30));
    assertThat(f.targets()).hasSize(1);
  }

  @Test
  void concurrentEditsWithoutAnExpectedVersionLoseNothing() throws Exception {
    admin.create(Flag.simple("checkout", true), ALICE);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String user = "user-" + i;
        done.add(
            pool.submit(() -> admin.addTargets("checkout", true, List.of(user), Change.by("t"))));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    Flag f = admin.get("checkout").orElseThrow().flag();
    assertThat(f.targets().get(0).keys()).hasSize(20);
    assertThat(admin.get("checkout").orElseThrow().version()).isEqualTo(21);
  }

  // ------------------------------------------------------------ malformed values

  @Test
  void aMalformedValueIsListedWithItsProblemAndCanBeReplaced() throws Exception {
    admin.create(Flag.simple("fine", true), ALICE);
    writeRaw("broken", malformedDefinition());

    List<FlagRecord> records = admin.list();
    assertThat(records).extracting(FlagRecord::key).containsExactly("broken", "fine");
    FlagRecord broken = records.get(0);
    assertThat(broken.isMalformed()).isTrue();
    assertThat(broken.problem()).isPresent();
    assertThatThrownBy(() -> admin.get("broken")).isInstanceOf(MalformedFlagException.class);
    assertThatThrownBy(() -> admin.setOn("broken", false, ALICE))
        .isInstanceOf(MalformedFlagException.class)
        .hasMessageContaining("replace it");

    admin.replace(Flag.simple("broken", false), ALICE);
    assertThat(admin.get("broken").orElseThrow().flag().on()).isFalse();
  }

  // ------------------------------------------------------------ audit and restore

  @Test
  void everyWriteIsAuditedWithActorReasonBeforeAndAfter() {
    admin.create(Flag.simple("banner", true), ALICE);
    admin.setOn("banner", false, BOB.because("too loud"));
    admin.delete("banner", ALICE);

    List<AuditEntry> entries = admin.audit(AuditQuery.flag("banner"));
    assertThat(entries)
        .extracting(AuditEntry::action)
        .containsExactly("delete", "update", "create");
    assertThat(entries).extracting(AuditEntry::version).containsExactly(3L, 2L, 1L);
    AuditEntry update = entries.get(1);
    assertThat(update.actor()).isEqualTo("bob");
    assertThat(update.reason()).isEqualTo("too loud");
    assertThat(update.before()).contains("true");
    assertThat(update.after()).contains("false");
    assertThat(entries.get(0).after()).isEmpty();
    assertThat(entries.get(2).before()).isEmpty();
    assertThat(admin.auditEntry(update.id())).contains(update);
  }

  @Test
  void auditQueriesFilterByKeyActorAndLimit() {
    admin.create(Flag.simple("a", true), ALICE);
    admin.create(Flag.simple("b", true), BOB);
    admin.setOn("a", false, BOB);

    assertThat(admin.audit(AuditQuery.builder().actor("bob").build()))
        .extracting(AuditEntry::key)
        .containsExactly("a", "b");
    assertThat(admin.audit(AuditQuery.flag("a"))).hasSize(2);
    assertThat(admin.audit(AuditQuery.builder().limit(1).build()))
        .singleElement()
        .satisfies(e -> assertThat(e.key()).isEqualTo("a"));
    Instant first = admin.audit(AuditQuery.ALL).get(2).time();
    assertThat(admin.audit(AuditQuery.builder().from(first).build())).hasSize(3);
  }

  @Test
  void restoreToAVersionBringsBackItsDefinitionUnderANewVersion() {
    admin.create(rich("checkout"), ALICE);
    admin.replace(Flag.simple("checkout", false), BOB);

    VersionedFlag restored = admin.restore("checkout", RestorePoint.version(1), ALICE);

    assertThat(restored.version()).isEqualTo(3);
    assertThat(restored.flag().toBuilder().version(0).build()).isEqualTo(rich("checkout"));
    AuditEntry entry = admin.audit(AuditQuery.flag("checkout")).get(0);
    assertThat(entry.action()).isEqualTo(AuditEntry.ACTION_RESTORE);
    assertThat(entry.reason()).contains("version 1");
  }

  @Test
  void restoreToAnEntryAndOfADeletedFlag() {
    admin.create(rich("checkout"), ALICE);
    String firstEntry = admin.audit(AuditQuery.flag("checkout")).get(0).id();
    admin.delete("checkout", BOB);

    VersionedFlag restored = admin.restore("checkout", RestorePoint.entry(firstEntry), ALICE);

    assertThat(restored.flag().rules()).hasSize(1);
    assertThat(admin.get("checkout")).isPresent();
  }

  @Test
  void restoreOfAVersionTheLogDoesNotHoldIsRefused() {
    admin.create(rich("checkout"), ALICE);

    assertThatThrownBy(() -> admin.restore("checkout", RestorePoint.version(7), ALICE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 7");
  }

  @Test
  void aRawKillSwitchKeepsThePreviousDefinitionToRestore() throws Exception {
    admin.create(rich("checkout"), ALICE);

    writeRaw("checkout", "false");

    FlagRecord killed = admin.find("checkout").orElseThrow();
    assertThat(killed.killedByRawEdit()).isTrue();
    assertThat(killed.version()).isEqualTo(2);
    AuditEntry raw = killed.lastChange().orElseThrow();
    assertThat(raw.actor()).isEqualTo(AuditEntry.RAW_EDIT_ACTOR);

    VersionedFlag back = admin.restore("checkout", RestorePoint.version(1), BOB);
    assertThat(back.flag().toBuilder().version(0).build()).isEqualTo(rich("checkout"));
    assertThat(admin.find("checkout").orElseThrow().killedByRawEdit()).isFalse();
  }

  // ------------------------------------------------------------ import and seeding

  @Test
  void importPlansThenAppliesEverythingAtOnce() {
    admin.create(Flag.simple("same", true), ALICE);
    admin.create(Flag.simple("changed", true), ALICE);
    admin.create(Flag.simple("extra", true), ALICE);
    FlagSet file =
        FlagSet.of(
            List.of(
                Flag.simple("same", true),
                Flag.simple("changed", false),
                Flag.simple("fresh", true)),
            List.of(Segment.builder("beta").include("u1").build()));

    ImportPlan plan = admin.planImport(file, true);

    assertThat(plan.count(ImportPlan.Action.CREATE)).isEqualTo(2); // fresh, beta
    assertThat(plan.count(ImportPlan.Action.UPDATE)).isEqualTo(1);
    assertThat(plan.count(ImportPlan.Action.DELETE)).isEqualTo(1);
    assertThat(plan.count(ImportPlan.Action.UNCHANGED)).isEqualTo(1);
    assertThat(admin.find("fresh")).isEmpty();

    List<AuditEntry> written = admin.applyImport(plan, BOB);

    assertThat(written).hasSize(4);
    assertThat(admin.list())
        .extracting(FlagRecord::key)
        .containsExactly("changed", "fresh", "same");
    assertThat(admin.get("changed").orElseThrow().flag().on()).isFalse();
    assertThat(admin.segment("beta")).isPresent();
  }

  @Test
  void anImportIsAppliedWholeOrNotAtAll() {
    admin.create(Flag.simple("a", true), ALICE);
    ImportPlan plan =
        admin.planImport(FlagSet.of(Flag.simple("a", false), Flag.simple("b", true)), false);
    admin.setOn("a", false, Change.by("carol")); // meanwhile

    assertThatThrownBy(() -> admin.applyImport(plan, BOB))
        .isInstanceOf(FlagConflictException.class)
        .hasMessageContaining("carol");
    assertThat(admin.find("b")).isEmpty();
  }

  @Test
  void createMissingSeedsOnlyWhatIsNotStored() {
    admin.create(Flag.simple("a", false), ALICE);

    List<String> created =
        admin.createMissing(FlagSet.of(Flag.simple("a", true), Flag.simple("b", true)), BOB);

    assertThat(created).containsExactly("b");
    assertThat(admin.get("a").orElseThrow().flag().on()).isFalse();
  }

  // ------------------------------------------------------------ segments

  @Test
  void segmentsAreWrittenVersionedAndAudited() {
    Segment beta = Segment.builder("beta").include("u1", "u2").build();

    VersionedSegment put = admin.putSegment(beta, ALICE);
    assertThat(put.version()).isEqualTo(1);
    VersionedSegment again = admin.putSegment(Segment.builder("beta").include("u3").build(), BOB);
    assertThat(again.version()).isEqualTo(2);
    assertThat(admin.segment("beta").orElseThrow().segment().included()).containsExactly("u3");
    assertThat(admin.segments()).hasSize(1);

    assertThatThrownBy(() -> admin.putSegment(beta, ALICE.ifVersion(1)))
        .isInstanceOf(FlagConflictException.class);
    assertThat(admin.deleteSegment("beta", ALICE)).isTrue();
    assertThat(admin.segment("beta")).isEmpty();
    assertThat(admin.audit(AuditQuery.builder().segment("beta").build())).hasSize(3);
  }

  // ------------------------------------------------------------ helpers

  /** The users of 1,000 that a flag serves {@code true}, evaluated by a real client. */
  static Set<String> usersIn(Flag flag) {
    Set<String> in = new HashSet<>();
    try (Flags flags = Flags.builder().store(InMemoryFlagStore.of(flag)).build()) {
      IntStream.range(0, 1000)
          .mapToObj(i -> "user-" + i)
          .filter(
              u ->
                  flags.isEnabled(
                      flag.key(), EvaluationContext.builder(u).set("tenantId", u).build()))
          .forEach(in::add);
    }
    return in;
  }
}
