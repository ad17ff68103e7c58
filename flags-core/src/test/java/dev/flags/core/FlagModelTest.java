package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlagModelTest {

  @Test
  void rejectsBadKeysNamingTheKeyAndTheRule() {
    assertThatThrownBy(() -> Flag.simple("new checkout", true))
        .isInstanceOf(FlagValidationException.class)
        .hasMessageContaining("\"new checkout\"")
        .hasMessageContaining("1 to 128 characters: letters, digits, '_', '-' and '.'");
    assertThatThrownBy(() -> Flag.simple("", true)).isInstanceOf(FlagValidationException.class);
    assertThatThrownBy(() -> Flag.simple("x".repeat(129), true))
        .isInstanceOf(FlagValidationException.class);
    assertThat(Flag.simple("enable_stripe_v3-migration.2", true).key())
        .isEqualTo("enable_stripe_v3-migration.2");
    assertThat(Flag.simple("x".repeat(128), true).key()).hasSize(128);
  }

  @Test
  void rejectsVariationIndexesOutOfRangeWithThePath() {
    assertThatThrownBy(
            () -> Flag.builder("f").rule(Rule.when(Clause.in("plan", "pro")).serve(2)).build())
        .isInstanceOf(FlagValidationException.class)
        .hasMessageStartingWith("rules[0].variation: variation index 2 is out of range");
    assertThatThrownBy(() -> Flag.builder("f").offVariation(5).build())
        .hasMessageStartingWith("offVariation:");
    assertThatThrownBy(() -> Flag.builder("f").target(3, "u1").build())
        .hasMessageStartingWith("targets[0].variation:");
  }

  @Test
  void rejectsWeightsThatDoNotSumToOneHundredPercent() {
    assertThatThrownBy(() -> Rollout.builder().percent(0, 50).percent(1, 40).build())
        .isInstanceOf(FlagValidationException.class)
        .hasMessage(
            "weights: weights must sum to 100000 (100%, in thousandths of a percent), got 90000");
    assertThat(Rollout.builder().weight(0, 33_333).weight(1, 66_667).build().weights()).hasSize(2);
  }

  @Test
  void percentageHasThousandthOfAPercentGranularity() {
    Rollout r = Rollout.percentage(12.345);
    assertThat(r.weights())
        .containsExactly(
            new Rollout.WeightedVariation(1, 12_345), new Rollout.WeightedVariation(0, 87_655));
    assertThatThrownBy(() -> Rollout.percentage(100.5)).isInstanceOf(FlagValidationException.class);
  }

  @Test
  void rejectsAKeyTargetedByTwoVariations() {
    assertThatThrownBy(() -> Flag.builder("f").target(true, "u1").target(false, "u1").build())
        .hasMessageContaining(
            "targets[1].values: key \"u1\" is targeted by more than one variation");
  }

  @Test
  void rejectsInvalidRegexesWithThePattern() {
    assertThatThrownBy(() -> Clause.of("email", Operator.MATCHES, "([a-z]+"))
        .isInstanceOf(FlagValidationException.class)
        .hasMessageStartingWith("values[0]: invalid regular expression \"([a-z]+\"");
  }

  @Test
  void rejectsBadCidrRanges() {
    assertThatThrownBy(() -> Clause.of("ip", Operator.IP_IN_RANGE, "10.0.0.0/33"))
        .hasMessageStartingWith("values[0]: not a CIDR range");
    assertThat(Clause.of("ip", Operator.IP_IN_RANGE, "10.0.0.0/8", "2001:db8::/32").values())
        .hasSize(2);
  }

  @Test
  void keepsUnknownOperatorsAsWritten() {
    Clause c = new Clause("country", "isOneOfTheFuture", List.of(JsonValue.of("DE")), false, false);
    assertThat(c.operator()).isEmpty();
    assertThat(c.operatorName()).isEqualTo("isOneOfTheFuture");
  }

  @Test
  void flagSetReportsUnknownSegmentsWithTheirPath() {
    Flag f = Flag.builder("f").rule(Rule.when(Clause.inSegment("beta")).serve(true)).build();
    assertThatThrownBy(() -> FlagSet.of(f))
        .hasMessage("flags.f.rules[0].clauses[0].values[0]: unknown segment \"beta\"");
  }

  @Test
  void flagSetReportsPrerequisiteCyclesWithoutRecursing() {
    Flag a = Flag.builder("a").prerequisite("b", 1).build();
    Flag b = Flag.builder("b").prerequisite("c", 1).build();
    Flag c = Flag.builder("c").prerequisite("a", 1).build();
    assertThatThrownBy(() -> FlagSet.of(a, b, c))
        .isInstanceOf(FlagValidationException.class)
        .hasMessageContaining("prerequisite cycle: a -> b -> c -> a");
  }

  @Test
  void findsNoCycleInALongChain() {
    java.util.Map<String, Flag> chain = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 50_000; i++) {
      Flag.Builder b = Flag.builder("f" + i);
      if (i + 1 < 50_000) {
        b.prerequisite("f" + (i + 1), 1);
      }
      chain.put("f" + i, b.build());
    }
    assertThat(FlagSet.findPrerequisiteCycle(chain)).isEmpty();
  }

  @Test
  void simpleFlagIsABooleanSwitch() {
    Flag off = Flag.simple("kill", false);
    assertThat(off.on()).isFalse();
    assertThat(off.variations()).containsExactly(JsonValue.FALSE, JsonValue.TRUE);
    assertThat(off.isBoolean()).isTrue();
    assertThat(off.effectiveSalt()).isEqualTo("kill");
    assertThat(off.toBuilder().build()).isEqualTo(off);
  }

  @Test
  void modelCollectionsAreImmutableCopies() {
    List<String> keys = new java.util.ArrayList<>(List.of("u1"));
    Target t = Target.of(1, keys);
    keys.add("u2");
    assertThat(t.keys()).containsExactly("u1");
    assertThatThrownBy(() -> t.keys().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(new FlagMetadata("", "", List.of(), Optional.empty(), Optional.empty()))
        .isEqualTo(FlagMetadata.EMPTY);
  }
}
