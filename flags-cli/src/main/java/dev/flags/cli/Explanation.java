package dev.flags.cli;

import dev.flags.core.JsonValue;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a flag serves to one context, and why. Immutable.
 *
 * @param flag the flag key
 * @param contextKey the context's key
 * @param kind the context kind
 * @param anonymous whether the context is anonymous
 * @param attributes the context's attributes
 * @param value the value served
 * @param variation its index, if a variation was served
 * @param reason OFF, TARGET_MATCH, RULE_MATCH, FALLTHROUGH, PREREQUISITE_FAILED or ERROR
 * @param ruleIndex the rule that matched
 * @param ruleId its id
 * @param bucket the rollout bucket (0..99,999)
 * @param prerequisite the prerequisite that failed
 * @param error the error kind
 * @param explanation one line for people
 */
record Explanation(
    String flag,
    String contextKey,
    String kind,
    boolean anonymous,
    Map<String, JsonValue> attributes,
    JsonValue value,
    OptionalInt variation,
    String reason,
    OptionalInt ruleIndex,
    Optional<String> ruleId,
    OptionalInt bucket,
    Optional<String> prerequisite,
    Optional<String> error,
    String explanation) {}
