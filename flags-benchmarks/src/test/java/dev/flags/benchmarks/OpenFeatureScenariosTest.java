package dev.flags.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The three ways of OpenFeatureBenchmark give the same answer to every user. */
class OpenFeatureScenariosTest {

  @Test
  void everyWayServesTheFlagToEveryUser() {
    OpenFeatureBenchmark b = new OpenFeatureBenchmark();
    b.setUp();
    try {
      for (int user = 0; user < Scenarios.USERS; user++) {
        boolean[] answers = b.evaluate(user);
        assertThat(answers[0]).as("user %d", user).isTrue();
        assertThat(answers[1]).as("user %d", user).isTrue();
        assertThat(answers[2]).as("user %d", user).isTrue();
        assertThat(answers[4]).as("user %d, rule then rollout", user).isEqualTo(answers[3]);
        if (Scenarios.matchesRule(user)) {
          assertThat(answers[4]).as("user %d matches the rule", user).isTrue();
        }
      }
    } finally {
      b.tearDown();
    }
  }
}
