package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Evaluation semantics, through the public client. */
class EvaluatorTest {
  private final InMemoryFlagStore store = InMemoryFlagStore.empty();
  private final Flags flags = Flags.builder().store(store).build();

  @AfterEach
  void close() {
    flags.close();
  }

  private static EvaluationContext user(String key) {
    return EvaluationContext.of(key);
  }

  private boolean eval(Clause clause, EvaluationContext ctx) {
    store.upsert(Flag.builder("f").fallthrough(false).rule(Rule.when(clause).serve(true)).build());
    return flags.getBoolean("f", ctx, false);
  }

  private static EvaluationContext with(String attribute, Object value) {
    return EvaluationContext.builder("u").set(attribute, JsonValue.from(value)).build();
  }

  @Test
  void offFlagServesItsOffVariation() {
    store.upsert(
        Flag.builder("f")
            .variations("a", "b", "c")
            .offVariation(2)
            .fallthroughVariation(0)
            .on(false)
            .build());
    EvaluationDetail<String> d = flags.getStringDetail("f", user("u"), "default");
    assertThat(d.value()).isEqualTo("c");
    assertThat(d.reason().kind()).isEqualTo(EvaluationReason.Kind.OFF);
  }

  @Test
  void targetsWinOverRules() {
    store.upsert(
        Flag.builder("f")
            .fallthrough(false)
            .target(false, "u1")
            .rule(Rule.when(Clause.in("key", "u1", "u2")).serve(true))
            .build());
    assertThat(flags.getBooleanDetail("f", user("u1"), true).reason().kind())
        .isEqualTo(EvaluationReason.Kind.TARGET_MATCH);
    assertThat(flags.isEnabled("f", user("u1"))).isFalse();
    assertThat(flags.isEnabled("f", user("u2"))).isTrue();
  }

  @Test
  void firstMatchingRuleWinsAndIsReported() {
    store.upsert(
        Flag.builder("f")
            .variations("none", "de", "pro")
            .fallthroughVariation(0)
            .rule(Rule.when(Clause.in("country", "DE")).serve(1).withId("germany"))
            .rule(Rule.when(Clause.in("plan", "pro")).serve(2))
            .build());
    EvaluationContext both =
        EvaluationContext.builder("u").set("country", "DE").set("plan", "pro").build();
    EvaluationDetail<String> d = flags.getStringDetail("f", both, "x");
    assertThat(d.value()).isEqualTo("de");
    assertThat(d.reason().ruleIndex()).hasValue(0);
    assertThat(d.reason().ruleId()).hasValue("germany");
    EvaluationContext pro = EvaluationContext.builder("u").set("plan", "pro").build();
    assertThat(flags.getStringDetail("f", pro, "x").reason().ruleIndex()).hasValue(1);
    assertThat(flags.getStringDetail("f", user("u"), "x").reason().kind())
        .isEqualTo(EvaluationReason.Kind.FALLTHROUGH);
  }

  @Test
  void allClausesOfARuleMustMatch() {
    store.upsert(
        Flag.builder("f")
            .fallthrough(false)
            .rule(Rule.when(Clause.in("country", "DE", "FR"), Clause.in("plan", "pro")).serve(true))
            .build());
    assertThat(
            flags.isEnabled(
                "f",
                EvaluationContext.builder("u").set("country", "FR").set("plan", "pro").build()))
        .isTrue();
    assertThat(
            flags.isEnabled(
                "f",
                EvaluationContext.builder("u").set("country", "FR").set("plan", "free").build()))
        .isFalse();
  }

  @Test
  void stringOperatorsWithAndWithoutCase() {
    assertThat(
            eval(
                Clause.of("email", Operator.ENDS_WITH, "@example.com"),
                with("email", "a@example.com")))
        .isTrue();
    assertThat(
            eval(
                Clause.of("email", Operator.ENDS_WITH, "@example.com"),
                with("email", "a@EXAMPLE.com")))
        .isFalse();
    assertThat(
            eval(
                Clause.of("email", Operator.ENDS_WITH, "@example.com").ignoringCase(),
                with("email", "a@EXAMPLE.com")))
        .isTrue();
    assertThat(eval(Clause.of("name", Operator.STARTS_WITH, "Ad"), with("name", "Ada"))).isTrue();
    assertThat(
            eval(Clause.of("name", Operator.STARTS_WITH, "ad").ignoringCase(), with("name", "Ada")))
        .isTrue();
    assertThat(
            eval(
                Clause.of("name", Operator.CONTAINS, "DA").ignoringCase(),
                with("name", "ada lovelace")))
        .isTrue();
    assertThat(eval(Clause.of("name", Operator.CONTAINS, "xyz"), with("name", "ada"))).isFalse();
    assertThat(eval(Clause.in("country", "de").ignoringCase(), with("country", "DE"))).isTrue();
    assertThat(eval(Clause.in("country", "de"), with("country", "DE"))).isFalse();
  }

