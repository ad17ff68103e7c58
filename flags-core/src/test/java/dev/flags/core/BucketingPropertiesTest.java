package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Statistical and structural properties of the bucketing hashes of {@code docs/bucketing.md}. */
class BucketingPropertiesTest {

  private static final int USERS = 100_000;

  /**
   * Keys shaped like real ones: sequential ids (the hard case for a weak hash) and random UUIDs.
   */
  private static String[] sequentialKeys() {
    String[] keys = new String[USERS];
    for (int i = 0; i < USERS; i++) {
      keys[i] = "user-" + i;
    }
    return keys;
  }

  private static String[] randomKeys() {
    SplittableRandom random = new SplittableRandom(20260105L);
    String[] keys = new String[USERS];
    for (int i = 0; i < USERS; i++) {
      keys[i] = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
    }
    return keys;
  }

  /**
   * Pearson's chi-square of {@code keys} falling into {@code cells} equal slices of the buckets.
   */
  private static double chiSquare(
      BucketingAlgorithm algorithm, String salt, String[] keys, int cells) {
    byte[] saltUtf8 = Bucketing.utf8(salt);
    long[] counts = new long[cells];
    int width = Bucketing.BUCKETS / cells;
    for (String k : keys) {
      counts[Bucketing.bucket(algorithm, saltUtf8, k) / width]++;
    }
    double expected = (double) keys.length / cells;
    double chi = 0;
    for (long c : counts) {
      chi += (c - expected) * (c - expected) / expected;
    }
    return chi;
  }

  // Thresholds: for a uniform hash the statistic follows chi-square with cells - 1 degrees of
  // freedom. The keys are fixed, so each run computes the same number; the bound is the 99.9%
  // quantile (Wilson-Hilferty approximation: 148.3 for 99 d.f., 1142.9 for 999 d.f.), i.e. a good
  // hash passes with any of a thousand key sets, while a biased one (for instance taking the
  // signed hash, or a modulo of a 16-bit hash) lands in the thousands.

  @Test
  void murmur3SpreadsSequentialKeysUniformlyOverOneHundredPercentCells() {
    assertThat(chiSquare(BucketingAlgorithm.MURMUR3_V1, "new_checkout_flow", sequentialKeys(), 100))
        .isLessThan(148.3);
  }

  @Test
  void murmur3SpreadsRandomKeysUniformlyOverAThousandCells() {
    assertThat(chiSquare(BucketingAlgorithm.MURMUR3_V1, "ui_redesign", randomKeys(), 1000))
        .isLessThan(1142.9);
  }

  @Test
  void md5CompatSpreadsKeysUniformlyOverItsOneHundredBuckets() {
    assertThat(
            chiSquare(
                BucketingAlgorithm.MD5_PERCENT_COMPAT, "new_checkout_flow", sequentialKeys(), 100))
        .isLessThan(148.3);
  }

  @Test
  void md5CompatOnlyUsesWholePercentBuckets() {
    byte[] salt = Bucketing.utf8("f");
    for (String k : sequentialKeys()) {
      int b = Bucketing.bucket(BucketingAlgorithm.MD5_PERCENT_COMPAT, salt, k);
      assertThat(b % 1000).isZero();
      assertThat(b).isBetween(0, 99_000);
    }
  }

