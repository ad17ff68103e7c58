package dev.flags.core;

import java.util.Objects;

/**
 * A flag that must be on and serve a given variation, to the same context, before the dependent
 * flag evaluates its targets, rules and fallthrough; otherwise (the prerequisite is off, even when
 * its off variation is the one required; it serves another variation; it is missing or malformed)
 * the dependent flag serves its off variation with reason {@code PREREQUISITE_FAILED}. Immutable
 * and thread-safe.
 *
 * @param flagKey the key of the prerequisite flag
 * @param variation the index of the variation it must serve
 */
public record Prerequisite(String flagKey, int variation) {
  public Prerequisite {
    Objects.requireNonNull(flagKey, "flagKey");
    FlagKeys.check(flagKey, "flagKey");
    if (variation < 0) {
      throw new FlagValidationException(
          "variation", "variation index must be >= 0, got " + variation);
    }
  }
}
