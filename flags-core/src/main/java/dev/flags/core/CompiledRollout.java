package dev.flags.core;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** A rollout made ready to evaluate: cumulative bucket bounds and the salt's UTF-8 bytes. */
final class CompiledRollout {
  private final int[] variations;
  private final int[] upperBounds; // exclusive, cumulative
  private final int
      outsideVariation; // for contexts without the bucketBy attribute: bucket 99,999's
  final @Nullable String bucketBy; // null: the context key
  private final BucketingAlgorithm algorithm;
  private final byte[] salt;
  private final Bucketing.@Nullable Murmur3Prefix
      murmurPrefix; // the hash state after salt + ".", computed once

  CompiledRollout(Rollout rollout, byte[] salt) {
    List<Rollout.WeightedVariation> weights = rollout.weights();
    this.variations = new int[weights.size()];
    this.upperBounds = new int[weights.size()];
    int sum = 0;
    int outside = -1;
    for (int i = 0; i < weights.size(); i++) {
      Rollout.WeightedVariation w = weights.get(i);
      variations[i] = w.variation();
      sum += w.weight();
      upperBounds[i] = sum;
      if (w.weight() > 0) {
        outside = w.variation(); // the last one with a weight: the variation of bucket 99,999
      }
    }
    this.outsideVariation = outside;
    this.bucketBy = rollout.bucketBy().map(String::intern).orElse(null); // probed by identity first
    this.algorithm = rollout.algorithm();
    this.salt = salt;
    this.murmurPrefix =
        algorithm == BucketingAlgorithm.MURMUR3_V1 ? Bucketing.murmur3Prefix(salt) : null;
  }

  /**
   * The packed result for this context: {@link Result#served} with the variation and bucket, or the
   * last weighted variation (that of bucket 99,999) without a bucket when the context lacks a
   * bucketable bucketBy value, so such a context joins a ramp only when it reaches 100%.
   */
  long serve(EvaluationContext context, EvaluationReason.Kind kind, int ruleIndex) {
    String value = bucketValue(context);
    if (value == null) {
      return Result.served(outsideVariation, kind, ruleIndex, -1);
    }
    int bucket =
        murmurPrefix != null
            ? Bucketing.bucket(murmurPrefix, value)
            : Bucketing.bucket(algorithm, salt, value);
    int n = upperBounds.length;
    for (int i = 0; i < n; i++) {
      if (bucket < upperBounds[i]) {
        return Result.served(variations[i], kind, ruleIndex, bucket);
      }
    }
    return Result.served(
        variations[n - 1], kind, ruleIndex, bucket); // unreachable: bounds end at 100,000
  }

  private @Nullable String bucketValue(EvaluationContext context) {
    return bucketBy == null ? context.key() : Bucketing.bucketableText(context.valueOf(bucketBy));
  }
}
