package dev.flags.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the baseline benchmark through JMH in this JVM (no fork, one short iteration) with the
 * profiler docs/benchmarks.md relies on: proves the generated harness works and that the profiler
 * reports a plausible CPU time per operation.
 */
class CpuTimeProfilerTest {

  @Test
  void reportsCpuTimePerOperationNextToTheScore() throws RunnerException {
    Collection<RunResult> results =
        new Runner(
                new OptionsBuilder()
                    .include(BaselineBenchmark.class.getName() + ".nextContextOnly")
                    .forks(0)
                    .warmupIterations(0)
                    .measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(200))
                    .addProfiler(CpuTimeProfiler.class)
                    .shouldFailOnError(true)
                    .verbosity(VerboseMode.SILENT)
                    .build())
            .run();

    assertThat(results).hasSize(1);
    Result<?> cpu = results.iterator().next().getSecondaryResults().get("cpu.time.norm");
    assertThat(cpu).as("cpu.time.norm result").isNotNull();
    assertThat(cpu.getScoreUnit()).isEqualTo("ns/op");
    // Picking an array element costs about a nanosecond; anything positive and below a
    // microsecond means the profiler divided the JVM's CPU time by the operations JMH counted.
    assertThat(cpu.getScore()).isGreaterThan(0).isLessThan(1_000);
  }
}