  @Test
  void inWithManyValuesUsesASetAndStillHonoursCase() {
    Object[] many = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "J"};
    assertThat(eval(Clause.in("x", many), with("x", "J"))).isTrue();
    assertThat(eval(Clause.in("x", many), with("x", "j"))).isFalse();
    assertThat(eval(Clause.in("x", many).ignoringCase(), with("x", "j"))).isTrue();
  }

  @Test
  void inComparesNumbersNumericallyAndBooleans() {
    assertThat(eval(Clause.in("age", 42), with("age", 42.0))).isTrue();
    assertThat(eval(Clause.in("beta", true), with("beta", true))).isTrue();
    assertThat(eval(Clause.in("beta", true), with("beta", false))).isFalse();
    assertThat(eval(Clause.in("age", "42"), with("age", 42))).isFalse();
  }

  @Test
  void regexSearchesAndCapsInputLength() {
    assertThat(
            eval(
                Clause.of("email", Operator.MATCHES, "@(acme|corp)\\.com$"),
                with("email", "x@acme.com")))
        .isTrue();
    assertThat(
            eval(
                Clause.of("email", Operator.MATCHES, "^ACME").ignoringCase(),
                with("email", "acme@x")))
        .isTrue();
    String evil = "a".repeat(CompiledClause.MAX_REGEX_INPUT + 1);
    assertThat(eval(Clause.of("s", Operator.MATCHES, "a+"), with("s", evil))).isFalse();
  }

  @Test
  void deeplyRecursivePatternDoesNotThrowStackOverflowFromEvaluation() {
    // Regression: ^(a|b)*$ recursed once per character and threw StackOverflowError to the caller.
    String value = "ab".repeat(CompiledClause.MAX_REGEX_INPUT / 2);
    EvaluationDetail<Boolean> d =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () -> {
              store.upsert(
                  Flag.builder("f")
                      .fallthrough(false)
                      .rule(Rule.when(Clause.of("s", Operator.MATCHES, "^(a|b)*$")).serve(true))
                      .build());
              return flags.getBooleanDetail("f", with("s", value), true);
            });
    assertThat(d.reason().kind()).isNotEqualTo(EvaluationReason.Kind.ERROR);
    assertThat(d.reason().kind())
        .isIn(EvaluationReason.Kind.RULE_MATCH, EvaluationReason.Kind.FALLTHROUGH);
  }

  @Test
  void stackOverflowInTheRegexEngineCountsAsNoMatch() throws InterruptedException {
    // On a small stack even a capped value overflows the engine's recursion: it must not escape.
    String value = "ab".repeat(CompiledClause.MAX_REGEX_INPUT / 2);
    store.upsert(
        Flag.builder("f")
            .fallthrough(false)
            .rule(Rule.when(Clause.of("s", Operator.MATCHES, "^(a|b)*$")).serve(true))
            .build());
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread small =
        new Thread(
            null,
            () -> {
              try {
                outcome.set(flags.getBooleanDetail("f", with("s", value), true));
              } catch (Throwable t) {
                outcome.set(t);
              }
            },
            "small-stack",
            64 * 1024);
    small.start();
    small.join(Duration.ofSeconds(10).toMillis());
    assertThat(outcome.get()).isInstanceOf(EvaluationDetail.class);
    EvaluationDetail<?> d = (EvaluationDetail<?>) outcome.get();
    assertThat(d.reason().kind())
        .isIn(EvaluationReason.Kind.RULE_MATCH, EvaluationReason.Kind.FALLTHROUGH);
  }

  @Test
  void deeplyRecursivePatternOnTheOldCapDoesNotThrow() {
    // The 4,000-character attribute of the original report is now refused by the cap.
    assertThat(
            assertTimeoutPreemptively(
                Duration.ofSeconds(5),
                () ->
                    eval(
                        Clause.of("s", Operator.MATCHES, "^(a|b)*$"),
                        with("s", "ab".repeat(2000)))))
        .isFalse();
  }

  @Test
  void exponentialBacktrackingIsCutOffAndDoesNotMatch() {
    // Regression: (.*){1,32000}[bc] on 26 characters took seconds.
    assertThat(
            assertTimeoutPreemptively(
                Duration.ofSeconds(2),
                () ->
                    eval(
                        Clause.of("s", Operator.MATCHES, "(.*){1,32000}[bc]"),
                        with("s", "a".repeat(26)))))
        .isFalse();
    assertThat(
            assertTimeoutPreemptively(
                Duration.ofSeconds(2),
                () ->
                    eval(
                        Clause.of("s", Operator.MATCHES, "^(a+)+$"),
                        with("s", "a".repeat(64) + "!"))))
        .isFalse();
  }

  @Test
  void cutOffPatternStillLetsANegatedClauseMatchAndOtherPatternsBeTried() {
    String value = "a".repeat(64) + "!";
    assertThat(eval(Clause.of("s", Operator.MATCHES, "^(a+)+$").negated(), with("s", value)))
        .isTrue();
    assertThat(eval(Clause.of("s", Operator.MATCHES, "^(a+)+$", "!$"), with("s", value))).isTrue();
  }

  @Test
  void quadraticPatternOnCappedInputStillMatches() {
    String value = "x".repeat(CompiledClause.MAX_REGEX_INPUT - 3) + "foo";
    assertThat(eval(Clause.of("s", Operator.MATCHES, "y.*foo|.*foo$"), with("s", value))).isTrue();
    assertThat(eval(Clause.of("s", Operator.MATCHES, "^(a|aa)+$"), with("s", "a".repeat(30))))
        .isTrue();
  }

  @Test
  void numericOperators() {
    assertThat(eval(Clause.of("age", Operator.GT, 17), with("age", 18))).isTrue();
    assertThat(eval(Clause.of("age", Operator.GT, 17), with("age", 17))).isFalse();
    assertThat(eval(Clause.of("age", Operator.GTE, 17), with("age", 17))).isTrue();
    assertThat(eval(Clause.of("age", Operator.LT, 17.5), with("age", 17))).isTrue();
    assertThat(eval(Clause.of("age", Operator.LTE, 17), with("age", 17.0))).isTrue();
    assertThat(eval(Clause.of("age", Operator.EQ, 17), with("age", "17"))).isFalse();
  }

  @Test
  void semverOperatorsFollowPrecedenceIncludingPreReleases() {
    assertThat(eval(Clause.of("v", Operator.SEMVER_GT, "2.0.0"), with("v", "2.1.0"))).isTrue();
    assertThat(eval(Clause.of("v", Operator.SEMVER_GT, "2.0.0"), with("v", "2.0.0-rc.1")))
        .isFalse();
    assertThat(eval(Clause.of("v", Operator.SEMVER_LT, "2.0.0"), with("v", "2.0.0-rc.1"))).isTrue();
    assertThat(eval(Clause.of("v", Operator.SEMVER_LT, "1.0.0-beta.11"), with("v", "1.0.0-beta.2")))
        .isTrue();
    assertThat(eval(Clause.of("v", Operator.SEMVER_EQ, "1.2.3"), with("v", "1.2.3+build.5")))
        .isTrue();
    assertThat(eval(Clause.of("v", Operator.SEMVER_EQ, "1.2.3"), with("v", "v1.2.3"))).isFalse();
    assertThat(
            eval(Clause.of("v", Operator.SEMVER_EQ, "1.2.3").negated(), with("v", "not-a-version")))
        .isTrue();
  }

  @Test
  void beforeAndAfterCompareInstantsInIsoOrEpochMillis() {
    Clause afterLaunch = Clause.of("signupAt", Operator.AFTER, "2026-01-01T00:00:00Z");
    assertThat(eval(afterLaunch, with("signupAt", "2026-03-01T10:00:00+02:00"))).isTrue();
    assertThat(eval(afterLaunch, with("signupAt", 1_700_000_000_000L))).isFalse(); // Nov 2023
    assertThat(
            eval(
                Clause.of("signupAt", Operator.BEFORE, 1_767_225_600_000L),
                with("signupAt", "2025-12-31T23:59:59Z")))
        .isTrue();
    assertThat(eval(afterLaunch, with("signupAt", "yesterday"))).isFalse();
  }

  @Test
  void bucketByNumericAttributeBucketsLikeItsDecimalText() {
    store.upsert(
        Flag.builder("n").fallthroughRollout(Rollout.percentage(50).bucketBy("tenantId")).build());
    for (int id = 0; id < 200; id++) {
      boolean asNumber =
          flags.isEnabled("n", EvaluationContext.builder("u").set("tenantId", id).build());
      boolean asText =
          flags.isEnabled(
              "n", EvaluationContext.builder("u").set("tenantId", Integer.toString(id)).build());
      assertThat(asNumber).isEqualTo(asText);
    }
  }

  @Test
  void ipInRangeForIpv4AndIpv6() {
    assertThat(eval(Clause.of("ip", Operator.IP_IN_RANGE, "10.0.0.0/8"), with("ip", "10.20.30.40")))
        .isTrue();
    assertThat(eval(Clause.of("ip", Operator.IP_IN_RANGE, "10.0.0.0/8"), with("ip", "11.0.0.1")))
        .isFalse();
    assertThat(
            eval(
                Clause.of("ip", Operator.IP_IN_RANGE, "192.168.1.0/25"),
                with("ip", "192.168.1.127")))
        .isTrue();
    assertThat(
            eval(
                Clause.of("ip", Operator.IP_IN_RANGE, "192.168.1.0/25"),
                with("ip", "192.168.1.128")))
        .isFalse();
    assertThat(
            eval(
                Clause.of("ip", Operator.IP_IN_RANGE, "2001:db8::/32"),
                with("ip", "2001:db8:1::5")))
        .isTrue();
    assertThat(
            eval(Clause.of("ip", Operator.IP_IN_RANGE, "2001:db8::/32"), with("ip", "2001:db9::1")))
        .isFalse();
    assertThat(
            eval(
                Clause.of("ip", Operator.IP_IN_RANGE, "::ffff:0:0/96"),
                with("ip", "::ffff:10.0.0.1")))
        .isTrue();
    assertThat(eval(Clause.of("ip", Operator.IP_IN_RANGE, "10.0.0.0/8"), with("ip", "not-an-ip")))
        .isFalse();
    assertThat(eval(Clause.of("ip", Operator.IP_IN_RANGE, "10.0.0.0/8"), with("ip", "example.com")))
        .isFalse();
  }

  @Test
  void listAttributeMatchesWhenAnyElementDoes() {
    assertThat(eval(Clause.in("groups", "beta"), with("groups", List.of("staff", "beta"))))
        .isTrue();
    assertThat(eval(Clause.in("groups", "beta"), with("groups", List.of("staff")))).isFalse();
  }

  @Test
  void missingAttributeNeverMatchesEvenWhenNegated() {
    assertThat(eval(Clause.in("country", "DE"), user("u"))).isFalse();
    assertThat(eval(Clause.in("country", "DE").negated(), user("u"))).isFalse();
    assertThat(eval(Clause.in("country", "DE").negated(), with("country", "FR"))).isTrue();
    assertThat(eval(Clause.in("country", "DE").negated(), with("country", "DE"))).isFalse();
  }

  @Test
  void builtInAttributesCanBeTargeted() {
    assertThat(
            eval(
                Clause.in("kind", "organization"),
                EvaluationContext.builder("acme").kind("organization").build()))
        .isTrue();
    assertThat(
            eval(
                Clause.in("anonymous", true),
                EvaluationContext.builder("x").anonymous(true).build()))
        .isTrue();
    assertThat(eval(Clause.in("key", "x"), user("x"))).isTrue();
  }

  @Test
  void unknownOperatorNeverMatchesAndNeverFails() {
    Clause future = new Clause("country", "inTheFuture", List.of(JsonValue.of("DE")), false, false);
    assertThat(eval(future, with("country", "DE"))).isFalse();
    assertThat(eval(future.negated(), with("country", "DE"))).isFalse();
    assertThat(flags.getBooleanDetail("f", with("country", "DE"), true).reason().kind())
        .isEqualTo(EvaluationReason.Kind.FALLTHROUGH);
  }

  @Test
  void segmentsIncludeExcludeAndRules() {
    store.upsert(
        Segment.builder("beta").include("u1").exclude("u2").rule(Clause.in("plan", "pro")).build());
    store.upsert(
        Flag.builder("f")
            .fallthrough(false)
            .rule(Rule.when(Clause.inSegment("beta")).serve(true))
            .build());
    assertThat(flags.isEnabled("f", user("u1"))).isTrue();
    assertThat(flags.isEnabled("f", EvaluationContext.builder("u2").set("plan", "pro").build()))
        .isFalse();
    assertThat(flags.isEnabled("f", EvaluationContext.builder("u3").set("plan", "pro").build()))
        .isTrue();
    assertThat(flags.isEnabled("f", user("u3"))).isFalse();
    store.removeSegment("beta");
    assertThat(flags.isEnabled("f", user("u1"))).isFalse();
  }

  @Test
  void prerequisiteMustServeTheRequiredVariation() {
    store.upsert(Flag.simple("api_v2", false));
    store.upsert(Flag.builder("ui_v2").prerequisite("api_v2", 1).build());
    EvaluationDetail<Boolean> d = flags.getBooleanDetail("ui_v2", user("u"), true);
    assertThat(d.value()).isFalse();
    assertThat(d.reason().kind()).isEqualTo(EvaluationReason.Kind.PREREQUISITE_FAILED);
    assertThat(d.reason().prerequisiteKey()).hasValue("api_v2");
    store.set("api_v2", true);
    assertThat(flags.getBooleanDetail("ui_v2", user("u"), false).reason().kind())
        .isEqualTo(EvaluationReason.Kind.FALLTHROUGH);
    store.removeFlag("api_v2");
    assertThat(flags.getBooleanDetail("ui_v2", user("u"), true).reason().kind())
        .isEqualTo(EvaluationReason.Kind.PREREQUISITE_FAILED);
  }

  @Test
  void prerequisiteCycleFromAStoreIsReportedAsMalformedNotAStackOverflow() {
    store.upsert(Flag.builder("a").prerequisite("b", 1).build());
    store.upsert(Flag.builder("b").prerequisite("a", 1).build());
    EvaluationDetail<Boolean> d = flags.getBooleanDetail("b", user("u"), true);
    assertThat(d.value()).isTrue();
    assertThat(d.reason().errorKind()).hasValue(EvaluationReason.ErrorKind.MALFORMED_FLAG);
  }

  @Test
  void rolloutIsDeterministicAndCloseToItsPercentage() {
    store.upsert(Flag.builder("canary").percentageRollout(10).build());
    int on = 0;
    for (int i = 0; i < 10_000; i++) {
      EvaluationContext u = user("user-" + i);
      boolean first = flags.isEnabled("canary", u);
      assertThat(flags.isEnabled("canary", u)).isEqualTo(first);
      on += first ? 1 : 0;
    }
    assertThat(on).isBetween(900, 1100);
  }

  @Test
  void rampingARolloutOnlyAddsUsers() {
    int[] steps = {1, 10, 25, 50, 100};
    java.util.Set<String> previous = java.util.Set.of();
    for (int p : steps) {
      store.upsert(Flag.builder("ramp").percentageRollout(p).build());
      java.util.Set<String> in = new java.util.HashSet<>();
      for (int i = 0; i < 5_000; i++) {
        if (flags.isEnabled("ramp", user("u" + i))) {
          in.add("u" + i);
        }
      }
      assertThat(in).containsAll(previous);
      previous = in;
    }
    assertThat(previous).hasSize(5_000);
  }

  @Test
  void rolloutReportsTheBucket() {
    store.upsert(Flag.builder("canary").percentageRollout(50).build());
    EvaluationDetail<Boolean> d = flags.getBooleanDetail("canary", user("user-7"), false);
    int bucket = BucketingAlgorithm.MURMUR3_V1.bucket("canary", "user-7");
    assertThat(d.reason().bucket()).hasValue(bucket);
    assertThat(d.value()).isEqualTo(bucket < 50_000);
  }

  @Test
  void bucketByAnotherAttributeAndLeaveOutContextsWithoutIt() {
    Rollout byTenant = Rollout.percentage(50).bucketBy("tenant");
    store.upsert(Flag.builder("b2b").fallthroughRollout(byTenant).build());
    EvaluationContext a = EvaluationContext.builder("alice").set("tenant", "acme").build();
    EvaluationContext b = EvaluationContext.builder("bob").set("tenant", "acme").build();
    assertThat(flags.isEnabled("b2b", a)).isEqualTo(flags.isEnabled("b2b", b));
    EvaluationDetail<Boolean> none = flags.getBooleanDetail("b2b", user("carol"), true);
    assertThat(none.reason().kind()).isEqualTo(EvaluationReason.Kind.FALLTHROUGH);
    assertThat(none.reason().bucket()).isEmpty();
    assertThat(none.variationIndex()).hasValue(0); // left out: the variation of bucket 99,999
    assertThat(none.value()).isFalse();
  }

  @Test
  void contextWithoutTheBucketByAttributeJoinsAPercentageRolloutOnlyAt100Percent() {
    // Regression: such contexts got bucket 0's variation, so every tenant-less context was IN.
    EvaluationContext noTenant = user("carol");
    EvaluationContext unbucketable = EvaluationContext.builder("dave").set("tenant", "").build();
    for (double p : new double[] {0, 0.001, 10, 99.999}) {
      store.upsert(
          Flag.builder("b2b").fallthroughRollout(Rollout.percentage(p).bucketBy("tenant")).build());
      assertThat(flags.isEnabled("b2b", noTenant)).as("at %s%%", p).isFalse();
      assertThat(flags.isEnabled("b2b", unbucketable)).as("at %s%%", p).isFalse();
    }
    store.upsert(
        Flag.builder("b2b").fallthroughRollout(Rollout.percentage(100).bucketBy("tenant")).build());
    assertThat(flags.isEnabled("b2b", noTenant)).isTrue();
    store.upsert(
        Flag.builder("multi")
            .variations("a", "b", "c", "d")
            .fallthroughRollout(
                Rollout.builder()
                    .weight(0, 50_000)
                    .weight(2, 50_000)
                    .weight(3, 0)
                    .bucketBy("tenant")
                    .build())
            .build());
    assertThat(flags.getString("multi", noTenant, "x")).isEqualTo("c"); // last non-zero weight
  }

  @Test
  void ruleRolloutLeavingAContextOutReportsTheRuleAndNoBucket() {
    store.upsert(
        Flag.builder("b2b")
            .fallthrough(false)
            .rule(
                Rule.when(Clause.in("plan", "pro"))
                    .rollout(Rollout.percentage(50).bucketBy("tenant")))
            .build());
    EvaluationDetail<Boolean> d =
        flags.getBooleanDetail(
            "b2b", EvaluationContext.builder("u").set("plan", "pro").build(), true);
    assertThat(d.value()).isFalse();
    assertThat(d.reason().kind()).isEqualTo(EvaluationReason.Kind.RULE_MATCH);
    assertThat(d.reason().ruleIndex()).hasValue(0);
    assertThat(d.reason().bucket()).isEmpty();
  }

  @Test
  void saltDefaultsToTheFlagKeySoFlagsPickDifferentUsers() {
    store.upsert(Flag.builder("beta_a").percentageRollout(10).build());
    store.upsert(Flag.builder("beta_b").percentageRollout(10).build());
    int both = 0;
    int inA = 0;
    for (int i = 0; i < 20_000; i++) {
      EvaluationContext u = user("u" + i);
      boolean a = flags.isEnabled("beta_a", u);
      inA += a ? 1 : 0;
      both += a && flags.isEnabled("beta_b", u) ? 1 : 0;
    }
    assertThat(inA).isBetween(1_800, 2_200);
    assertThat(both).isBetween(100, 300); // about 10% of 10%, not 10%
  }

  @Test
  void explicitSaltSharesBucketsAcrossFlags() {
    store.upsert(Flag.builder("x").salt("shared").percentageRollout(10).build());
    store.upsert(Flag.builder("y").salt("shared").percentageRollout(10).build());
    for (int i = 0; i < 2_000; i++) {
      EvaluationContext u = user("u" + i);
      assertThat(flags.isEnabled("x", u)).isEqualTo(flags.isEnabled("y", u));
    }
  }

  @Test
  void hundredThousandTargetsAreFound() {
    java.util.List<String> keys = new java.util.ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      keys.add("beta-" + i);
    }
    store.upsert(Flag.builder("beta").fallthrough(false).target(1, keys).build());
    assertThat(flags.isEnabled("beta", user("beta-99999"))).isTrue();
    assertThat(flags.isEnabled("beta", user("beta-100000"))).isFalse();
  }
}
