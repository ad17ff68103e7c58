package dev.flags.integration;

import dev.flags.core.EvaluationContext;
import dev.flags.core.JsonValue;
import java.util.Map;

/**
 * An OFREP request's {@code context} as our {@link EvaluationContext} (docs/ofrep.md, "Context"):
 *
 * <ul>
 *   <li>{@code targetingKey}, a non-empty string, is the context key; missing, null or empty is
 *       {@code TARGETING_KEY_MISSING};
 *   <li>{@code kind} (a string) and {@code anonymous} (a boolean) set ours;
 *   <li>{@code key} is refused ({@code INVALID_CONTEXT}): it would be a second context key;
 *   <li>every other attribute keeps its JSON value: strings, numbers, booleans, arrays, and objects
 *       whole (a clause reads a top-level attribute; it does not reach into an object);
 *   <li>a {@code null} attribute is left out, as if not sent.
 * </ul>
 *
 * flags-openfeature's provider maps OpenFeature's context by the same rule, except that, in
 * process, it evaluates a caller without a targeting key as anonymous and leaves out (with a
 * warning) what cannot map, where OFREP, whose schema requires {@code targetingKey}, answers with
 * its error codes.
 */
final class OfrepContext {

  private OfrepContext() {}

  /** The context, or an {@link OfrepError} that says what is wrong with it. */
  static EvaluationContext of(JsonValue body) {
    if (!(body instanceof JsonValue.Obj request)) {
      throw OfrepError.parse(
          "the body must be a JSON object: {\"context\": {\"targetingKey\": …}}");
    }
    JsonValue context = request.members().get("context");
    if (context == null || context instanceof JsonValue.Null) {
      throw OfrepError.targetingKeyMissing(
          "the body has no context; send {\"context\": {\"targetingKey\": …}}");
    }
    if (!(context instanceof JsonValue.Obj c)) {
      throw OfrepError.invalidContext("context: must be a JSON object");
    }
    Map<String, JsonValue> members = c.members();
    if (members.size() > OfrepApi.MAX_CONTEXT_ATTRIBUTES) {
      throw OfrepError.invalidContext(
          "context: "
              + members.size()
              + " attributes; at most "
              + OfrepApi.MAX_CONTEXT_ATTRIBUTES
              + " are accepted");
    }
    JsonValue targetingKey = members.get("targetingKey");
    if (targetingKey == null
        || targetingKey instanceof JsonValue.Null
        || (targetingKey instanceof JsonValue.Str s && s.value().isEmpty())) {
      throw OfrepError.targetingKeyMissing(
          "context.targetingKey: give the key flags are evaluated for, such as a user id");
    }
    if (!(targetingKey instanceof JsonValue.Str key)) {
      throw OfrepError.invalidContext("context.targetingKey: must be a string");
    }
    if (key.value().length() > OfrepApi.MAX_TARGETING_KEY_LENGTH) {
      throw OfrepError.invalidContext(
          "context.targetingKey: longer than " + OfrepApi.MAX_TARGETING_KEY_LENGTH + " characters");
    }
    EvaluationContext.Builder b = EvaluationContext.builder(key.value());
    for (Map.Entry<String, JsonValue> e : members.entrySet()) {
      String name = e.getKey();
      JsonValue value = e.getValue();
      if (name.equals("targetingKey") || value instanceof JsonValue.Null) {
        continue;
      }
      switch (name) {
        case "kind" -> {
          if (!(value instanceof JsonValue.Str kind) || kind.value().isEmpty()) {
            throw OfrepError.invalidContext("context.kind: must be a non-empty string");
          }
          b.kind(kind.value());
        }
        case "anonymous" -> {
          if (!(value instanceof JsonValue.Bool anonymous)) {
            throw OfrepError.invalidContext("context.anonymous: must be true or false");
          }
          b.anonymous(anonymous.value());
        }
        case "key" ->
            throw OfrepError.invalidContext(
                "context.key: the context key is targetingKey; remove \"key\"");
        default -> b.set(name, value);
      }
    }
    return b.build();
  }
}
