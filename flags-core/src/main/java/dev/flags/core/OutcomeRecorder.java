package dev.flags.core;

import dev.flags.core.spi.LatencyHistogram;
import dev.flags.core.spi.OutcomeBatch;
import dev.flags.core.spi.OutcomeCounts;
import dev.flags.core.spi.OutcomeSink;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Aggregates outcomes in memory and hands them to an {@link OutcomeSink}.
 *
 * <p>Recording is two uncontended atomic increments into preallocated arrays and allocates nothing:
 * each flag has one {@link AtomicLongArray} of cumulative counters, striped by thread so threads do
 * not fight over one cache line (the LongAdder idea, without its lazily allocated cells), holding
 * per stripe and tracked variation: successes, errors and the {@link LatencyHistogram} buckets.
 * Counters only grow; a flush sums the stripes, subtracts what the previous successful flush
 * delivered, and attributes the difference to the time bucket the clock is in. So no recording
 * thread ever waits for a flush, a counter is never reset under a writer, and a failed flush simply
 * leaves its outcomes for the next one. Memory is fixed per flag ({@link #MAX_FLAGS} flags at
 * most): {@code stripes × 8 variations × 16 counters × 8 bytes}, 4 KiB with 4 stripes.
 *
 * <p>Thread-safe: {@link #record} from any thread, {@link #flush} serialised by this object.
 */
final class OutcomeRecorder {
  /** The most flags whose outcomes are counted; outcomes of further flags are dropped. */
  static final int MAX_FLAGS = 256;

  /** Variations 0..7 are counted; outcomes of higher variations are dropped. */
  static final int TRACKED_VARIATIONS = 8;

  private static final int SUCCESS = 0;
  private static final int ERROR = 1;
  private static final int LATENCY = 2;
  private static final int FIELDS = LATENCY + LatencyHistogram.BUCKETS; // 16: 128 bytes
  private static final int PER_STRIPE = TRACKED_VARIATIONS * FIELDS;

  private final OutcomeSink sink;
  private final Clock clock;
  private final int stripes;
  private final int stripeMask;
  private final Map<String, Cells> flags = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();

  OutcomeRecorder(OutcomeSink sink, Clock clock) {
    this.sink = sink;
    this.clock = clock;
    // Twice the processors, a power of two, at most 16: few collisions, bounded memory.
    int want = Math.min(16, Math.max(2, 2 * Runtime.getRuntime().availableProcessors()));
    this.stripes = Integer.highestOneBit(want - 1) << 1;
    this.stripeMask = stripes - 1;
  }

  /** The counters of one flag. */
  private static final class Cells {
    final AtomicLongArray counters;

    /** The totals the last successful flush delivered; touched by the flushing thread only. */
    final long[] delivered = new long[PER_STRIPE];

    Cells(int stripes) {
      counters = new AtomicLongArray(stripes * PER_STRIPE);
    }
  }

  /**
   * Counts one outcome.
   *
   * @param latencyNanos the latency, or negative when none was reported
   */
  void record(String flagKey, int variation, boolean success, long latencyNanos) {
    if (variation >= TRACKED_VARIATIONS) {
      dropped.incrementAndGet();
      return;
    }
    Cells cells = flags.get(flagKey);
    if (cells == null) {
      cells = cellsFor(flagKey);
      if (cells == null) {
        return;
      }
    }
    // Thread ids are handed out in sequence, so consecutive threads land on different stripes.
    int stripe = (int) Thread.currentThread().getId() & stripeMask;
    int base = stripe * PER_STRIPE + variation * FIELDS;
    cells.counters.getAndIncrement(base + (success ? SUCCESS : ERROR));
    if (latencyNanos >= 0) {
      cells.counters.getAndIncrement(base + LATENCY + LatencyHistogram.bucketOf(latencyNanos));
    }
  }

  /** The slow path of a flag's first outcome: allocates its counters once. */
  private @Nullable Cells cellsFor(String flagKey) {
    if (flags.size() >= MAX_FLAGS) {
      dropped.incrementAndGet();
      return null;
    }
    return flags.computeIfAbsent(flagKey, k -> new Cells(stripes));
  }

  /** Outcomes not counted: of flags beyond {@link #MAX_FLAGS} or variations beyond 7. */
  long dropped() {
    return dropped.get();
  }

  /**
   * Delivers what was recorded since the last successful flush to the sink, attributed to the
   * clock's current bucket. Forgets the counters of flags that no longer exist and had nothing new.
   *
   * @return whether the sink took it (or there was nothing to deliver)
   */
  synchronized boolean flush(Predicate<String> flagExists) {
    long bucketMillis = OutcomeBatch.BUCKET_LENGTH.toMillis();
    Instant bucketStart =
        Instant.ofEpochMilli(Math.floorDiv(clock.millis(), bucketMillis) * bucketMillis);
    List<OutcomeCounts> counts = new ArrayList<>();
    List<long[]> totalsOf = new ArrayList<>();
    List<Cells> cellsOf = new ArrayList<>();
    for (Iterator<Map.Entry<String, Cells>> it = flags.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Cells> e = it.next();
      Cells cells = e.getValue();
      long[] totals = new long[PER_STRIPE];
      for (int s = 0; s < stripes; s++) {
        for (int i = 0; i < PER_STRIPE; i++) {
          totals[i] += cells.counters.get(s * PER_STRIPE + i);
        }
      }
      boolean any = false;
      for (int v = 0; v < TRACKED_VARIATIONS; v++) {
        int base = v * FIELDS;
        long ok = totals[base + SUCCESS] - cells.delivered[base + SUCCESS];
        long err = totals[base + ERROR] - cells.delivered[base + ERROR];
        long[] lat = new long[LatencyHistogram.BUCKETS];
        boolean anyLatency = false;
        for (int b = 0; b < lat.length; b++) {
          lat[b] = totals[base + LATENCY + b] - cells.delivered[base + LATENCY + b];
          anyLatency |= lat[b] != 0;
        }
        if (ok != 0 || err != 0 || anyLatency) {
          any = true;
          counts.add(new OutcomeCounts(e.getKey(), v, ok, err, LatencyHistogram.of(lat)));
        }
      }
      if (any) {
        totalsOf.add(totals);
        cellsOf.add(cells);
      } else if (!flagExists.test(e.getKey())) {
        it.remove(); // a flag deleted or renamed: its counters are not needed any more
      }
    }
    if (counts.isEmpty()) {
      return true;
    }
    try {
      sink.publish(new OutcomeBatch(bucketStart, OutcomeBatch.BUCKET_LENGTH, counts));
    } catch (RuntimeException e) {
      ClientLog.LOG.log(
          Level.WARNING,
          "outcome sink failed; its outcomes are delivered again with the next flush: " + e);
      return false;
    }
    for (int i = 0; i < cellsOf.size(); i++) {
      System.arraycopy(totalsOf.get(i), 0, cellsOf.get(i).delivered, 0, PER_STRIPE);
    }
    return true;
  }

  void close() {
    try {
      sink.close();
    } catch (Exception e) {
      ClientLog.LOG.log(Level.WARNING, "outcome sink failed to close cleanly", e);
    }
  }

  static Duration checkFlushInterval(Duration interval) {
    if (interval.compareTo(Duration.ofMillis(10)) < 0
        || interval.compareTo(OutcomeBatch.BUCKET_LENGTH) > 0) {
      throw new IllegalArgumentException(
          "outcomeFlushInterval must be between 10ms and "
              + OutcomeBatch.BUCKET_LENGTH
              + ", got "
              + interval);
    }
    return interval;
  }
}
