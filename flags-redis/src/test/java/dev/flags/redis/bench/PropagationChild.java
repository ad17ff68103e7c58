package dev.flags.redis.bench;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.FlagListener;
import dev.flags.core.Flags;
import dev.flags.core.Segment;
import dev.flags.core.StoreStatus;
import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.StoreSink;
import dev.flags.core.spi.StoreSnapshot;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisFlagStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One instance of {@link PropagationBenchmark}: a separate JVM with its own client, as an
 * application runs it. It records {@link System#nanoTime()} each time its listener hears that the
 * flag changed, and prints the record when its standard input says {@code dump}.
 *
 * <p>Only the public API: the benchmark can run it over an older build (see
 * flags-benchmarks/scripts/propagation-ab.sh).
 *
 * <p>Output: {@code ready}, then, after {@code dump}: {@code cpu <nanos>} (the process's CPU time
 * since {@code start}, or {@code ready}), one {@code seen <nanoTime> <value>} line per change heard
 * by the listener, one {@code delivered <nanoTime>} per change handed to the client, one {@code
 * served <nanoTime>} per change installed by the client, and {@code end}.
 */
public final class PropagationChild {

  private PropagationChild() {}

  /**
   * CPU time of each of the process's threads by name (JIT compiler and GC threads included), in
   * clock ticks, from /proc (Linux only; empty elsewhere).
   */
  private static java.util.Map<String, Long> threadTicks() {
    java.util.Map<String, Long> ticks = new java.util.TreeMap<>();
    try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
      for (java.nio.file.Path task : (Iterable<java.nio.file.Path>) tasks::iterator) {
        try {
          String name = java.nio.file.Files.readString(task.resolve("comm")).strip();
          String stat = java.nio.file.Files.readString(task.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long t = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
          // Numbered pool threads (GC Thread#0, #1…) are summed under one name.
          ticks.merge(name.replaceAll("#\\d+$", "#n"), t, Long::sum);
        } catch (java.io.IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      }
    } catch (java.io.IOException notLinux) {
      return java.util.Map.of();
    }
    return ticks;
  }

  /** CPU time of the whole process (every thread, the JIT and GC included), or -1. */
  private static long cpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String flagKey = args[1];
    int capacity = Integer.parseInt(args[2]);
    long[] at = new long[capacity];
    boolean[] value = new boolean[capacity];
    int[] count = {0};
    // When the store handed each change of the flag to the client (the sink), before the client
    // compiled it and woke its listener thread: splits the delay into store and client parts.
    long[] delivered = new long[capacity];
    int[] deliveries = {0};
    // When the client had installed it (the sink returned): from then on evaluations serve it.
    long[] served = new long[capacity];
    int[] serves = {0};
    FlagStore redis = RedisFlagStore.builder(RedisConnectionSettings.standalone(url)).build();
    FlagStore timed =
        new FlagStore() {
          @Override
          public void start(StoreSink sink) {
            redis.start(
                new StoreSink() {
                  @Override
                  public void replaceAll(StoreSnapshot snapshot) {
                    sink.replaceAll(snapshot);
                  }

                  @Override
                  public void upsertFlag(Flag flag) {
                    if (flag.key().equals(flagKey)) {
                      long now = System.nanoTime();
                      synchronized (deliveries) {
                        if (deliveries[0] < capacity) {
                          delivered[deliveries[0]++] = now;
                        }
                      }
                    }
                    sink.upsertFlag(flag);
                    if (flag.key().equals(flagKey)) {
                      long now = System.nanoTime();
                      synchronized (serves) {
                        if (serves[0] < capacity) {
                          served[serves[0]++] = now;
                        }
                      }
                    }
                  }

                  @Override
                  public void removeFlag(String key) {
                    sink.removeFlag(key);
                  }

                  @Override
                  public void upsertSegment(Segment segment) {
                    sink.upsertSegment(segment);
                  }

                  @Override
                  public void removeSegment(String key) {
                    sink.removeSegment(key);
                  }

                  @Override
                  public void malformedFlag(String key, String problem) {
                    sink.malformedFlag(key, problem);
                  }

                  @Override
                  public void statusChanged(StoreStatus status, String detail) {
                    sink.statusChanged(status, detail);
                  }
                });
          }

          @Override
          public void prefetch(String key) {
            redis.prefetch(key);
          }

          @Override
          public void close() {
            redis.close();
          }
        };
    EvaluationContext ctx = EvaluationContext.of("user-42");
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    // "stages": a timing sink around the store, to split the delay into the store's part and the
    // client's. Off by default: a second sink class on the store's call sites changes what the JIT
    // compiles for them, and the delays measured with it are longer than an application's.
    boolean stages = args.length > 3 && args[3].equals("stages");
    try (Flags flags = Flags.builder().store(stages ? timed : redis).build()) {
      flags.addListener(
          flagKey,
          new FlagListener() {
            @Override
            public void onFlagChanged(String key) {
              long now = System.nanoTime();
              boolean v = flags.isEnabled(flagKey, ctx);
              synchronized (count) {
                int i = count[0];
                if (i < capacity) {
                  at[i] = now;
                  value[i] = v;
                  count[0] = i + 1;
                }
              }
            }
          });
      if (!flags.awaitInitialization(Duration.ofSeconds(30))) {
        throw new IllegalStateException("not initialized");
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (flags.status() != StoreStatus.OK || flags.flag(flagKey).isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("status " + flags.status());
        }
        Thread.sleep(10); // start-up only, before anything is measured
      }
      out.println("ready");
      long cpuAtStart = cpuNanos();
      java.util.Map<String, Long> ticksAtStart = threadTicks();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.equals("dump")) {
        if (line.equals("start")) {
          cpuAtStart = cpuNanos(); // the flips begin: start-up and settling are not counted
          ticksAtStart = threadTicks();
        }
      }
      out.println("cpu " + (cpuNanos() - cpuAtStart));
      for (var e : threadTicks().entrySet()) {
        long t = e.getValue() - ticksAtStart.getOrDefault(e.getKey(), 0L);
        if (t > 0) {
          out.println("ticks " + t + " " + e.getKey());
        }
      }
      synchronized (count) {
        for (int i = 0; i < count[0]; i++) {
          out.println("seen " + at[i] + " " + value[i]);
        }
      }
      synchronized (deliveries) {
        for (int i = 0; i < deliveries[0]; i++) {
          out.println("delivered " + delivered[i]);
        }
      }
      synchronized (serves) {
        for (int i = 0; i < serves[0]; i++) {
          out.println("served " + served[i]);
        }
      }
      out.println("end");
    }
  }
}
