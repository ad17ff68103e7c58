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
        assertThat(b.evaluate(user)).as("user %d", user).containsExactly(true, true, true);
      }
    } finally {
      b.tearDown();
    }
  }
}
