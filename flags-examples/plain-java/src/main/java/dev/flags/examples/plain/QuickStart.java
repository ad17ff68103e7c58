package dev.flags.examples.plain;

import dev.flags.core.Clause;
import dev.flags.core.EvaluationContext;
import dev.flags.core.EvaluationDetail;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.Rule;

/** The README's plain-Java quick start; a test runs it so the README cannot drift. */
public final class QuickStart {
  private QuickStart() {}

  public static void main(String[] args) {
    // tag::quick-start[]
    InMemoryFlagStore store =
        InMemoryFlagStore.of(
            Flag.simple("new_ui_layout", false),
            Flag.builder("new_checkout_flow")
                .rule(
                    Rule.when(Clause.in("country", "DE", "FR"), Clause.in("plan", "pro"))
                        .serve(true))
                .percentageRollout(10) // everyone else: a deterministic 10%
                .build());

    try (Flags flags = Flags.builder().store(store).build()) {
      EvaluationContext alice =
          EvaluationContext.builder("alice").set("country", "DE").set("plan", "pro").build();

      boolean newUi = flags.isEnabled("new_ui_layout", alice); // false
      boolean checkout = flags.isEnabled("new_checkout_flow", alice); // true: rule 0 matched
      EvaluationDetail<Boolean> why = flags.getBooleanDetail("new_checkout_flow", alice, false);
      System.out.println(
          newUi + " " + checkout + " " + why.reason()); // false true RULE_MATCH(rule 0)

      store.set("new_ui_layout", true); // a change, seen at once
      System.out.println(flags.isEnabled("new_ui_layout", alice)); // true
    }
    // end::quick-start[]
  }
}
