package dev.flags.core;

import java.nio.charset.StandardCharsets;

/**
 * The bucketing hashes of {@code docs/bucketing.md}. Allocation-free on the evaluation path: the
 * salt arrives as UTF-8 bytes computed once per compiled flag, and the value is encoded to UTF-8
 * while hashing.
 */
final class Bucketing {
  static final int BUCKETS = 100_000;

  private Bucketing() {}

  /** The bucket, {@code 0..99,999}, of {@code value} under {@code salt}. */
  static int bucket(BucketingAlgorithm algorithm, byte[] saltUtf8, String value) {
    throw new UnsupportedOperationException("not yet");
  }

  /** MurmurHash3 x86 32-bit, seed 0, of UTF-8 {@code salt + "." + value}, as an unsigned number. */
  static long murmur3(byte[] saltUtf8, String value) {
    throw new UnsupportedOperationException("not yet");
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
