package dev.flags.benchmarks;

import dev.flags.core.FlagSet;
import dev.flags.core.json.FlagCodec;
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
 * Loading 10,000 realistic flags ({@link RealisticFlags}) from one JSON document: parse, build and
 * validate the whole {@link FlagSet}. The target is 200 ms. The document is encoded once in
 * {@code @Setup}. The default mode is the warm average; the cold first load, what an application
 * pays at start-up, is {@code -bm ss -wi 0 -i 1 -f 10} (see docs/benchmarks.md). Not thread-safe.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {

  static final int FLAG_COUNT = 10_000;

  private final FlagCodec codec = FlagCodec.standard();
  private String json;

  @Setup
  public void setUp() {
    json = codec.encode(RealisticFlags.flagSet(FLAG_COUNT, 42));
  }

  @Benchmark
  public FlagSet decode10000Flags() {
    return codec.decodeFlagSet(json);
  }

  /** The document, for the test. */
  String json() {
    return json;
  }
}
