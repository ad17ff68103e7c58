package dev.flags.integration;

import dev.flags.core.EvaluationContext;
import dev.flags.core.EvaluationDetail;
import dev.flags.core.EvaluationReason;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.JsonValue;
import java.util.Map;
import java.util.Optional;

/** What a flag serves to a context and why, with the reason in one sentence. */
final class Explain {

  private Explain() {}

  static Map<String, Object> explain(
      Flags flags, String flagKey, EvaluationContext context, Optional<String> malformed) {
    EvaluationDetail<JsonValue> detail = flags.getJsonDetail(flagKey, context, JsonValue.NULL);
    EvaluationReason r = detail.reason();
    Optional<Flag> flag = flags.flag(flagKey);
    Map<String, Object> m = Json.object();
    m.put("flag", flagKey);
    Map<String, Object> c = Json.object();
    c.put("key", context.key());
    c.put("kind", context.kind());
    c.put("anonymous", context.anonymous());
    c.put("attributes", context.attributes());
    m.put("context", c);
    m.put("value", detail.isDefaultValue() ? JsonValue.NULL : detail.value());
    m.put("variation", detail.variationIndex());
    m.put("reason", r.kind().name());
    m.put("ruleIndex", r.ruleIndex());
    m.put("ruleId", r.ruleId());
    m.put("bucket", r.bucket());
    m.put("prerequisite", r.prerequisiteKey());
    m.put("error", r.errorKind().map(Enum::name));
    m.put("explanation", sentence(flag, context, detail, malformed));
    return m;
  }

  static String sentence(
      Optional<Flag> flag,
      EvaluationContext context,
      EvaluationDetail<JsonValue> detail,
      Optional<String> malformed) {
    EvaluationReason r = detail.reason();
    String serves =
        detail.variationIndex().isPresent() && flag.isPresent()
            ? "serves variation "
                + detail.variationIndex().getAsInt()
                + " ("
                + Views.label(flag.get(), detail.variationIndex().getAsInt())
                + ")"
            : "serves the caller's default";
    String bucket =
        r.bucket().isPresent() ? ", from bucket " + r.bucket().getAsInt() + " of 100000" : "";
    return switch (r.kind()) {
      case OFF -> "the flag is off: " + serves + ", its off variation";
      case TARGET_MATCH -> "\"" + context.key() + "\" is targeted individually: " + serves;
      case RULE_MATCH ->
          "rule "
              + r.ruleIndex().orElse(-1)
              + r.ruleId().map(id -> " (" + id + ")").orElse("")
              + " matched: "
              + serves
              + bucket;
      case FALLTHROUGH -> "no target or rule matched: " + serves + bucket;
      case PREREQUISITE_FAILED ->
          "prerequisite "
              + r.prerequisiteKey().orElse("?")
              + " did not serve the variation it must: "
              + serves
              + ", the off variation";
      case ERROR ->
          switch (r.errorKind().orElseThrow()) {
            case MALFORMED_FLAG ->
                "the stored flag does not read"
                    + malformed.map(p -> " (" + p + ")").orElse("")
                    + ": "
                    + serves;
            case FLAG_NOT_FOUND -> "no such flag: " + serves;
            case STORE_UNAVAILABLE, CLIENT_NOT_READY -> "the store has not loaded yet: " + serves;
            default -> "evaluation failed (" + r.errorKind().orElseThrow() + "): " + serves;
          };
    };
  }
}
