package dev.flags.benchmarks;

import dev.flags.core.EvaluationContext;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor under every scenario: picking the next of the 1,024 contexts and handing it to JMH,
 * with no SDK call. Run it with the others: on a busy machine it shows how much of a few-ns result
 * is the harness and the noise. Not thread-safe.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BaselineBenchmark {

  private EvaluationContext[] contexts;
  private int next;

  @Setup
  public void setUp() {
    contexts = new EvaluationContext[Scenarios.USERS];
    for (int i = 0; i < contexts.length; i++) {
      contexts[i] =
          EvaluationContext.builder(Scenarios.key(i))
              .set("country", Scenarios.country(i))
              .set("plan", Scenarios.plan(i))
              .build();
    }
  }

  @Benchmark
  public EvaluationContext nextContextOnly() {
    return contexts[next++ & Scenarios.USER_MASK];
  }
}