  @Test
  void differentSaltsPickIndependentUsers() {
    String[] keys = sequentialKeys();
    // Similar salts are the case a weak construction would get wrong.
    List<String[]> pairs =
        List.of(
            new String[] {"new_checkout_flow", "new_search"},
            new String[] {"flag-1", "flag-2"},
            new String[] {"checkout", "checkout-2026-q1"});
    for (BucketingAlgorithm algorithm : BucketingAlgorithm.values()) {
      for (String[] pair : pairs) {
        byte[] a = Bucketing.utf8(pair[0]);
        byte[] b = Bucketing.utf8(pair[1]);
        int inA = 0;
        int inB = 0;
        int inBoth = 0;
        for (String k : keys) {
          boolean ia = Bucketing.bucket(algorithm, a, k) < 10_000;
          boolean ib = Bucketing.bucket(algorithm, b, k) < 10_000;
          inA += ia ? 1 : 0;
          inB += ib ? 1 : 0;
          inBoth += ia && ib ? 1 : 0;
        }
        // Binomial: 10% of 100,000 is 10,000 (sd 95); independent 10% x 10% is 1,000 (sd 31.5).
        // Five standard deviations either way: a false alarm is a one-in-a-million event, while
        // salts that picked the same users would put all 10,000 in both.
        String what = algorithm + " " + pair[0] + " vs " + pair[1];
        assertThat(inA).as(what).isBetween(10_000 - 475, 10_000 + 475);
        assertThat(inB).as(what).isBetween(10_000 - 475, 10_000 + 475);
        assertThat(inBoth).as(what).isBetween(1_000 - 158, 1_000 + 158);
      }
    }
  }

  @Test
  void rampingARolloutUpOnlyAddsUsers() {
    String[] keys = sequentialKeys();
    byte[] salt = Bucketing.utf8("new_checkout_flow");
    double[] steps = {10, 25, 50, 100};
    int[] counts = new int[steps.length];
    for (BucketingAlgorithm algorithm : BucketingAlgorithm.values()) {
      java.util.Arrays.fill(counts, 0);
      for (String k : keys) {
        int bucket = Bucketing.bucket(algorithm, salt, k);
        boolean wasIn = false;
        for (int s = 0; s < steps.length; s++) {
          boolean in = variationOf(Rollout.percentage(steps[s]), bucket) == 1;
          assertThat(in).as("%s at %s%%", k, steps[s]).isEqualTo(bucket < steps[s] * 1000);
          if (wasIn) {
            assertThat(in).as("%s in before %s%% must stay in", k, steps[s]).isTrue();
          }
          wasIn = in;
          counts[s] += in ? 1 : 0;
        }
      }
      assertThat(counts[0]).isBetween(9_500, 10_500);
      assertThat(counts[1]).isBetween(24_300, 25_700);
      assertThat(counts[2]).isBetween(49_200, 50_800);
      assertThat(counts[3]).isEqualTo(USERS);
    }
  }

  @Test
  void weightsTakeConsecutiveBucketRangesInListOrder() {
    Rollout r =
        Rollout.builder().percent(2, 20).percent(0, 0).percent(1, 30).percent(3, 50).build();
    assertThat(variationOf(r, 0)).isEqualTo(2);
    assertThat(variationOf(r, 19_999)).isEqualTo(2);
    assertThat(variationOf(r, 20_000)).isEqualTo(1);
    assertThat(variationOf(r, 49_999)).isEqualTo(1);
    assertThat(variationOf(r, 50_000)).isEqualTo(3);
    assertThat(variationOf(r, 99_999)).isEqualTo(3);
  }

  /** The mapping of docs/bucketing.md: variation i serves [sum of earlier weights, + weight_i). */
  private static int variationOf(Rollout rollout, int bucket) {
    int upper = 0;
    for (Rollout.WeightedVariation w : rollout.weights()) {
      upper += w.weight();
      if (bucket < upper) {
        return w.variation();
      }
    }
    throw new AssertionError("weights sum to 100,000 so bucket " + bucket + " has a variation");
  }

  /** Pinned in code as well as in docs/bucketing-vectors.json: editing both should hurt twice. */
  @Test
  void bucketsAreStableAcrossRunsAndVersions() {
    assertThat(BucketingAlgorithm.MURMUR3_V1.bucket("new_checkout_flow", "user-1"))
        .isEqualTo(41_044);
    assertThat(Bucketing.murmur3(Bucketing.utf8("new_checkout_flow"), "user-1"))
        .isEqualTo(2_685_941_044L);
    assertThat(Bucketing.murmur3(Bucketing.utf8("new_checkout_flow"), "user-4"))
        .isEqualTo(4_180_629_232L);
    assertThat(BucketingAlgorithm.MURMUR3_V1.bucket("i18n.greeting", "😀")).isEqualTo(18_791);
    assertThat(BucketingAlgorithm.MD5_PERCENT_COMPAT.bucket("i18n.greeting", "😀"))
        .isEqualTo(57_000);
  }

