package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.flags.core.json.FlagCodec;
import dev.flags.core.json.FlagFormatException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The regex work of one evaluation is bounded whatever the flag: a budget of reads shared by all
 * its patterns, a CPU-time ceiling, and a pattern length checked when the flag is read. Timings
 * here are generous (the machine may be shared); docs/limits.md has the measured figures.
 */
class RegexBudgetTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final EvaluationContext HOSTILE =
      EvaluationContext.builder("u").set("s", "a".repeat(1023) + "!").build();

  private static Flag regexFlag(String key, List<String> patterns) {
    return Flag.builder(key)
        .fallthrough(false)
        .rule(
            new Rule(
                "",
                List.of(
                    new Clause(
                        "s",
                        "matches",
                        patterns.stream().map(JsonValue::of).map(JsonValue.class::cast).toList(),
                        false,
                        false)),
                Serve.variation(1)))
        .build();
  }

  /** {@code ((?:[…n one-character ranges…a])+)+$}: each read is tested against every range. */
  static String manyRanges(int n) {
    StringBuilder sb = new StringBuilder("((?:[");
    for (int i = 0; i < n; i++) {
      char c = (char) (0x100 + i);
      sb.append(c).append('-').append(c);
    }
    return sb.append("a])+)+$").toString();
  }

  /** CPU time of this thread for one evaluation, in milliseconds. */
  private static double cpuMillis(Flags flags, String key) {
    long before = THREADS.getCurrentThreadCpuTime();
    assertThat(flags.isEnabled(key, HOSTILE)).isFalse();
    return (THREADS.getCurrentThreadCpuTime() - before) / 1e6;
  }

  @Test
  void aThousandCopiesOfANestedQuantifierShareOneBudgetInsteadOfEighteenSeconds() {
    Flag flag = regexFlag("copies", Collections.nCopies(1000, "(a+)+$"));
    try (Flags flags = Flags.builder().store(InMemoryFlagStore.of(flag)).build()) {
      double cpu =
          assertTimeoutPreemptively(Duration.ofSeconds(5), () -> cpuMillis(flags, "copies"));
      assertThat(cpu).isLessThan(100);
    }
  }

  @Test
  void aCharacterClassOfFiveHundredRangesStopsAtTheCpuCeilingInsteadOfSeconds() {
    Flag flag = regexFlag("ranges", List.of(manyRanges(500)));
    try (Flags flags = Flags.builder().store(InMemoryFlagStore.of(flag)).build()) {
      double cpu =
          assertTimeoutPreemptively(Duration.ofSeconds(5), () -> cpuMillis(flags, "ranges"));
      assertThat(cpu).isLessThan(100);
    }
  }

  @Test
  void theBudgetIsPerEvaluationSoTheNextEvaluationMatchesAgain() {
    Flag hostile = regexFlag("hostile", Collections.nCopies(100, "(a+)+$"));
    Flag plain = regexFlag("plain", List.of("!$"));
    try (Flags flags = Flags.builder().store(InMemoryFlagStore.of(hostile, plain)).build()) {
      for (int i = 0; i < 3; i++) {
        assertThat(flags.isEnabled("hostile", HOSTILE)).isFalse();
        assertThat(flags.isEnabled("plain", HOSTILE)).isTrue();
      }
    }
  }

  @Test
  void onePatternCutOffLeavesTheNextPatternOfTheClauseItsShare() {
    Flag flag = regexFlag("two", List.of("^(a+)+$", "!$"));
    try (Flags flags = Flags.builder().store(InMemoryFlagStore.of(flag)).build()) {
      assertThat(flags.isEnabled("two", HOSTILE)).isTrue();
    }
  }

  @Test
  void aPatternLongerThanTheLimitIsRefusedWhenRead() {
    String tooLong = manyRanges(2000); // 6,012 characters
    assertThatThrownBy(() -> Clause.of("s", Operator.MATCHES, tooLong))
        .isInstanceOf(FlagValidationException.class)
        .hasMessage("values[0]: a regular expression has at most 2048 characters, got 6012");
    String json =
        "{\"rules\": [{\"clauses\": [{\"attribute\": \"s\", \"op\": \"matches\", \"values\": [\""
            + tooLong
            + "\"]}], \"variation\": 1}]}";
    assertThatThrownBy(() -> FlagCodec.standard().decodeFlag("f", json))
        .isInstanceOf(FlagFormatException.class)
        .hasMessageStartingWith(
            "rules[0].clauses[0].values[0]: a regular expression has at most 2048 characters");
    assertThat(Clause.of("s", Operator.MATCHES, "x".repeat(Clause.MAX_PATTERN_LENGTH)).values())
        .hasSize(1);
  }

  @Test
  void ordinaryPatternsOnLongValuesAreNotCutShort() {
    // A 100-word alternation searched through a 1,024-character value: about 100,000 reads, and
    // the match is at the end. Cold (the first evaluation, before the JIT), still well in time.
    StringBuilder words = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      words.append(i == 0 ? "" : "|").append("w").append(i).append("x");
    }
    String value = "y".repeat(1000) + "w99x";
    Flag flag = regexFlag("words", List.of("(?:" + words + ")"));
    try (Flags flags = Flags.builder().store(InMemoryFlagStore.of(flag)).build()) {
      assertThat(flags.isEnabled("words", EvaluationContext.builder("u").set("s", value).build()))
          .isTrue();
    }
  }
}
