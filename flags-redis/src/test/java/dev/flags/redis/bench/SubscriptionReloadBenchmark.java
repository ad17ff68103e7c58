package dev.flags.redis.bench;

import dev.flags.core.Flags;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisFlagStore;
import dev.flags.testsupport.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import redis.clients.jedis.Jedis;

/**
 * What the full reload after the first subscription costs (a main, not a test; docs/benchmarks.md
 * "The reload after subscribing"). A store loads every flag to initialize, then subscribes and
 * loads every flag again, because a raw {@code SET} made between the two reaches no listener and
 * moves no counter (RawEditRightAfterStartTest). This measures both loads of a new store, on a warm
 * JVM, with 10,000 flags in a real redis-server: the wall time of each (build → initialized,
 * initialized → subscribed) and the server's time for each (the sum of {@code INFO commandstats}'
 * usec, so what every starting instance adds to Redis's one thread).
 *
 * <p>Arguments: rounds (default 7, the first not counted). The change-path warm-up is off, so that
 * its read scripts are not counted as either load's.
 */
public final class SubscriptionReloadBenchmark {

  private SubscriptionReloadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int n = 10_000;
    try (RedisServerProcess redis = RedisServerProcess.start();
        Jedis stats = new Jedis(redis.host(), redis.port())) {
      RedisStoreBenchmark.populate(redis.host(), redis.port(), n);
      RedisConnectionSettings settings = RedisConnectionSettings.standalone(redis.uri());
      List<long[]> rows = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        stats.configResetStat();
        long t0 = System.nanoTime();
        try (Flags flags =
            Flags.builder()
                .store(RedisFlagStore.builder(settings).warmUpChangePath(false).build())
                .build()) {
          if (!flags.awaitInitialization(Duration.ofSeconds(30))) {
            throw new IllegalStateException("not initialized: " + flags.statusDetail());
          }
          long t1 = System.nanoTime();
          long[] first = serverUsecAndCalls(stats);
          long deadline = t1 + Duration.ofSeconds(30).toNanos();
          // The status detail says so once the reload after subscribing is in.
          while (!flags.statusDetail().startsWith("subscribed to invalidations")) {
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException("not subscribed: " + flags.statusDetail());
            }
            Thread.onSpinWait();
          }
          long t2 = System.nanoTime();
          long[] both = serverUsecAndCalls(stats);
          if (flags.allFlags().size() != n) {
            throw new IllegalStateException(flags.allFlags().size() + " flags, not " + n);
          }
          if (r > 0) {
            rows.add(
                new long[] {
                  (t1 - t0) / 1_000,
                  (t2 - t1) / 1_000,
                  first[0],
                  both[0] - first[0],
                  first[1],
                  both[1] - first[1]
                });
          }
        }
      }
      System.out.println(
          "| round | first load: wall | reload after subscribing: wall | first load: Redis"
              + " time (calls) | reload: Redis time (calls) |");
      System.out.println("|---|---|---|---|---|");
      for (int i = 0; i < rows.size(); i++) {
        long[] x = rows.get(i);
        System.out.printf(
            Locale.ROOT,
            "| %d | %.1f ms | %.1f ms | %.1f ms (%d) | %.1f ms (%d) |%n",
            i + 1,
            x[0] / 1e3,
            x[1] / 1e3,
            x[2] / 1e3,
            x[4],
            x[3] / 1e3,
            x[5]);
      }
      System.out.printf(
          Locale.ROOT,
          "medians: first load %.1f ms wall, %.1f ms of Redis; reload %.1f ms wall, %.1f ms of"
              + " Redis%n",
          median(rows, 0) / 1e3,
          median(rows, 2) / 1e3,
          median(rows, 1) / 1e3,
          median(rows, 3) / 1e3);
    }
  }

  /** The server's time in commands since the last reset, in µs, and the number of calls. */
  private static long[] serverUsecAndCalls(Jedis stats) {
    long usec = 0;
    long calls = 0;
    for (String line : stats.info("commandstats").split("\r?\n")) {
      if (!line.startsWith("cmdstat_") || line.startsWith("cmdstat_info:")) {
        continue;
      }
      for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
        if (field.startsWith("usec=")) {
          usec += Long.parseLong(field.substring(5));
        } else if (field.startsWith("calls=")) {
          calls += Long.parseLong(field.substring(6));
        }
      }
    }
    return new long[] {usec, calls};
  }

  private static long median(List<long[]> rows, int column) {
    long[] v = rows.stream().mapToLong(r -> r[column]).toArray();
    Arrays.sort(v);
    return v[v.length / 2];
  }
}
