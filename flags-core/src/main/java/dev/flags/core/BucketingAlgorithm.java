package dev.flags.core;

import java.util.Optional;

/**
 * How a rollout maps a context to a bucket in {@code 0..99,999}. The algorithms are specified in
 * {@code docs/bucketing.md}; a change that moves any user to another bucket is a breaking change.
 * Immutable and thread-safe.
 */
public enum BucketingAlgorithm {
  /**
   * The default: MurmurHash3 x86 32-bit (seed 0) of the UTF-8 bytes of {@code salt + "." + value},
   * taken unsigned, modulo 100,000.
   */
  MURMUR3_V1("murmur3-v1"),
  /**
   * Compatibility with the common Python snippet {@code int(md5(f"{value}-{salt}").hexdigest(), 16)
   * % 100 < percentage}: the bucket is that remainder times 1,000, so a rollout of a whole
   * percentage keeps exactly the users such code kept.
   */
  MD5_PERCENT_COMPAT("md5-percent-compat");

  private final String wireName;

  BucketingAlgorithm(String wireName) {
    this.wireName = wireName;
  }

  /** The spelling of this algorithm in the JSON flag format. */
  public String wireName() {
    return wireName;
  }

  /**
   * The bucket, {@code 0..99,999}, this algorithm gives {@code value} under {@code salt}: what a
   * rollout uses, for tools and other-language ports (see {@code docs/bucketing-vectors.json}).
   */
  public int bucket(String salt, String value) {
    return Bucketing.bucket(this, Bucketing.utf8(salt), value);
  }

  /** Finds an algorithm by its wire name. */
  public static Optional<BucketingAlgorithm> fromWireName(String name) {
    for (BucketingAlgorithm a : values()) {
      if (a.wireName.equals(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
