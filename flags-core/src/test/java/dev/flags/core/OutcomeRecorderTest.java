package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flags.core.spi.LatencyHistogram;
import dev.flags.core.spi.OutcomeBatch;
import dev.flags.core.spi.OutcomeCounts;
import dev.flags.core.spi.OutcomeSink;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OutcomeRecorderTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** A sink that keeps what it is given and fails while told to. */
  static final class Recording implements OutcomeSink {
    final List<OutcomeBatch> batches = new ArrayList<>();
    final AtomicBoolean failing = new AtomicBoolean();
    boolean closed;

    @Override
    public synchronized void publish(OutcomeBatch batch) {
      if (failing.get()) {
        throw new IllegalStateException("down");
      }
      batches.add(batch);
    }

    @Override
    public void close() {
      closed = true;
    }

    synchronized OutcomeCounts total(String flag, int variation) {
      OutcomeCounts sum = OutcomeCounts.none(flag, variation);
      for (OutcomeBatch b : batches) {
        for (OutcomeCounts c : b.counts()) {
          if (c.flagKey().equals(flag) && c.variation() == variation) {
            sum = sum.plus(c);
          }
        }
      }
      return sum;
    }
  }

  private static Flags client(Recording sink, Clock clock, Flag... flags) {
    return Flags.builder()
        .store(InMemoryFlagStore.of(flags))
        .outcomeSink(sink)
        .clock(clock)
        .outcomeFlushInterval(Duration.ofSeconds(10))
        .build();
  }

  @Test
  void outcomesAreAttributedToTheVariationEachContextIsServed() {
    Recording sink = new Recording();
    Flag half = Flag.builder("half").percentageRollout(50).build();
    try (Flags flags = client(sink, Clock.systemUTC(), half)) {
      int servedNew = 0;
      for (int i = 0; i < 1000; i++) {
        EvaluationContext c = EvaluationContext.of("user-" + i);
        boolean isNew = flags.isEnabled("half", c);
        servedNew += isNew ? 1 : 0;
        flags.recordOutcome("half", c, !isNew); // the new variation always fails
      }
      assertThat(flags.flushOutcomes()).isTrue();
      assertThat(sink.total("half", 1).errors()).isEqualTo(servedNew);
      assertThat(sink.total("half", 1).successes()).isZero();
      assertThat(sink.total("half", 0).successes()).isEqualTo(1000 - servedNew);
      assertThat(sink.total("half", 0).errors()).isZero();
    }
  }

  @Test
  void latenciesFallInTheirHistogramBuckets() {
    Recording sink = new Recording();
    try (Flags flags = client(sink, Clock.systemUTC(), Flag.simple("f", true))) {
      EvaluationContext c = EvaluationContext.of("u");
      flags.recordOutcome("f", c, true, Duration.ofMillis(3)); // bucket "5 ms"
      flags.recordOutcome("f", c, true, Duration.ofMillis(5)); // bucket "5 ms"
      flags.recordOutcome("f", c, false, Duration.ofSeconds(60)); // the unbounded bucket
      flags.recordOutcome("f", c, true); // no latency
      flags.flushOutcomes();
      LatencyHistogram h = sink.total("f", 1).latency();
      assertThat(h.count(LatencyHistogram.bucketOf(5_000_000))).isEqualTo(2);
      assertThat(h.count(LatencyHistogram.BUCKETS - 1)).isEqualTo(1);
      assertThat(h.total()).isEqualTo(3);
      assertThat(h.percentile(0.5)).isEqualTo(Duration.ofMillis(5));
      assertThat(sink.total("f", 1).requests()).isEqualTo(4);
    }
  }

  @Test
  void eachFlushDeliversOnlyWhatIsNewInTheBucketOfTheClock() {
    Recording sink = new Recording();
    MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:04Z"));
    try (Flags flags = client(sink, clock, Flag.simple("f", true))) {
      EvaluationContext c = EvaluationContext.of("u");
      flags.recordOutcome("f", c, true);
      flags.flushOutcomes();
      clock.now = Instant.parse("2026-12-03T10:00:12Z");
      flags.recordOutcome("f", c, false);
      flags.flushOutcomes();
      flags.flushOutcomes(); // nothing new: no batch
      assertThat(sink.batches).hasSize(2);
      assertThat(sink.batches.get(0).bucketStart()).isEqualTo("2026-12-03T10:00:00Z");
      assertThat(sink.batches.get(0).counts().get(0).successes()).isEqualTo(1);
      assertThat(sink.batches.get(1).bucketStart()).isEqualTo("2026-12-03T10:00:10Z");
      assertThat(sink.batches.get(1).counts().get(0).successes()).isZero();
      assertThat(sink.batches.get(1).counts().get(0).errors()).isEqualTo(1);
    }
  }

  @Test
  void outcomesOfAFailedFlushAreDeliveredByTheNextOneOnce() {
    Recording sink = new Recording();
    try (Flags flags = client(sink, Clock.systemUTC(), Flag.simple("f", true))) {
      EvaluationContext c = EvaluationContext.of("u");
      flags.recordOutcome("f", c, true);
      sink.failing.set(true);
      assertThat(flags.flushOutcomes()).isFalse();
      sink.failing.set(false);
      flags.recordOutcome("f", c, true);
      assertThat(flags.flushOutcomes()).isTrue();
      flags.flushOutcomes();
      assertThat(sink.total("f", 1).successes()).isEqualTo(2);
    }
  }

  @Test
  void closingFlushesTheLastOutcomesAndClosesTheSink() {
    Recording sink = new Recording();
    Flags flags = client(sink, Clock.systemUTC(), Flag.simple("f", true));
    flags.recordOutcome("f", EvaluationContext.of("u"), false);
    flags.close();
    assertThat(sink.total("f", 1).errors()).isEqualTo(1);
    assertThat(sink.closed).isTrue();
  }

  @Test
  void missingFlagsDefaultsAndClientsWithoutSinkCountNothing() {
    Recording sink = new Recording();
    Flag off = Flag.builder("off").on(false).build();
    try (Flags flags = client(sink, Clock.systemUTC(), off)) {
      flags.recordOutcome("missing", EvaluationContext.of("u"), false);
      flags.recordOutcome(null, EvaluationContext.of("u"), false);
      flags.recordOutcome("off", null, false);
      flags.recordOutcome("off", EvaluationContext.of("u"), false, Duration.ofMillis(-1));
      flags.flushOutcomes();
      assertThat(sink.total("missing", 0).requests()).isZero();
      // an off flag serves its off variation: that is a variation, and it is counted
      assertThat(sink.total("off", 0).errors()).isEqualTo(1);
      assertThat(sink.total("off", 0).latency().total()).isZero();
    }
    try (Flags flags = Flags.builder().store(InMemoryFlagStore.of(off)).build()) {
      flags.recordOutcome("off", EvaluationContext.of("u"), false);
      assertThat(flags.flushOutcomes()).isTrue();
    }
  }

  @Test
  void concurrentRecordingLosesNothing() throws Exception {
    Recording sink = new Recording();
    try (Flags flags = client(sink, Clock.systemUTC(), Flag.simple("f", true))) {
      int threads = 8;
      int each = 50_000;
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> all = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        boolean success = t % 2 == 0;
        Thread th =
            new Thread(
                () -> {
                  EvaluationContext c = EvaluationContext.of("u");
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  for (int i = 0; i < each; i++) {
                    flags.recordOutcome("f", c, success);
                    if (i % 10_000 == 0) {
                      flags.flushOutcomes(); // flushes race the writers
                    }
                  }
                });
        th.start();
        all.add(th);
      }
      start.countDown();
      for (Thread th : all) {
        th.join();
      }
      flags.flushOutcomes();
      assertThat(sink.total("f", 1).successes()).isEqualTo(threads / 2L * each);
      assertThat(sink.total("f", 1).errors()).isEqualTo(threads / 2L * each);
    }
  }

  @Test
  void recordingAllocatesNothing() {
    Recording sink = new Recording();
    Flag rollout = Flag.builder("rollout").percentageRollout(10).build();
    EvaluationContext[] users = new EvaluationContext[1024];
    for (int i = 0; i < users.length; i++) {
      users[i] = EvaluationContext.of("user-" + i);
    }
    Duration latency = Duration.ofMillis(12);
    try (Flags flags = client(sink, Clock.systemUTC(), rollout)) {
      for (int i = 0; i < 300_000; i++) { // warm up
        flags.recordOutcome("rollout", users[i & 1023], (i & 7) != 0, latency);
      }
      long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
      for (int i = 0; i < 300_000; i++) {
        flags.recordOutcome("rollout", users[i & 1023], (i & 7) != 0, latency);
      }
      long allocated = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
      assertThat(allocated).as("bytes allocated by 300,000 outcomes").isLessThan(4_096);
    }
  }

  @Test
  void flushIntervalOutsideItsRangeIsRefusedByName() {
    assertThatThrownBy(() -> Flags.builder().outcomeFlushInterval(Duration.ofMinutes(1)))
        .hasMessageContaining("outcomeFlushInterval");
  }

  static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
