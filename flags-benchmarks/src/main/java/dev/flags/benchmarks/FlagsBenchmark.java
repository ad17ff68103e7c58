package dev.flags.benchmarks;

import dev.flags.core.Clause;
import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.Rollout;
import dev.flags.core.Rule;
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
 * The three common scenarios on our client, through the public API. One instance per benchmark
 * thread (JMH {@code Scope.Thread}); not thread-safe.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FlagsBenchmark {

  private Flags flags;
  private EvaluationContext[] contexts;
  private int next;

  @Setup
  public void setUp() {
    flags =
        Flags.builder()
            .store(
                InMemoryFlagStore.of(
                    Flag.builder(Scenarios.BOOLEAN_ON).build(),
                    Flag.builder(Scenarios.ROLLOUT_10)
                        .fallthroughRollout(Rollout.percentage(10))
                        .build(),
                    Flag.builder(Scenarios.RULE_THEN_ROLLOUT)
                        .rule(
                            Rule.when(Clause.in("country", "DE", "FR"), Clause.in("plan", "pro"))
                                .serve(true))
                        .fallthroughRollout(Rollout.percentage(10))
                        .build()))
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

  @TearDown
  public void tearDown() {
    flags.close();
  }

  @Benchmark
  public boolean booleanOnForEveryone() {
    return flags.isEnabled(Scenarios.BOOLEAN_ON, contexts[next++ & Scenarios.USER_MASK]);
  }

  @Benchmark
  public boolean rollout10Percent() {
    return flags.isEnabled(Scenarios.ROLLOUT_10, contexts[next++ & Scenarios.USER_MASK]);
  }

  @Benchmark
  public boolean ruleThenRollout() {
    return flags.isEnabled(Scenarios.RULE_THEN_ROLLOUT, contexts[next++ & Scenarios.USER_MASK]);
  }

  /** For the equivalence test: evaluates a flag for one user. */
  boolean evaluate(String flagKey, int user) {
    return flags.isEnabled(flagKey, contexts[user]);
  }
}
