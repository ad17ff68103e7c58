package dev.flags.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.benchmarks.TogglzBenchmark.BenchFeature;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves the peers' benchmarks measure the scenarios they claim: every peer answers what the
 * scenario defines, for every one of the 1,024 users, and each benchmark method runs. Rollouts
 * bucket with each SDK's own hash, so the same user may be in for one SDK and out for another; what
 * must match is the share of users in.
 */
class PeerScenariosTest {

  private static LaunchDarklyBenchmark launchDarkly;
  private static TogglzBenchmark togglz;
  private static UnleashBenchmark unleash;

  @BeforeAll
  static void startPeers() {
    launchDarkly = new LaunchDarklyBenchmark();
    launchDarkly.setUp();
    togglz = new TogglzBenchmark();
    togglz.setUp();
    unleash = new UnleashBenchmark();
    unleash.setUp();
  }

  @AfterAll
  static void stopPeers() throws Exception {
    launchDarkly.tearDown();
    unleash.tearDown();
  }

  @Test
  void everyPeerServesTheBooleanFlagToEveryUser() {
    for (int u = 0; u < Scenarios.USERS; u++) {
      assertThat(launchDarkly.evaluate(Scenarios.BOOLEAN_ON, u))
          .as("LaunchDarkly, user %d", u)
          .isTrue();
      assertThat(togglz.evaluate(BenchFeature.BOOL_ON, u)).as("Togglz, user %d", u).isTrue();
      assertThat(unleash.evaluate(Scenarios.BOOLEAN_ON, u)).as("Unleash, user %d", u).isTrue();
    }
  }

  @Test
  void everyPeerRollsOutToAboutTenPercentOfUsers() {
    assertThat(share(u -> launchDarkly.evaluate(Scenarios.ROLLOUT_10, u)))
        .as("LaunchDarkly")
        .isBetween(0.07, 0.13);
    assertThat(share(u -> togglz.evaluate(BenchFeature.ROLLOUT_10, u)))
        .as("Togglz")
        .isBetween(0.07, 0.13);
    assertThat(share(u -> unleash.evaluate(Scenarios.ROLLOUT_10, u)))
        .as("Unleash")
        .isBetween(0.07, 0.13);
  }

  @Test
  void everyPeerServesTheRuleToMatchingUsersAndRollsOutToTheOthers() {
    for (int u = 0; u < Scenarios.USERS; u++) {
      if (Scenarios.matchesRule(u)) {
        assertThat(launchDarkly.evaluate(Scenarios.RULE_THEN_ROLLOUT, u))
            .as("LaunchDarkly, user %d", u)
            .isTrue();
        assertThat(unleash.evaluate(Scenarios.RULE_THEN_ROLLOUT, u))
            .as("Unleash, user %d", u)
            .isTrue();
      }
    }
    IntPredicate outsideRule = u -> !Scenarios.matchesRule(u);
    assertThat(share(outsideRule, u -> launchDarkly.evaluate(Scenarios.RULE_THEN_ROLLOUT, u)))
        .as("LaunchDarkly")
        .isBetween(0.07, 0.13);
    assertThat(share(outsideRule, u -> unleash.evaluate(Scenarios.RULE_THEN_ROLLOUT, u)))
        .as("Unleash")
        .isBetween(0.07, 0.13);
  }

  @Test
  void everyPeerBenchmarkMethodRuns() {
    for (int i = 0; i < Scenarios.USERS; i++) {
      assertThat(launchDarkly.booleanOnForEveryone()).isTrue();
      assertThat(togglz.booleanOnForEveryone()).isTrue();
      assertThat(unleash.booleanOnForEveryone()).isTrue();
    }
    // The round-robin counters are past the end of the array: they must wrap, not throw.
    launchDarkly.rollout10Percent();
    launchDarkly.ruleThenRollout();
    togglz.rollout10Percent();
    unleash.rollout10Percent();
    unleash.ruleThenRollout();
  }

  @Test
  void unleashNeverTriesToFetchFeatures() {
    unleash.evaluate(Scenarios.ROLLOUT_10, 0);
    assertThat(UnleashBenchmark.FETCHES).hasValue(0);
  }

  private static double share(IntPredicate enabled) {
    return share(u -> true, enabled);
  }

  private static double share(IntPredicate among, IntPredicate enabled) {
    int in = 0;
    int total = 0;
    for (int u = 0; u < Scenarios.USERS; u++) {
      if (among.test(u)) {
        total++;
        if (enabled.test(u)) {
          in++;
        }
      }
    }
    return (double) in / total;
  }
}
