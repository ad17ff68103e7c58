package dev.flags.redis.bench;

import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.json.FlagCodec;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisFlagStore;
import dev.flags.testsupport.RedisServerProcess;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;

/**
 * What the start-up adoption of raw keys costs: start-up (build → initialized, warm JVM) with and
 * without {@code adoptRawKeysAtStart}, alternating, over a database holding a few flags and 100,000
 * unrelated keys, then over 10,000 flags and the same unrelated keys; and the server's own time for
 * the SCAN, from {@code INFO commandstats}. Arguments: rounds (15), unrelated keys (100,000). A
 * main, not a test (docs/benchmarks.md).
 */
public final class AdoptionScanBenchmark {

  private AdoptionScanBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int others = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      RedisConnectionSettings settings = RedisConnectionSettings.standalone(redis.uri());
      System.out.println("| database | adoption on | adoption off | SCAN calls, server time |");
      System.out.println("|---|---|---|---|");
      for (int flags : new int[] {10, 10_000}) {
        populate(redis, flags, others);
        measure(redis, settings, flags, others, rounds);
      }
    }
  }

  private static void measure(
      RedisServerProcess redis,
      RedisConnectionSettings settings,
      int flags,
      int others,
      int rounds) {
    for (int i = 0; i < 3; i++) { // warm up both paths
      startup(settings, true, flags);
      startup(settings, false, flags);
    }
    long[] on = new long[rounds];
    long[] off = new long[rounds];
    String before = scanStats(redis);
    for (int r = 0; r < rounds; r++) {
      on[r] = startup(settings, true, flags);
      off[r] = startup(settings, false, flags);
    }
    String after = scanStats(redis);
    Arrays.sort(on);
    Arrays.sort(off);
    System.out.printf(
        Locale.ROOT,
        "| %,d flags + %,d other keys | median %.1f ms (%.1f..%.1f) | median %.1f ms (%.1f..%.1f) | %s → %s |%n",
        flags,
        others,
        on[rounds / 2] / 1e6,
        on[0] / 1e6,
        on[rounds - 1] / 1e6,
        off[rounds / 2] / 1e6,
        off[0] / 1e6,
        off[rounds - 1] / 1e6,
        before,
        after);
  }

  private static long startup(RedisConnectionSettings settings, boolean adopt, int expected) {
    long t0 = System.nanoTime();
    try (Flags f =
        Flags.builder()
            .store(RedisFlagStore.builder(settings).adoptRawKeysAtStart(adopt).build())
            .build()) {
      if (!f.awaitInitialization(Duration.ofSeconds(30)) || f.allFlags().size() != expected) {
        throw new IllegalStateException("not initialized with " + expected + " flags");
      }
      return System.nanoTime() - t0;
    }
  }

  private static String scanStats(RedisServerProcess redis) {
    try (var j = redis.jedis()) {
      for (String line : j.info("commandstats").split("\r?\n")) {
        if (line.startsWith("cmdstat_scan:")) {
          return line.substring("cmdstat_scan:".length()).replaceAll(",rejected.*", "");
        }
      }
      return "none";
    }
  }

  private static void populate(RedisServerProcess redis, int flags, int others) {
    FlagCodec codec = FlagCodec.standard();
    try (JedisPooled jedis = new JedisPooled(redis.host(), redis.port())) {
      jedis.flushAll();
      try (Pipeline p = jedis.pipelined()) {
        for (int i = 0; i < others; i++) {
          p.set("session:" + i, "some application data " + i);
        }
        for (int i = 0; i < flags; i++) {
          Flag f = Flag.builder("flag_" + i).on(i % 2 == 0).description("flag " + i).build();
          p.set("feature:" + f.key(), codec.encode(f));
          p.sadd("feature:#index", f.key());
        }
        p.sync();
      }
    }
  }
}
