package dev.flags.cli;

import dev.flags.core.EvaluationContext;
import dev.flags.core.EvaluationDetail;
import dev.flags.core.EvaluationReason;
import dev.flags.core.Flag;
import dev.flags.core.JsonValue;
import dev.flags.core.Rollout;
import dev.flags.core.Serve;
import dev.flags.core.json.FlagCodec;
import java.util.Optional;
import java.util.OptionalInt;

/** Turns an evaluation into an {@link Explanation} with one line for people. */
final class Explain {
  private Explain() {}

  static Explanation of(Flag flag, EvaluationContext ctx, EvaluationDetail<JsonValue> d) {
    EvaluationReason r = d.reason();
    String served =
        d.variationIndex().isPresent()
            ? "serves variation " + d.variationIndex().getAsInt() + " (" + json(d.value()) + ")"
            : "serves the caller's default";
    String line =
        switch (r.kind()) {
          case OFF -> "the flag is off: " + served + ", its off variation";
          case TARGET_MATCH -> ctx.key() + " is targeted individually: " + served;
          case RULE_MATCH ->
              "rule "
                  + r.ruleIndex().orElse(-1)
                  + r.ruleId().map(id -> " (" + id + ")").orElse("")
                  + " matched: "
                  + served
                  + bucket(flag.rules().get(r.ruleIndex().orElse(0)).serve(), r);
          case FALLTHROUGH ->
              "no target or rule matched: the fallthrough "
                  + served
                  + bucket(flag.fallthrough(), r);
          case PREREQUISITE_FAILED ->
              "prerequisite "
                  + r.prerequisiteKey().orElse("?")
                  + " did not serve the variation it must: "
                  + served
                  + ", the off variation";
          case ERROR -> "error " + r.errorKind().map(Enum::name).orElse("?") + ": " + served;
        };
    return new Explanation(
        flag.key(),
        ctx.key(),
        ctx.kind(),
        ctx.anonymous(),
        ctx.attributes(),
        d.value(),
        d.variationIndex(),
        r.kind().name(),
        r.ruleIndex(),
        r.ruleId(),
        r.bucket(),
        r.prerequisiteKey(),
        r.errorKind().map(Enum::name),
        line);
  }

  static Explanation malformed(String key, EvaluationContext ctx, String problem) {
    return new Explanation(
        key,
        ctx.key(),
        ctx.kind(),
        ctx.anonymous(),
        ctx.attributes(),
        JsonValue.NULL,
        OptionalInt.empty(),
        "ERROR",
        OptionalInt.empty(),
        Optional.empty(),
        OptionalInt.empty(),
        Optional.empty(),
        Optional.of("MALFORMED_FLAG"),
        "error MALFORMED_FLAG: the stored value does not read ("
            + problem
            + "), so every caller gets its default");
  }

  private static String bucket(Serve serve, EvaluationReason r) {
    if (!(serve instanceof Rollout rollout)) {
      return "";
    }
    if (r.bucket().isEmpty()) {
      String attr = rollout.bucketBy().orElse("key");
      return "; the context has no usable "
          + attr
          + " attribute, so it is left out of the rollout (it gets the last bucket's variation)";
    }
    int b = r.bucket().getAsInt();
    int from = 0;
    for (Rollout.WeightedVariation w : rollout.weights()) {
      int to = from + w.weight();
      if (b >= from && b < to) {
        return "; bucket "
            + b
            + " of 100000 by "
            + rollout.bucketBy().orElse("key")
            + " falls in variation "
            + w.variation()
            + "'s range "
            + from
            + ".."
            + (to - 1)
            + " ("
            + Render.percent(w.weight() / 1000.0)
            + ")";
      }
      from = to;
    }
    return "; bucket " + b;
  }

  static String json(JsonValue v) {
    return FlagCodec.standard().write(v);
  }
}
