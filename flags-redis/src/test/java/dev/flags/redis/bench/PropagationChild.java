package dev.flags.redis.bench;

import dev.flags.core.EvaluationContext;
import dev.flags.core.FlagListener;
import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
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
 * <p>Output: {@code ready}, then, after {@code dump}, one {@code seen <nanoTime> <value>} line per
 * change and {@code end}.
 */
public final class PropagationChild {

  private PropagationChild() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String flagKey = args[1];
    int capacity = Integer.parseInt(args[2]);
    long[] at = new long[capacity];
    boolean[] value = new boolean[capacity];
    int[] count = {0};
    EvaluationContext ctx = EvaluationContext.of("user-42");
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (Flags flags =
        Flags.builder()
            .store(RedisFlagStore.builder(RedisConnectionSettings.standalone(url)).build())
            .build()) {
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
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.equals("dump")) {
        // wait
      }
      synchronized (count) {
        for (int i = 0; i < count[0]; i++) {
          out.println("seen " + at[i] + " " + value[i]);
        }
      }
      out.println("end");
    }
  }
}