  @Test
  void bucketsStringsAndIntegralNumbersAndLeavesOtherValuesOut() {
    assertThat(Bucketing.bucketableText(JsonValue.of("tenant-7"))).isEqualTo("tenant-7");
    assertThat(Bucketing.bucketableText(JsonValue.of(42))).isEqualTo("42");
    assertThat(Bucketing.bucketableText(JsonValue.of(-7))).isEqualTo("-7");
    assertThat(Bucketing.bucketableText(JsonValue.of(42.0))).isEqualTo("42");
    assertThat(Bucketing.bucketableText(new JsonValue.Num(new java.math.BigDecimal("4.2E1"))))
        .isEqualTo("42");
    assertThat(Bucketing.bucketableText(JsonValue.of((1L << 53) - 1)))
        .isEqualTo("9007199254740991");
    assertThat(Bucketing.bucketableText(JsonValue.of(1L << 53))).isNull();
    assertThat(Bucketing.bucketableText(JsonValue.of(4.5))).isNull();
    assertThat(Bucketing.bucketableText(JsonValue.of(""))).isNull();
    assertThat(Bucketing.bucketableText(JsonValue.TRUE)).isNull();
    assertThat(Bucketing.bucketableText(JsonValue.NULL)).isNull();
    assertThat(Bucketing.bucketableText(JsonValue.array(JsonValue.of("a")))).isNull();
    assertThat(Bucketing.bucketableText(null)).isNull();
  }

  @Test
  void murmur3AllocatesNothing() {
    long allocated =
        allocatedBytesOverAMillionCalls(() -> Bucketing.murmur3(SALT, VALUES[index++ & 7]));
    assertThat(allocated).as("bytes allocated by 1,000,000 calls").isLessThan(16_384);
  }

  @Test
  void murmur3WithAPrecomputedSaltAllocatesNothing() {
    Bucketing.Murmur3Prefix prefix = Bucketing.murmur3Prefix(SALT);
    long allocated =
        allocatedBytesOverAMillionCalls(() -> Bucketing.bucket(prefix, VALUES[index++ & 7]));
    assertThat(allocated).as("bytes allocated by 1,000,000 calls").isLessThan(16_384);
  }

  @Test
  void md5CompatAllocatesNothingOnceTheThreadIsWarm() {
    long allocated =
        allocatedBytesOverAMillionCalls(() -> Bucketing.md5Percent(SALT, VALUES[index++ & 7]));
    assertThat(allocated).as("bytes allocated by 1,000,000 calls").isLessThan(16_384);
  }

  private static final byte[] SALT = Bucketing.utf8("new_checkout_flow");
  private static final String[] VALUES = {
    "user-1",
    "jürgen",
    "日本語",
    "user-🚀",
    "x".repeat(200),
    "",
    "\uD800x",
    "550e8400-e29b-41d4-a716-446655440000"
  };
  private static int index;
  private static volatile long sink;

