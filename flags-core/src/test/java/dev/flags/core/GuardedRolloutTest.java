package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flags.core.json.FlagCodec;
import dev.flags.core.json.FlagFormatException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The plan is part of the flag's JSON: read with defaults, validated with paths, written back. */
class GuardedRolloutTest {

  private static Flag decode(String json) {
    return FlagCodec.standard().decodeFlag("checkout", json);
  }

  @Test
  void anEmptyPlanMeansTheDefaults() {
    Flag f = decode("{\"guardedRollout\": {}}");
    assertThat(f.guardedRollout()).contains(GuardedRollout.DEFAULT);
    assertThat(GuardedRollout.DEFAULT.steps())
        .extracting(GuardedRollout.Step::percent)
        .containsExactly(1, 5, 25, 50, 100);
    assertThat(GuardedRollout.DEFAULT.steps())
        .allSatisfy(s -> assertThat(s.hold()).isEqualTo(Duration.ofMinutes(10)));
  }

  @Test
  void aFullPlanRoundTrips() {
    GuardedRollout plan =
        new GuardedRollout(
            2,
            0,
            List.of(
                new GuardedRollout.Step(10, Duration.ofSeconds(30), 50),
                new GuardedRollout.Step(100, Duration.ofSeconds(60), 0)),
            new GuardedRollout.Guard(0.01, 0.005, 200, Optional.of(0.99), Optional.of(1.5)),
            GuardedRollout.OnTrip.TURN_OFF);
    Flag f =
        Flag.builder("checkout")
            .variations("a", "b", "c")
            .fallthroughVariation(0)
            .guardedRollout(plan)
            .build();
    String json = FlagCodec.standard().encode(f);
    assertThat(json).contains("\"onTrip\":\"off\"").contains("\"holdSeconds\":30");
    assertThat(decode(json)).isEqualTo(f);
    assertThat(decode(json).toBuilder().build()).isEqualTo(f);
  }

  @Test
  void errorsNameThePathOfTheProblem() {
    assertThatThrownBy(
            () ->
                decode(
                    "{\"guardedRollout\": {\"steps\": [{\"percent\": 5}, {\"percent\": 3},"
                        + " {\"percent\": 100}]}}"))
        .isInstanceOf(FlagFormatException.class)
        .hasMessageContaining("guardedRollout.steps[1].percent");
    assertThatThrownBy(() -> decode("{\"guardedRollout\": {\"steps\": [{\"percent\": 50}]}}"))
        .hasMessageContaining("guardedRollout.steps[0].percent")
        .hasMessageContaining("last step must be 100");
    assertThatThrownBy(
            () ->
                decode(
                    "{\"guardedRollout\": {\"steps\": [{\"percent\": 100, \"holdSeconds\": 5}]}}"))
        .hasMessageContaining("guardedRollout.steps[0].holdSeconds");
    assertThatThrownBy(() -> decode("{\"guardedRollout\": {\"guard\": {\"alpha\": 0.9}}}"))
        .hasMessageContaining("guardedRollout.guard.alpha");
    assertThatThrownBy(() -> decode("{\"guardedRollout\": {\"guard\": {\"minSamples\": 1}}}"))
        .hasMessageContaining("guardedRollout.guard.minSamples");
    assertThatThrownBy(
            () ->
                decode(
                    "{\"guardedRollout\": {\"guard\": {\"latency\": {\"percentile\": 1.5,"
                        + " \"maxRatio\": 2}}}}"))
        .hasMessageContaining("guardedRollout.guard.latency.percentile");
    assertThatThrownBy(() -> decode("{\"guardedRollout\": {\"onTrip\": \"explode\"}}"))
        .hasMessageContaining("guardedRollout.onTrip");
    assertThatThrownBy(() -> decode("{\"guardedRollout\": {\"variation\": 7}}"))
        .hasMessageContaining("guardedRollout.variation");
    assertThatThrownBy(() -> decode("{\"guardedRollout\": {\"baseline\": 1}}"))
        .hasMessageContaining("guardedRollout.baseline");
  }

  @Test
  void flagsWithoutAPlanAreWrittenAsBefore() {
    Flag f = Flag.builder("checkout").percentageRollout(10).build();
    assertThat(FlagCodec.standard().encode(f)).doesNotContain("guardedRollout");
    assertThat(f.guardedRollout()).isEmpty();
  }

  @Test
  void percentServedReadsTheNewVariationsShareOfTheFallthrough() {
    GuardedRollout plan = GuardedRollout.DEFAULT; // variation 1 against baseline 0
    Flag.Builder b = Flag.builder("checkout").guardedRollout(plan);
    assertThat(plan.percentServed(b.fallthrough(false).build())).contains(0.0);
    assertThat(plan.percentServed(b.fallthrough(true).build())).contains(100.0);
    assertThat(
            plan.percentServed(
                b.fallthroughRollout(Rollout.builder().weight(1, 12_345).weight(0, 87_655).build())
                    .build()))
        .contains(12.345);
    Flag third =
        Flag.builder("checkout")
            .variations("old", "new", "other")
            .fallthroughRollout(
                Rollout.builder().weight(1, 10_000).weight(2, 5_000).weight(0, 85_000).build())
            .build();
    assertThat(plan.percentServed(third)).as("a third variation served: no share").isEmpty();
  }
}
