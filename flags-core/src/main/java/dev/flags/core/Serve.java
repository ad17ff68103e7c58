package dev.flags.core;

/**
 * What a rule or the fallthrough serves: one fixed variation, or a percentage {@link Rollout}.
 * Implementations are immutable and thread-safe.
 */
public sealed interface Serve permits Serve.Variation, Rollout {

  /** Serves the variation at {@code index}. */
  static Serve variation(int index) {
    return new Variation(index);
  }

  /**
   * A fixed variation.
   *
   * @param index the index in {@link Flag#variations()}
   */
  record Variation(int index) implements Serve {
    public Variation {
      if (index < 0) {
        throw new FlagValidationException(
            "variation", "variation index must be >= 0, got " + index);
      }
    }
  }
}