  /**
   * Whether a million calls, after a warm-up, allocate on this thread no more than the JVM's own
   * noise. The counter is exact, but the JVM may allocate a few KB on this thread for itself (a
   * lazily resolved class, a JIT deoptimisation); a single object per call would be at least 16 MB
   * over the run, so anything under 16 KB (0.016 bytes per call) counts as no allocation.
   */
  private static long allocatedBytesOverAMillionCalls(LongSupplier call) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (int i = 0; i < 200_000; i++) {
      sum += call.getAsLong();
    }
    int calls = 1_000_000;
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < calls; i++) {
      sum += call.getAsLong();
    }
    long after = threads.getCurrentThreadAllocatedBytes();
    // Consumed so the JIT cannot drop the calls (and with them any allocation) as dead code.
    sink = sum;
    return after - before;
  }

  @Property(tries = 2_000)
  void murmur3EncodesLikeStringGetBytes(
      @ForAll("saltsAndValues") String salt, @ForAll("saltsAndValues") String value) {
    byte[] whole = (salt + "." + value).getBytes(StandardCharsets.UTF_8);
    long expected = Integer.toUnsignedLong(referenceMurmur3(whole));
    assertThat(Bucketing.murmur3(Bucketing.utf8(salt), value)).isEqualTo(expected);
    assertThat(Bucketing.murmur3(Bucketing.murmur3Prefix(Bucketing.utf8(salt)), value))
        .isEqualTo(expected);
  }

  @Property(tries = 2_000)
  void md5CompatEncodesLikeStringGetBytes(
      @ForAll("saltsAndValues") String salt, @ForAll("saltsAndValues") String value)
      throws NoSuchAlgorithmException {
    byte[] digest =
        MessageDigest.getInstance("MD5")
            .digest((value + "-" + salt).getBytes(StandardCharsets.UTF_8));
    int expected = new BigInteger(1, digest).mod(BigInteger.valueOf(100)).intValueExact();
    assertThat(Bucketing.md5Percent(Bucketing.utf8(salt), value)).isEqualTo(expected);
  }

  @Property(tries = 500)
  void bucketsAreInRange(
      @ForAll("saltsAndValues") String salt, @ForAll("saltsAndValues") String value) {
    for (BucketingAlgorithm a : BucketingAlgorithm.values()) {
      assertThat(a.bucket(salt, value)).isBetween(0, Bucketing.BUCKETS - 1);
    }
  }

  /**
   * Strings rich in the cases an encoder gets wrong: unpaired high and low surrogates (alone, at
   * the end, reversed), valid pairs, 2- and 3-byte characters, and lengths around the 128-byte
   * buffer of the md5 path.
   */
  @Provide
  Arbitrary<String> saltsAndValues() {
    Arbitrary<String> tricky =
        Arbitraries.strings()
            .withChars('a', 'Z', '0', '.', '-', 'é', 'ß', '\u07ff', '\u0800', '日', '\uffff')
            .withChars('\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D', '\uDE00')
            .ofMinLength(0)
            .ofMaxLength(300);
    Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(80);
    return Arbitraries.oneOf(tricky, any);
  }

  /** A plain MurmurHash3_x86_32 (seed 0) over a byte array, written from the reference. */
  @SuppressWarnings("fallthrough")
  private static int referenceMurmur3(byte[] data) {
    int h = 0;
    int blocks = data.length / 4;
    for (int i = 0; i < blocks; i++) {
      int k =
          (data[4 * i] & 0xFF)
              | (data[4 * i + 1] & 0xFF) << 8
              | (data[4 * i + 2] & 0xFF) << 16
              | (data[4 * i + 3] & 0xFF) << 24;
      k *= 0xcc9e2d51;
      k = Integer.rotateLeft(k, 15);
      k *= 0x1b873593;
      h ^= k;
      h = Integer.rotateLeft(h, 13);
      h = h * 5 + 0xe6546b64;
    }
    int k = 0;
    int tail = 4 * blocks;
    switch (data.length & 3) {
      case 3:
        k ^= (data[tail + 2] & 0xFF) << 16;
      // fall through
      case 2:
        k ^= (data[tail + 1] & 0xFF) << 8;
      // fall through
      case 1:
        k ^= data[tail] & 0xFF;
        k *= 0xcc9e2d51;
        k = Integer.rotateLeft(k, 15);
        k *= 0x1b873593;
        h ^= k;
        break;
      default:
        break;
    }
    h ^= data.length;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
