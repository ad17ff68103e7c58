package dev.flags.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.EvaluationContext;
import dev.flags.core.FlagSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves our benchmarks measure what they claim: the same answers as the scenarios define (and the
 * peers give, see {@link PeerScenariosTest}), targets that really miss, and a codec document that
 * really holds 10,000 flags.
 */
class FlagsScenariosTest {

  private static FlagsBenchmark flags;
  private static TargetsBenchmark targets;

  @BeforeAll
  static void startClients() {
    flags = new FlagsBenchmark();
    flags.setUp();
    targets = new TargetsBenchmark();
    targets.setUp();
  }

  @AfterAll
  static void stopClients() {
    flags.tearDown();
    targets.tearDown();
  }

  @Test
  void servesTheBooleanFlagToEveryUser() {
    for (int u = 0; u < Scenarios.USERS; u++) {
      assertThat(flags.evaluate(Scenarios.BOOLEAN_ON, u)).as("user %d", u).isTrue();
    }
  }

  @Test
  void rollsOutToAboutTenPercentOfUsers() {
    int in = 0;
    for (int u = 0; u < Scenarios.USERS; u++) {
      in += flags.evaluate(Scenarios.ROLLOUT_10, u) ? 1 : 0;
    }
    assertThat((double) in / Scenarios.USERS).isBetween(0.07, 0.13);
  }

  @Test
  void servesTheRuleToMatchingUsersAndRollsOutToTheOthers() {
    int in = 0;
    int others = 0;
    for (int u = 0; u < Scenarios.USERS; u++) {
      boolean value = flags.evaluate(Scenarios.RULE_THEN_ROLLOUT, u);
      if (Scenarios.matchesRule(u)) {
        assertThat(value).as("user %d matches the rule", u).isTrue();
      } else {
        others++;
        in += value ? 1 : 0;
      }
    }
    assertThat((double) in / others).isBetween(0.07, 0.13);
  }

  @Test
  void benchmarkUsersAreNotTargetedButTargetedKeysAre() {
    for (int u = 0; u < Scenarios.USERS; u++) {
      EvaluationContext user = EvaluationContext.of(Scenarios.key(u));
      assertThat(targets.evaluate(TargetsBenchmark.TARGETS_100000, user))
          .as("user %d", u)
          .isFalse();
      assertThat(targets.evaluate(TargetsBenchmark.TARGETS_10, user)).as("user %d", u).isFalse();
    }
    assertThat(
            targets.evaluate(
                TargetsBenchmark.TARGETS_100000, EvaluationContext.of("customer-99999")))
        .isTrue();
    assertThat(targets.evaluate(TargetsBenchmark.TARGETS_10, EvaluationContext.of("customer-9")))
        .isTrue();
    assertThat(targets.evaluate(TargetsBenchmark.TARGETS_10, EvaluationContext.of("customer-10")))
        .isFalse();
  }

  @Test
  void everyBenchmarkMethodRuns() {
    for (int i = 0; i <= Scenarios.USERS; i++) {
      assertThat(flags.booleanOnForEveryone()).isTrue();
      assertThat(targets.targets100000NotTargeted()).isFalse();
      assertThat(targets.targets10NotTargeted()).isFalse();
    }
    flags.rollout10Percent();
    flags.ruleThenRollout();
  }

  @Test
  void codecBenchmarkDecodesTenThousandFlagsAndTheirSegments() {
    CodecBenchmark codec = new CodecBenchmark();
    codec.setUp();
    FlagSet decoded = codec.decode10000Flags();
    assertThat(decoded.flags()).hasSize(CodecBenchmark.FLAG_COUNT);
    assertThat(decoded.segments()).hasSize(RealisticFlags.SEGMENTS);
    assertThat(decoded).isEqualTo(RealisticFlags.flagSet(CodecBenchmark.FLAG_COUNT, 42));
  }
}
