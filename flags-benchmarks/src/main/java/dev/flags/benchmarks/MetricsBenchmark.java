package dev.flags.benchmarks;

import dev.flags.core.Clause;
import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.Rollout;
import dev.flags.core.Rule;
import dev.flags.micrometer.FlagMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of flags-micrometer's {@link FlagMetrics} hook: the scenarios of {@link FlagsBenchmark}
 * with metrics {@code off} (no hook) and {@code on} (the hook counting into a {@link
 * SimpleMeterRegistry}, whose counters are the cumulative ones Prometheus registries use), in one
 * run so the two are measured side by side. One instance per benchmark thread; not thread-safe.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetricsBenchmark {

  @Param({"off", "on"})
  public String metrics;

  private MeterRegistry registry;
  private Flags flags;
  private EvaluationContext[] contexts;
  private int next;

  @Setup
  public void setUp() {
    Flags.Builder builder =
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
                        .build()));
    registry = new SimpleMeterRegistry();
    if (metrics.equals("on")) {
      builder.evaluationHook(FlagMetrics.create(registry));
    } else if (!metrics.equals("off")) {
      throw new IllegalArgumentException("metrics: on or off, got " + metrics);
    }
    flags = builder.build();
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
    registry.close();
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

  /** For the test: evaluations counted so far (0 with metrics off). */
  double counted() {
    return registry.find(FlagMetrics.EVALUATIONS).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }
}
