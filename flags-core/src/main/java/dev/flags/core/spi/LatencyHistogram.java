package dev.flags.core.spi;

import java.time.Duration;
import java.util.Arrays;

/**
 * Counts of latencies in fixed buckets, the same for every flag and instance so histograms from
 * many instances and time buckets add up exactly. A latency of {@code d} counts in the first bucket
 * whose upper bound ({@link #upperBoundMillis(int)}) is at least {@code d}; the last bucket has no
 * upper bound. A percentile read from it is the upper bound of the bucket it falls in: an
 * over-estimate by at most one bucket (the bounds grow by about 2–2.5×). Immutable and thread-safe.
 */
public final class LatencyHistogram {

  /** Upper bounds of the buckets but the last, in milliseconds. */
  private static final long[] BOUNDS_MILLIS = {
    1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000
  };

  /** The bounds in nanoseconds, for the recording hot path. */
  private static final long[] BOUNDS_NANOS =
      Arrays.stream(BOUNDS_MILLIS).map(m -> m * 1_000_000L).toArray();

  /** How many buckets a histogram has: {@link #BOUNDS_MILLIS}'s and one without upper bound. */
  public static final int BUCKETS = BOUNDS_MILLIS.length + 1;

  /** No latencies. */
  public static final LatencyHistogram EMPTY = new LatencyHistogram(new long[BUCKETS]);

  private final long[] counts;

  private LatencyHistogram(long[] counts) {
    this.counts = counts;
  }

  /**
   * A histogram of these counts, one per bucket.
   *
   * @throws IllegalArgumentException if there are not {@link #BUCKETS} counts or one is negative
   */
  public static LatencyHistogram of(long... counts) {
    if (counts.length != BUCKETS) {
      throw new IllegalArgumentException(
          "a latency histogram has " + BUCKETS + " buckets, got " + counts.length);
    }
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0) {
        throw new IllegalArgumentException(
            "latency bucket " + i + " must not be negative, got " + counts[i]);
      }
    }
    return new LatencyHistogram(counts.clone());
  }

  /** The bucket a latency of {@code nanos} counts in; negative latencies count as 0. */
  public static int bucketOf(long nanos) {
    for (int i = 0; i < BOUNDS_NANOS.length; i++) {
      if (nanos <= BOUNDS_NANOS[i]) {
        return i;
      }
    }
    return BOUNDS_NANOS.length;
  }

  /**
   * The upper bound of bucket {@code i} in milliseconds; {@link Long#MAX_VALUE} for the last.
   *
   * @throws IndexOutOfBoundsException if there is no bucket {@code i}
   */
  public static long upperBoundMillis(int i) {
    if (i < 0 || i >= BUCKETS) {
      throw new IndexOutOfBoundsException("no latency bucket " + i);
    }
    return i < BOUNDS_MILLIS.length ? BOUNDS_MILLIS[i] : Long.MAX_VALUE;
  }

  /** The count of bucket {@code i}. */
  public long count(int i) {
    return counts[i];
  }

  /** The number of latencies counted. */
  public long total() {
    long t = 0;
    for (long c : counts) {
      t += c;
    }
    return t;
  }

  /** This histogram and {@code other} added. */
  public LatencyHistogram plus(LatencyHistogram other) {
    long[] sum = counts.clone();
    for (int i = 0; i < sum.length; i++) {
      sum[i] += other.counts[i];
    }
    return new LatencyHistogram(sum);
  }

  /**
   * The upper bound of the bucket the {@code quantile} (0 &lt; q ≤ 1) of the latencies falls in:
   * {@link Duration#ZERO} when nothing was counted, and twice the highest bound (20 s) for the
   * last, unbounded bucket.
   *
   * @throws IllegalArgumentException if {@code quantile} is not in (0, 1]
   */
  public Duration percentile(double quantile) {
    if (!(quantile > 0 && quantile <= 1)) {
      throw new IllegalArgumentException("quantile must be in (0, 1], got " + quantile);
    }
    long total = total();
    if (total == 0) {
      return Duration.ZERO;
    }
    long rank = (long) Math.ceil(quantile * total);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Duration.ofMillis(
            i < BOUNDS_MILLIS.length
                ? BOUNDS_MILLIS[i]
                : 2 * BOUNDS_MILLIS[BOUNDS_MILLIS.length - 1]);
      }
    }
    return Duration.ofMillis(2 * BOUNDS_MILLIS[BOUNDS_MILLIS.length - 1]);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LatencyHistogram h && Arrays.equals(counts, h.counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "LatencyHistogram" + Arrays.toString(counts);
  }
}
