package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.flags.core.json.FlagCodec;
import dev.flags.core.json.FlagFormatException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Values that used to slip through or cost seconds: each refused, or harmless, now. */
class HostileValuesTest {

  @Test
  void segmentWithANegativeVersionIsRefusedLikeAFlag() {
    assertThatThrownBy(() -> Segment.builder("s").version(-5).build())
        .isInstanceOf(FlagValidationException.class)
        .hasMessage("version: version must be >= 0, got -5");
    assertThatThrownBy(() -> FlagCodec.standard().decodeSegment("s", "{\"version\": -5}"))
        .isInstanceOf(FlagFormatException.class)
        .hasMessage("version: version must be >= 0, got -5 (line 1, column 13)");
  }

  private static final Flag ANY_IP =
      Flag.builder("any_ip")
          .fallthrough(false)
          .rule(Rule.when(Clause.of("ip", Operator.IP_IN_RANGE, "::/0", "0.0.0.0/0")).serve(true))
          .build();

  private static boolean matches(Flags flags, String ip) {
    return flags.isEnabled("any_ip", EvaluationContext.builder("u").set("ip", ip).build());
  }

  @Test
  void ipAttributesThatAreNotAddressLiteralsNeverMatch() {
    try (Flags flags = Flags.builder().store(InMemoryFlagStore.of(ANY_IP)).build()) {
      assertThat(matches(flags, "1.2.3.4")).isTrue();
      assertThat(matches(flags, "::1")).isTrue();
      assertThat(matches(flags, "::ffff:1.2.3.4")).isTrue();
      assertThat(matches(flags, "fe80::1%eth0")).isTrue();
      for (String notALiteral :
          List.of(
              "1.2.3.4::", // an IPv4 part only ends an address
              "1.2.3.4::1",
              "\uff11::1", // full-width digit one
              "\u0660::1", // Arabic-Indic digit zero
              "\u0661.2.3.4",
              "::\uff41", // full-width a
              "1.2.3.4 ",
              "")) {
        assertThat(matches(flags, notALiteral)).as(notALiteral).isFalse();
      }
    }
  }

  @Test
  void cidrRangesThatAreNotLiteralsAreRefusedWhenRead() {
    for (String range : List.of("10.0.0.0/\u0668", "\uff11::1/128", "\u0660::/0", "1.2.3.4::/8")) {
      assertThatThrownBy(() -> Clause.of("ip", Operator.IP_IN_RANGE, range))
          .as(range)
          .isInstanceOf(FlagValidationException.class)
          .hasMessageContaining("not a CIDR range");
    }
    String json =
        "{\"rules\": [{\"clauses\": [{\"attribute\": \"ip\", \"op\": \"ipInRange\","
            + " \"values\": [\"10.0.0.0/\u0668\"]}], \"variation\": 1}]}";
    assertThatThrownBy(() -> FlagCodec.standard().decodeFlag("f", json))
        .isInstanceOf(FlagFormatException.class)
        .hasMessageStartingWith("rules[0].clauses[0].values[0]: not a CIDR range");
  }

  @Test
  void aNumberAttributeWithAHugeScaleNoLongerCostsSecondsPerEvaluation() {
    Flag before =
        Flag.builder("before")
            .fallthrough(false)
            .rule(Rule.when(Clause.of("n", Operator.BEFORE, 5)).serve(true))
            .build();
    Flag eq =
        Flag.builder("eq")
            .fallthrough(false)
            .rule(Rule.when(Clause.of("n", Operator.EQ, 1)).serve(true))
            .build();
    Flag bucketed =
        Flag.builder("bucketed").fallthroughRollout(Rollout.percentage(100).bucketBy("n")).build();
    try (Flags flags = Flags.builder().store(InMemoryFlagStore.of(before, eq, bucketed)).build()) {
      for (int zeros : List.of(100_000, 200_000)) {
        BigDecimal huge = new BigDecimal("1." + "0".repeat(zeros));
        EvaluationContext ctx =
            EvaluationContext.builder("u")
                .set("n", JsonValue.from(huge))
                .set("list", List.of(huge, 1))
                .build();
        assertTimeoutPreemptively(
            Duration.ofSeconds(2),
            () -> {
              for (int i = 0; i < 100; i++) {
                assertThat(flags.isEnabled("before", ctx)).isFalse();
                assertThat(flags.isEnabled("eq", ctx)).isFalse();
                // Out of the rollout, as a context without the attribute: no bucket.
                assertThat(flags.getBooleanDetail("bucketed", ctx, false).reason().bucket())
                    .isEmpty();
              }
            });
        // What the application set is still what it reads.
        assertThat(ctx.attribute("n")).hasValue(JsonValue.from(huge));
      }
      // Within the bounds, the same value still is the number 1.
      EvaluationContext one =
          EvaluationContext.builder("u")
              .set("n", JsonValue.from(new BigDecimal("1." + "0".repeat(1_000))))
              .build();
      assertThat(flags.isEnabled("eq", one)).isTrue();
      assertThat(flags.isEnabled("before", one)).isTrue();
      assertThat(flags.getBooleanDetail("bucketed", one, false).reason().bucket()).isPresent();
    }
  }

  @Test
  void aClauseValueTooLargeToCompareIsRefused() {
    assertThatThrownBy(() -> Clause.of("n", Operator.GT, new BigDecimal("1e5000")))
        .isInstanceOf(FlagValidationException.class)
        .hasMessageStartingWith("values[0]: number too large to compare");
    assertThat(Clause.of("n", Operator.GT, new BigDecimal("1e1000")).values()).hasSize(1);
  }
}
