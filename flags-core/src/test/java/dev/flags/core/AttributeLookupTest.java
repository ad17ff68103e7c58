package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clauses find a context's attributes whatever the String instances of their names, and whatever
 * the number of attributes (small contexts are probed flat, large ones through their map).
 */
class AttributeLookupTest {
  private final InMemoryFlagStore store = InMemoryFlagStore.empty();
  private final Flags flags = Flags.builder().store(store).build();

  @AfterEach
  void close() {
    flags.close();
  }

  private void ruleOn(String attribute, String value) {
    store.upsert(
        Flag.builder("f")
            .fallthrough(false)
            .rule(Rule.when(Clause.in(attribute, value)).serve(true))
            .build());
  }

  @Test
  void attributeNamedByAnotherStringInstanceIsFound() {
    ruleOn(new String("country"), "DE"); // not the interned literal the context uses
    EvaluationContext de = EvaluationContext.builder("u").set("country", "DE").build();
    EvaluationContext built =
        EvaluationContext.builder("v")
            .set(new StringBuilder("coun").append("try").toString(), "DE")
            .build();
    assertThat(flags.isEnabled("f", de)).isTrue();
    assertThat(flags.isEnabled("f", built)).isTrue();
  }

  @Test
  void contextsWithManyAttributesAreMatchedLikeSmallOnes() {
    ruleOn("attr-19", "yes");
    EvaluationContext.Builder many = EvaluationContext.builder("u");
    for (int i = 0; i < 40; i++) {
      many.set("attr-" + i, i == 19 ? "yes" : "no");
    }
    assertThat(flags.isEnabled("f", many.build())).isTrue();
    assertThat(flags.isEnabled("f", EvaluationContext.builder("v").set("attr-19", "yes").build()))
        .isTrue();
    assertThat(flags.isEnabled("f", EvaluationContext.builder("w").set("attr-19", "no").build()))
        .isFalse();
  }

  @Test
  void nonStringValueOfAStringClauseGoesThroughTheGeneralPath() {
    ruleOn("plan", "pro");
    assertThat(flags.isEnabled("f", EvaluationContext.builder("u").set("plan", 3).build()))
        .isFalse();
    assertThat(
            flags.isEnabled(
                "f",
                EvaluationContext.builder("u")
                    .set("plan", java.util.List.of("free", "pro"))
                    .build()))
        .isTrue(); // a list matches when any element does
    assertThat(flags.isEnabled("f", EvaluationContext.of("u"))).isFalse();
  }

  @Test
  void bucketByCustomAttributeIsReadFromFlatAndLargeContexts() {
    store.upsert(
        Flag.builder("r").fallthroughRollout(Rollout.percentage(50).bucketBy("tenant")).build());
    EvaluationContext.Builder large = EvaluationContext.builder("u2").set("tenant", "acme");
    for (int i = 0; i < 30; i++) {
      large.set("x" + i, i);
    }
    EvaluationContext small = EvaluationContext.builder("u1").set("tenant", "acme").build();
    assertThat(flags.getBooleanDetail("r", large.build(), false).reason().bucket())
        .isEqualTo(flags.getBooleanDetail("r", small, false).reason().bucket())
        .isPresent();
  }
}
