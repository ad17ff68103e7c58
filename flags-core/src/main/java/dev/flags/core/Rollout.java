package dev.flags.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A percentage rollout: each context falls in a bucket {@code 0..99,999} computed from the flag's
 * salt and the context's {@code bucketBy} attribute, and gets the variation whose weight range
 * holds that bucket. Weights are in thousandths of a percent (0.001% granularity) and sum to
 * 100,000.
 *
 * <p>Variations take consecutive bucket ranges in list order. {@link #percentage(double)} lists
 * {@code true} first, so it serves buckets {@code [0, p)}: ramping {@code p} up only adds users,
 * and a context's answer at a whole percentage equals {@code bucket / 1000 < p}, as the common
 * snippets compute it. See {@code docs/bucketing.md}.
 *
 * <p>A context without the {@code bucketBy} attribute (or with a value that cannot be bucketed) is
 * left out of the rollout: it gets the variation of the last bucket, 99,999 (the last variation
 * with a non-zero weight), deterministically, and is never hashed on an empty string. For {@link
 * #percentage(double)} that is {@code false} below 100% and {@code true} at 100%: such a context
 * joins a ramp only when it is complete. Its evaluation reason carries no bucket ({@link
 * EvaluationReason#bucket()} is empty). Immutable and thread-safe.
 *
 * @param weights the variations and their weights, in order
 * @param bucketBy the attribute to bucket by; empty means the context key
 * @param algorithm how buckets are computed
 */
public record Rollout(
    List<WeightedVariation> weights, Optional<String> bucketBy, BucketingAlgorithm algorithm)
    implements Serve {

  /** The total of the weights: 100% in thousandths of a percent. */
  public static final int TOTAL_WEIGHT = 100_000;

  public Rollout {
    weights = List.copyOf(weights);
    Objects.requireNonNull(bucketBy, "bucketBy");
    Objects.requireNonNull(algorithm, "algorithm");
    if (weights.isEmpty()) {
      throw new FlagValidationException("weights", "a rollout needs at least one variation");
    }
    long sum = 0;
    for (WeightedVariation w : weights) {
      sum += w.weight();
    }
    if (sum != TOTAL_WEIGHT) {
      throw new FlagValidationException(
          "weights", "weights must sum to 100000 (100%, in thousandths of a percent), got " + sum);
    }
    if (bucketBy.isPresent() && bucketBy.get().isEmpty()) {
      throw new FlagValidationException(
          "bucketBy", "bucketBy must not be empty; omit it to bucket by key");
    }
  }

  /**
   * A boolean rollout: {@code percent}% of contexts get {@code true} (variation 1, listed first, so
   * it takes the lowest buckets), the rest {@code false} (variation 0). Accepts 0.001% steps:
   * {@code percentage(12.5)}.
   *
   * @throws FlagValidationException if {@code percent} is outside 0..100
   */
  public static Rollout percentage(double percent) {
    if (!(percent >= 0 && percent <= 100)) {
      throw new FlagValidationException(
          "weights", "percentage must be within 0..100, got " + percent);
    }
    int onWeight = (int) Math.round(percent * 1000);
    return new Rollout(
        List.of(
            new WeightedVariation(1, onWeight), new WeightedVariation(0, TOTAL_WEIGHT - onWeight)),
        Optional.empty(),
        BucketingAlgorithm.MURMUR3_V1);
  }

  /** Starts a rollout with explicit weights. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns this rollout bucketing by {@code attribute} instead of the context key. */
  public Rollout bucketBy(String attribute) {
    return new Rollout(weights, Optional.of(attribute), algorithm);
  }

  /** Returns this rollout using another bucketing algorithm. */
  public Rollout withAlgorithm(BucketingAlgorithm algorithm) {
    return new Rollout(weights, bucketBy, algorithm);
  }

  /**
   * One variation's share of a rollout. Immutable and thread-safe.
   *
   * @param variation the index in {@link Flag#variations()}
   * @param weight thousandths of a percent, {@code 0..100,000}
   */
  public record WeightedVariation(int variation, int weight) {
    public WeightedVariation {
      if (variation < 0) {
        throw new FlagValidationException(
            "variation", "variation index must be >= 0, got " + variation);
      }
      if (weight < 0 || weight > TOTAL_WEIGHT) {
        throw new FlagValidationException(
            "weight", "weight must be within 0..100000, got " + weight);
      }
    }
  }

  /** Builds a {@link Rollout}; not thread-safe. */
  public static final class Builder {
    private final List<WeightedVariation> weights = new ArrayList<>();
    private Optional<String> bucketBy = Optional.empty();
    private BucketingAlgorithm algorithm = BucketingAlgorithm.MURMUR3_V1;

    private Builder() {}

    /** Adds a variation with a weight in thousandths of a percent. */
    public Builder weight(int variation, int thousandthsOfPercent) {
      weights.add(new WeightedVariation(variation, thousandthsOfPercent));
      return this;
    }

    /** Adds a variation with a weight in percent (0.001 steps). */
    public Builder percent(int variation, double percent) {
      return weight(variation, (int) Math.round(percent * 1000));
    }

    /** Buckets by this attribute instead of the context key (for example a tenant id). */
    public Builder bucketBy(String attribute) {
      this.bucketBy = Optional.of(attribute);
      return this;
    }

    /** Chooses the bucketing algorithm; the default is {@link BucketingAlgorithm#MURMUR3_V1}. */
    public Builder algorithm(BucketingAlgorithm algorithm) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
      return this;
    }

    /**
     * @throws FlagValidationException if the weights do not sum to 100%
     */
    public Rollout build() {
      return new Rollout(weights, bucketBy, algorithm);
    }
  }
}
