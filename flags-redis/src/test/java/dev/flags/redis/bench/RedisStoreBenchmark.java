package dev.flags.redis.bench;

import com.sun.management.ThreadMXBean;
import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.FlagListener;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.Rollout;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.json.FlagCodec;
import dev.flags.micrometer.FlagMetrics;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisFlagAdmin;
import dev.flags.redis.RedisFlagStore;
import dev.flags.testsupport.RedisServerProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;

/**
 * Benchmarks of the Redis store against a real redis-server on loopback (a main, not a test; see
 * docs/benchmarks.md for the command). Prints a Markdown table.
 *
 * <ul>
 *   <li>cached evaluation through the Redis store vs the in-memory store (ns/op, bytes/op);
 *   <li>a naive Jedis GET of {@code feature:<key>} per evaluation (µs/op) and the ratio;
 *   <li>propagation of an admin write to 8 instances (p50, p99, max);
 *   <li>start-up with 10,000 flags in Redis, on a warm JVM and in fresh JVMs, and heap per cached
 *       flag.
 * </ul>
 */
public final class RedisStoreBenchmark {

  private static final EvaluationContext CTX = EvaluationContext.of("user-42");
  private static volatile boolean sinkhole;

  private RedisStoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals(COLD_CHILD)) {
      RedisConnectionSettings settings = RedisConnectionSettings.standalone(args[1]);
      if (args[2].equals(
          APP_USES_JEDIS)) { // as an application that already talks to Redis with Jedis
        try (JedisPooled jedis = new JedisPooled(java.net.URI.create(args[1]))) {
          jedis.ping();
        }
      }
      System.out.println(COLD_RESULT + timeStartup(settings, 10_000));
      return;
    }
    if (args.length == 2
        && args[0].equals(POPULATE)) { // for flags-benchmarks/scripts/cold-start-ab.sh
      java.net.URI uri = java.net.URI.create(args[1]);
      populate(uri.getHost(), uri.getPort(), 10_000);
      return;
    }
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      RedisConnectionSettings settings = RedisConnectionSettings.standalone(redis.uri());
      List<String> rows = new ArrayList<>();
      evaluation(settings, rows);
      propagation(settings, rows);
      startup(redis, settings, rows);
      coldStartup(redis, rows);
      System.out.println("| measure | result |");
      System.out.println("|---|---|");
      rows.forEach(System.out::println);
    }
  }

  private static void evaluation(RedisConnectionSettings settings, List<String> rows)
      throws Exception {
    Flag flag =
        Flag.builder("new_checkout_flow")
            .on(true)
            .fallthroughRollout(Rollout.percentage(50))
            .build();
    try (FlagAdmin admin = RedisFlagAdmin.builder(settings).build()) {
      admin.create(flag, Change.by("bench"));
    }
    double[] redisNs;
    double[] memoryNs;
    double[] meteredNs;
    long redisBytes;
    long memoryBytes;
    long meteredBytes;
    try (Flags viaRedis = Flags.builder().store(RedisFlagStore.builder(settings).build()).build();
        Flags inMemory = Flags.builder().store(InMemoryFlagStore.of(flag)).build();
        Flags metered =
            Flags.builder()
                .store(RedisFlagStore.builder(settings).build())
                .evaluationHook(FlagMetrics.create(new SimpleMeterRegistry()))
                .build()) {
      await(
          () ->
              metered.status() == StoreStatus.OK && metered.flag("new_checkout_flow").isPresent());
      await(
          () ->
              viaRedis.status() == StoreStatus.OK
                  && viaRedis.flag("new_checkout_flow").isPresent());
      for (int i = 0; i < 5; i++) { // warm up both
        loop(viaRedis, 2_000_000);
        loop(inMemory, 2_000_000);
        loop(metered, 2_000_000);
      }
      redisNs = new double[9];
      memoryNs = new double[9];
      meteredNs = new double[9];
      for (int round = 0; round < 9; round++) { // interleaved rounds, so drift hits all alike
        redisNs[round] = loop(viaRedis, 5_000_000);
        memoryNs[round] = loop(inMemory, 5_000_000);
        meteredNs[round] = loop(metered, 5_000_000);
      }
      redisBytes = bytesPerOp(viaRedis);
      memoryBytes = bytesPerOp(inMemory);
      meteredBytes = bytesPerOp(metered);
    }
    // The best of 9 interleaved rounds: on a shared machine, other processes only ever add time.
    double redisMedian = min(redisNs);
    double memoryMedian = min(memoryNs);
    rows.add(
        row(
            "cached evaluation, Redis store (rollout flag; best of 9 rounds of 5M)",
            fmt("%.1f ns/op, %d B/op", redisMedian, redisBytes)));
    rows.add(
        row(
            "cached evaluation, in-memory store (same flag)",
            fmt("%.1f ns/op, %d B/op", memoryMedian, memoryBytes)));
    rows.add(row("ratio Redis store / in-memory store", fmt("%.2f", redisMedian / memoryMedian)));
    double meteredMedian = min(meteredNs);
    rows.add(
        row(
            "cached evaluation, Redis store, with FlagMetrics (SimpleMeterRegistry)",
            fmt(
                "%.1f ns/op, %d B/op: %+.1f ns",
                meteredMedian, meteredBytes, meteredMedian - redisMedian)));

    try (JedisPooled jedis =
        new JedisPooled(
            settings.nodes().get(0).split(":")[0],
            Integer.parseInt(settings.nodes().get(0).split(":")[1]))) {
      FlagCodec codec = FlagCodec.standard();
      for (int i = 0; i < 5_000; i++) {
        sinkhole ^=
            codec.decodeFlag("new_checkout_flow", jedis.get("feature:new_checkout_flow")).on();
      }
      int n = 20_000;
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        // The naive approach: read and parse the flag on every evaluation.
        sinkhole ^=
            codec.decodeFlag("new_checkout_flow", jedis.get("feature:new_checkout_flow")).on();
      }
      double naiveNs = (System.nanoTime() - t0) / (double) n;
      rows.add(row("naive Jedis GET + parse per evaluation", fmt("%.1f µs/op", naiveNs / 1000)));
      rows.add(row("ratio naive GET / cached evaluation", fmt("%.0f×", naiveNs / redisMedian)));
    }
  }

  private static double loop(Flags flags, int n) {
    long t0 = System.nanoTime();
    boolean acc = false;
    for (int i = 0; i < n; i++) {
      acc ^= flags.isEnabled("new_checkout_flow", CTX);
    }
    sinkhole ^= acc;
    return (System.nanoTime() - t0) / (double) n;
  }

  private static long bytesPerOp(Flags flags) {
    ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    int n = 1_000_000;
    long before = mx.getThreadAllocatedBytes(tid);
    boolean acc = false;
    for (int i = 0; i < n; i++) {
      acc ^= flags.isEnabled("new_checkout_flow", CTX);
    }
    long after = mx.getThreadAllocatedBytes(tid);
    sinkhole ^= acc;
    return Math.round((after - before) / (double) n);
  }

  private static void propagation(RedisConnectionSettings settings, List<String> rows)
      throws Exception {
    int instances = 8;
    int writes = 300;
    List<Flags> clients = new ArrayList<>();
    try (FlagAdmin admin = RedisFlagAdmin.builder(settings).build()) {
      admin.create(Flag.simple("propagated", false), Change.by("bench"));
      long[] seenAt = new long[instances];
      CountDownLatch[] latch = {new CountDownLatch(instances)};
      for (int i = 0; i < instances; i++) {
        Flags f = Flags.builder().store(RedisFlagStore.builder(settings).build()).build();
        clients.add(f);
        int idx = i;
        f.addListener(
            new FlagListener() {
              @Override
              public void onFlagChanged(String flagKey) {
                if (flagKey.equals("propagated")) {
                  seenAt[idx] = System.nanoTime();
                  latch[0].countDown();
                }
              }
            });
      }
      for (Flags f : clients) {
        await(() -> f.status() == StoreStatus.OK && f.flag("propagated").isPresent());
      }
      long[] micros = new long[writes];
      boolean on = false;
      for (int w = -50; w < writes; w++) { // the first 50 warm up
        on = !on;
        latch[0] = new CountDownLatch(instances);
        boolean expected = on;
        long t0 = System.nanoTime();
        admin.setOn("propagated", on, Change.by("bench"));
        if (!latch[0].await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("write " + w + " did not reach every instance");
        }
        long last = Arrays.stream(seenAt).max().orElseThrow();
        for (Flags f : clients) {
          if (f.isEnabled("propagated", CTX) != expected) {
            throw new IllegalStateException(
                "an instance serves the old value after its listener fired");
          }
        }
        if (w >= 0) {
          micros[w] = (last - t0) / 1000;
        }
        Thread.sleep(2);
      }
      Arrays.sort(micros);
      rows.add(
          row(
              "propagation of a write to all of 8 instances (" + writes + " writes)",
              fmt(
                  "p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                  micros[writes / 2] / 1000.0,
                  micros[(int) (writes * 0.99)] / 1000.0,
                  micros[writes - 1] / 1000.0)));
    } finally {
      for (Flags f : clients) {
        f.close();
      }
    }
  }

  private static final String COLD_CHILD = "--cold-child";
  private static final String POPULATE = "--populate";
  private static final String COLD_RESULT = "cold-startup-ms=";
  private static final int COLD_JVMS = 9;
  private static final String APP_USES_JEDIS = "app-uses-jedis";
  private static final String JEDIS_UNUSED = "jedis-unused";

  /**
   * Start-up as an application pays it: the first client of a fresh JVM (nothing compiled yet),
   * against the 10,000 flags {@link #startup} left in Redis. Each child JVM times build →
   * initialized once and prints it.
   */
  private static void coldStartup(RedisServerProcess redis, List<String> rows) throws Exception {
    // Let this JVM's compiler threads finish the backlog of the warm measures first: they would
    // compete with the children for the same cores.
    Thread.sleep(3_000);
    String[] modes = {JEDIS_UNUSED, APP_USES_JEDIS};
    long[][] ms = new long[modes.length][COLD_JVMS];
    for (int i = 0; i < COLD_JVMS; i++) {
      for (int m = 0;
          m < modes.length;
          m++) { // interleaved, so drift of the machine hits both alike
        ms[m][i] = coldChild(redis, modes[m]);
      }
    }
    String[] labels = {
      "first client of a fresh JVM",
      "first client of a fresh JVM whose application already used Jedis"
    };
    for (int m = 0; m < modes.length; m++) {
      Arrays.sort(ms[m]);
      rows.add(
          row(
              "start-up with 10,000 flags in Redis, " + labels[m] + " (" + COLD_JVMS + " JVMs)",
              fmt(
                  "median %d ms (min %d, max %d)",
                  ms[m][COLD_JVMS / 2], ms[m][0], ms[m][COLD_JVMS - 1])));
    }
  }

  /**
   * Runs one fresh JVM that times build → initialized of its first client; returns the
   * milliseconds.
   */
  private static long coldChild(RedisServerProcess redis, String mode) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xms512m", "-Xmx512m"));
    String extra =
        System.getProperty("bench.cold.jvmArgs", "").strip(); // e.g. -XX:TieredStopAtLevel=1
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            RedisStoreBenchmark.class.getName(),
            COLD_CHILD,
            redis.uri(),
            mode));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (child.waitFor() != 0 || !out.contains(COLD_RESULT)) {
      throw new IllegalStateException("cold start-up child failed:\n" + out);
    }
    String tail = out.substring(out.lastIndexOf(COLD_RESULT) + COLD_RESULT.length()).strip();
    return Long.parseLong(tail.split("\\s+")[0]);
  }

  /** Build → initialized, in milliseconds, for a client over the Redis at {@code settings}. */
  private static long timeStartup(RedisConnectionSettings settings, int expectedFlags) {
    long t0 = System.nanoTime();
    try (Flags flags = Flags.builder().store(RedisFlagStore.builder(settings).build()).build()) {
      if (!flags.awaitInitialization(Duration.ofSeconds(30))) {
        throw new IllegalStateException("not initialized");
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      if (flags.allFlags().size() != expectedFlags) {
        throw new IllegalStateException("loaded " + flags.allFlags().size());
      }
      return ms;
    }
  }

  /** Replaces everything in the Redis at host:port with {@code n} benchmark flags. */
  static void populate(String host, int port, int n) {
    FlagCodec codec = FlagCodec.standard();
    try (JedisPooled jedis = new JedisPooled(host, port)) {
      jedis.flushAll();
      try (Pipeline p = jedis.pipelined()) {
        for (int i = 0; i < n; i++) {
          Flag f =
              Flag.builder("flag_" + i)
                  .on(i % 3 != 0)
                  .fallthroughRollout(Rollout.percentage(i % 100))
                  .target(true, "user-" + i, "user-" + (i + 1))
                  .description("benchmark flag " + i)
                  .build();
          p.set("feature:" + f.key(), codec.encode(f));
          p.sadd("feature:#index", f.key());
        }
        p.incr("feature:#counter");
        p.sync();
      }
    }
  }

  private static void startup(
      RedisServerProcess redis, RedisConnectionSettings settings, List<String> rows)
      throws Exception {
    int n = 10_000;
    populate(redis.host(), redis.port(), n);
    // Warm up the code paths once, then measure a new client on a warm JVM (as a redeploy would);
    // coldStartup measures the first client of fresh JVMs.
    try (Flags warm = Flags.builder().store(RedisFlagStore.builder(settings).build()).build()) {
      warm.awaitInitialization(Duration.ofSeconds(30));
    }
    long[] ms = new long[5];
    for (int r = 0; r < ms.length; r++) {
      ms[r] = timeStartup(settings, n);
    }
    Arrays.sort(ms);
    rows.add(
        row(
            "start-up with 10,000 flags in Redis, new client on a warm JVM (build → initialized)",
            fmt("median %d ms (min %d, max %d)", ms[ms.length / 2], ms[0], ms[ms.length - 1])));

    long before = usedHeap();
    Flags flags = Flags.builder().store(RedisFlagStore.builder(settings).build()).build();
    flags.awaitInitialization(Duration.ofSeconds(30));
    long after = usedHeap();
    rows.add(
        row(
            "heap per cached flag (store replica + client's compiled flag; 2 targets, rollout, description)",
            fmt("%.0f bytes", (after - before) / (double) n)));
    flags.close();
  }

  private static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static void await(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out");
      }
      Thread.sleep(5);
    }
  }

  private static double min(double[] values) {
    return Arrays.stream(values).min().orElseThrow();
  }

  private static double median(double[] values) {
    double[] copy = values.clone();
    Arrays.sort(copy);
    return copy[copy.length / 2];
  }

  private static String row(String what, String result) {
    return "| " + what + " | " + result + " |";
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
