package dev.flags.core.spi;

import java.util.Objects;

/**
 * How the work went for the contexts served one variation of one flag: successes, errors and the
 * latencies reported with them. Values of several instances or time buckets add up with {@link
 * #plus}. Immutable and thread-safe.
 *
 * @param flagKey the flag
 * @param variation the index of the variation served
 * @param successes outcomes reported as successes
 * @param errors outcomes reported as errors
 * @param latency the latencies reported with either
 */
public record OutcomeCounts(
    String flagKey, int variation, long successes, long errors, LatencyHistogram latency) {

  public OutcomeCounts {
    Objects.requireNonNull(flagKey, "flagKey");
    Objects.requireNonNull(latency, "latency");
    if (variation < 0) {
      throw new IllegalArgumentException("variation must be >= 0, got " + variation);
    }
    if (successes < 0 || errors < 0) {
      throw new IllegalArgumentException(
          "counts must not be negative, got successes=" + successes + ", errors=" + errors);
    }
  }

  /** No outcomes for this flag and variation. */
  public static OutcomeCounts none(String flagKey, int variation) {
    return new OutcomeCounts(flagKey, variation, 0, 0, LatencyHistogram.EMPTY);
  }

  /** Successes and errors. */
  public long requests() {
    return successes + errors;
  }

  /** Errors per request; 0 when there were none. */
  public double errorRate() {
    long n = requests();
    return n == 0 ? 0 : (double) errors / n;
  }

  /**
   * These counts and {@code other}'s, added.
   *
   * @throws IllegalArgumentException if {@code other} is of another flag or variation
   */
  public OutcomeCounts plus(OutcomeCounts other) {
    if (!flagKey.equals(other.flagKey) || variation != other.variation) {
      throw new IllegalArgumentException(
          "cannot add outcomes of "
              + other.flagKey
              + "/"
              + other.variation
              + " to "
              + flagKey
              + "/"
              + variation);
    }
    return new OutcomeCounts(
        flagKey,
        variation,
        successes + other.successes,
        errors + other.errors,
        latency.plus(other.latency));
  }
}
