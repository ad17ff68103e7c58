package dev.flags.benchmarks;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.Rollout;
import dev.flags.core.spi.OutcomeBatch;
import dev.flags.core.spi.OutcomeSink;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@link Flags#recordOutcome} costs the hot path: the flag is evaluated again (a 10% rollout,
 * so this includes the 22 ns of {@code FlagsBenchmark.rollout10Percent}) and the outcome counted,
 * with and without a latency. The sink takes batches and drops them; the flush runs on the client's
 * own thread every second, so its cost is not in the score. One instance per benchmark thread (JMH
 * {@code Scope.Thread}); not thread-safe.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OutcomeBenchmark {

  /** Keeps the batches' sizes so the JIT cannot drop them. */
  static final class CountingSink implements OutcomeSink {
    volatile long counts;

    // Only the client's one flusher thread calls publish; volatile is for the reader.
    @SuppressWarnings("NonAtomicVolatileUpdate")
    @Override
    public void publish(OutcomeBatch batch) {
      counts += batch.counts().size();
    }
  }

  private Flags flags;
  private EvaluationContext[] contexts;
  private final Duration latency = Duration.ofMillis(42);
  private int next;

  @Setup
  public void setUp() {
    flags =
        Flags.builder()
            .store(
                InMemoryFlagStore.of(
                    Flag.builder(Scenarios.ROLLOUT_10)
                        .fallthroughRollout(Rollout.percentage(10))
                        .build()))
            .outcomeSink(new CountingSink())
            .outcomeFlushInterval(Duration.ofSeconds(1))
            .build();
    contexts = new EvaluationContext[Scenarios.USERS];
    for (int i = 0; i < contexts.length; i++) {
      contexts[i] = EvaluationContext.of(Scenarios.key(i));
    }
  }

  @TearDown
  public void tearDown() {
    flags.close();
  }

  @Benchmark
  public void recordOutcome() {
    int i = next++;
    flags.recordOutcome(Scenarios.ROLLOUT_10, contexts[i & Scenarios.USER_MASK], (i & 15) != 0);
  }

  @Benchmark
  public void recordOutcomeWithLatency() {
    int i = next++;
    flags.recordOutcome(
        Scenarios.ROLLOUT_10, contexts[i & Scenarios.USER_MASK], (i & 15) != 0, latency);
  }
}
