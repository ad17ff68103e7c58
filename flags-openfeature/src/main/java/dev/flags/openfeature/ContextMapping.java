package dev.flags.openfeature;

import dev.flags.core.JsonValue;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.LayeredEvaluationContext;
import dev.openfeature.sdk.Value;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OpenFeature's evaluation context → ours. The rule, as {@code docs/openfeature.md} states it:
 *
 * <ul>
 *   <li>{@code targetingKey} → the context key. Without one (missing or empty), the context is
 *       anonymous with the key {@link FlagsProvider#ANONYMOUS_KEY}: flags that do not depend on the
 *       key evaluate as usual, individual targets never match, and every key-less caller falls in
 *       the same rollout bucket.
 *   <li>{@code kind} (a non-empty string) and {@code anonymous} (a boolean) → our built-in kind and
 *       anonymous marker.
 *   <li>Every other attribute → a custom attribute of the same name, its value mapped by {@link
 *       ValueMapping#toJson} (nested structures and lists included).
 *   <li>What cannot map is left out, never an error: an attribute named {@code key} (the key is the
 *       targeting key), {@code kind} or {@code anonymous} of another type, a NaN or infinite
 *       number. The evaluation goes on without it, as for any missing attribute (a clause on it
 *       does not match), and a warning names it, once per attribute name.
 * </ul>
 *
 * <p>Thread-safe.
 */
final class ContextMapping {
  private static final System.Logger LOG = System.getLogger("dev.flags.openfeature");
  static final String TARGETING_KEY = "targetingKey";
  private static final int MAX_REPORTED = 1_000;

  /** The context of a caller that gave none: a constant, so such calls allocate nothing here. */
  static final dev.flags.core.EvaluationContext NO_CONTEXT =
      dev.flags.core.EvaluationContext.builder(FlagsProvider.ANONYMOUS_KEY).anonymous(true).build();

  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  /**
   * The last conversion on this thread: a request usually evaluates several flags for one context,
   * and OpenFeature hands us a new (layered) context object each time, so the cache is by content.
   * A hit costs a map comparison instead of a conversion. Only contexts of plain values are kept: a
   * structure or a list inside an OpenFeature context may be mutable and changed in place, which a
   * comparison with the kept map would not see.
   */
  // Per instance on purpose: each provider has its own mapping and its own cache; a provider lives
  // as long as the application.
  @SuppressWarnings("ThreadLocalUsage")
  private final ThreadLocal<Converted> last = new ThreadLocal<>();

  private record Converted(Map<String, Value> source, dev.flags.core.EvaluationContext context) {}

  dev.flags.core.EvaluationContext toFlags(EvaluationContext of) {
    if (of == null) {
      return NO_CONTEXT;
    }
    // One resolved map, rather than keySet() and a lookup per key through OpenFeature's layers.
    Map<String, Value> values = of.asUnmodifiableMap();
    String targetingKey = of.getTargetingKey();
    boolean hasKey = targetingKey != null && !targetingKey.isEmpty();
    if (values.isEmpty() || (values.size() == 1 && values.containsKey(TARGETING_KEY))) {
      return hasKey ? dev.flags.core.EvaluationContext.of(targetingKey) : NO_CONTEXT;
    }
    Converted previous = last.get();
    if (previous != null && previous.source().equals(values)) {
      return previous.context();
    }
    dev.flags.core.EvaluationContext.Builder b =
        dev.flags.core.EvaluationContext.builder(
                hasKey ? targetingKey : FlagsProvider.ANONYMOUS_KEY)
            .anonymous(!hasKey);
    boolean plain = true;
    for (Map.Entry<String, Value> e : values.entrySet()) {
      String name = e.getKey();
      Value v = e.getValue();
      plain &= v == null || !(v.isStructure() || v.isList());
      switch (name) {
        case TARGETING_KEY -> {
          // OpenFeature's own contexts keep the targeting key among the attributes too: done above.
        }
        case "key" -> unmapped(name, "the context key is OpenFeature's targetingKey");
        case "kind" -> {
          if (v != null && v.isString() && !v.asString().isEmpty()) {
            b.kind(v.asString());
          } else {
            unmapped(name, "the kind must be a non-empty string");
          }
        }
        case "anonymous" -> {
          if (v != null && v.isBoolean()) {
            b.anonymous(v.asBoolean() || !hasKey);
          } else {
            unmapped(name, "anonymous must be a boolean");
          }
        }
        default -> {
          JsonValue json = v == null ? JsonValue.NULL : ValueMapping.toJson(v);
          if (json == null) {
            unmapped(name, "its value has no JSON form (NaN, an infinite number)");
          } else {
            b.set(name, json);
          }
        }
      }
    }
    dev.flags.core.EvaluationContext converted = b.build();
    if (plain) {
      // The resolved map of OpenFeature's layered context is built for this call and kept by
      // nobody else; any other context's may be a live view (MutableContext's is): copy that.
      Map<String, Value> kept =
          of instanceof LayeredEvaluationContext ? values : new HashMap<>(values);
      last.set(new Converted(kept, converted));
    }
    return converted;
  }

  private void unmapped(String name, String why) {
    if (reported.size() < MAX_REPORTED && reported.add(name)) {
      LOG.log(
          Level.WARNING,
          "OpenFeature context attribute \""
              + name
              + "\" is not passed to Flags ("
              + why
              + "); evaluating without it. Reported once per attribute name.");
    }
  }
}
