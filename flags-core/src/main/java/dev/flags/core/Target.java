package dev.flags.core;

import java.util.Collection;
import java.util.Set;

/**
 * Individual targeting: the non-anonymous contexts whose key is in {@code keys} get {@code
 * variation}; an anonymous context is never targeted this way (see {@link
 * EvaluationContext#anonymous()}). Lookup is a hash-set lookup, so 100,000 keys cost what 10 do.
 * Immutable and thread-safe.
 *
 * @param variation the index in {@link Flag#variations()}
 * @param keys the context keys, an immutable copy
 */
public record Target(int variation, Set<String> keys) {
  public Target {
    if (variation < 0) {
      throw new FlagValidationException(
          "variation", "variation index must be >= 0, got " + variation);
    }
    keys = Set.copyOf(keys);
  }

  /** Targets the given keys; duplicates are ignored. */
  public static Target of(int variation, Collection<String> keys) {
    return new Target(variation, Set.copyOf(keys.stream().distinct().toList()));
  }
}
