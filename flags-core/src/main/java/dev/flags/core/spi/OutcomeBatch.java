package dev.flags.core.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The outcomes one client recorded since its previous flush, attributed to one time bucket: the
 * bucket the client's clock was in when it flushed. Immutable and thread-safe.
 *
 * @param bucketStart the start of the bucket, a multiple of {@code bucketLength} since the epoch
 * @param bucketLength the length of every bucket ({@link #BUCKET_LENGTH})
 * @param counts one entry per flag and variation that had outcomes, none empty
 */
public record OutcomeBatch(Instant bucketStart, Duration bucketLength, List<OutcomeCounts> counts) {

  /** The length of a time bucket: outcomes are counted per flag, variation and 10 seconds. */
  public static final Duration BUCKET_LENGTH = Duration.ofSeconds(10);

  public OutcomeBatch {
    Objects.requireNonNull(bucketStart, "bucketStart");
    Objects.requireNonNull(bucketLength, "bucketLength");
    counts = List.copyOf(counts);
  }

  /** The bucket's number: its start in epoch milliseconds divided by its length. */
  public long bucket() {
    return bucketStart.toEpochMilli() / bucketLength.toMillis();
  }
}
