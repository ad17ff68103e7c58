package dev.flags.benchmarks;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import java.util.ArrayList;
import java.util.List;
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
 * Individual targets must cost the same at 100,000 keys as at 10 (target: within 20%). The users
 * are not targeted, so each evaluation looks its key up and falls through to {@code false}. One
 * instance per benchmark thread; not thread-safe.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TargetsBenchmark {

  static final String TARGETS_100000 = "targets_100000";
  static final String TARGETS_10 = "targets_10";

  private Flags flags;
  private EvaluationContext[] contexts;
  private int next;

  @Setup
  public void setUp() {
    flags =
        Flags.builder()
            .store(
                InMemoryFlagStore.of(targeted(TARGETS_100000, 100_000), targeted(TARGETS_10, 10)))
            .build();
    contexts = new EvaluationContext[Scenarios.USERS];
    for (int i = 0; i < contexts.length; i++) {
      contexts[i] =
          EvaluationContext.builder(Scenarios.key(i))
              .set("country", Scenarios.country(i))
              .set("plan", Scenarios.plan(i))
              .build();
    }
  }

  /**
   * A flag serving true to {@code count} customer ids (none of them a benchmark user), else false.
   */
  static Flag targeted(String key, int count) {
    List<String> keys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      keys.add("customer-" + i);
    }
    return Flag.builder(key).target(1, keys).fallthrough(false).build();
  }

  @TearDown
  public void tearDown() {
    flags.close();
  }

  @Benchmark
  public boolean targets100000NotTargeted() {
    return flags.isEnabled(TARGETS_100000, contexts[next++ & Scenarios.USER_MASK]);
  }

  @Benchmark
  public boolean targets10NotTargeted() {
    return flags.isEnabled(TARGETS_10, contexts[next++ & Scenarios.USER_MASK]);
  }

  /** For the equivalence test. */
  boolean evaluate(String flagKey, EvaluationContext context) {
    return flags.isEnabled(flagKey, context);
  }
}
