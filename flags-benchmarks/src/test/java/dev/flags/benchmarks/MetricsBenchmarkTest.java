package dev.flags.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Proves the A/B measures what it claims: "on" counts every evaluation, "off" has no hook. */
class MetricsBenchmarkTest {

  @Test
  void onCountsEveryEvaluationAndOffCountsNone() {
    for (String mode : new String[] {"on", "off"}) {
      MetricsBenchmark b = new MetricsBenchmark();
      b.metrics = mode;
      b.setUp();
      try {
        for (int i = 0; i < 100; i++) {
          assertThat(b.booleanOnForEveryone()).isTrue();
          b.rollout10Percent();
          b.ruleThenRollout();
        }
        assertThat(b.counted()).as(mode).isEqualTo(mode.equals("on") ? 300 : 0);
      } finally {
        b.tearDown();
      }
    }
  }

  @Test
  void refusesAModeOtherThanOnOrOff() {
    MetricsBenchmark b = new MetricsBenchmark();
    b.metrics = "yes";
    assertThatThrownBy(b::setUp).hasMessageContaining("metrics: on or off, got yes");
  }
}
