package dev.flags.redis.bench;

import dev.flags.core.Flag;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisFlagAdmin;
import dev.flags.testsupport.RedisServerProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;

/**
 * Propagation of a flag change to separate processes, as users run them: 8 JVMs (by default), each
 * with its own client ({@link PropagationChild}), and one driver flipping a flag alternately by a
 * raw {@code SET feature:<key> true|false} (as redis-cli does) and through {@link RedisFlagAdmin}.
 * The server has keyspace notifications on ({@code K$g}), as docs/redis.md recommends.
 *
 * <p><b>One clock.</b> Every process takes its timestamps with {@link System#nanoTime()}, which on
 * Linux is {@code clock_gettime(CLOCK_MONOTONIC)}: one system-wide clock, so the driver's time
 * before a write and a child's time when its listener hears the change are comparable. (Java does
 * not promise this across processes; HotSpot on Linux gives it. On another OS the numbers are
 * meaningless.)
 *
 * <p>Usage: {@code PropagationBenchmark [flips per mode, default 200] [processes, default 8] [child
 * classpath...]}: with several child classpaths (an older build, say), the rounds alternate between
 * them and each gets its own rows; see flags-benchmarks/scripts/propagation-ab.sh. A classpath
 * written {@code floor:<classpath>} runs {@link FloorChild} instead, the platform's floor: plain
 * sockets, no SDK, no client library; its "admin API" flips are a bare {@code PUBLISH} of the
 * value.
 *
 * <p>System properties: {@code bench.warmup} (flips before the measured ones, default 40, 30 ms
 * apart), {@code bench.settleMillis} (the pause after the children are ready, default 5000: a
 * running fleet is measured, not one that is starting), {@code bench.stages=true} (children time
 * also when the store hands a change to the client and when the client serves it; see {@link
 * PropagationChild}), {@code bench.childOpts} (JVM options of the children, space-separated),
 * {@code bench.keyspace} (the server's {@code notify-keyspace-events}, default {@code K$g}; {@code
 * KEA} is the other common setting), {@code bench.dump=<file>} (every delay of every flip, with the
 * driver's write time and the wall clock, to that file, and the server's slow log over 0.5 ms to
 * {@code <file>.slowlog}: to tell a tail that all processes share, set upstream, from one
 * process's). Besides the delays it prints each process's CPU time per measured flip (the JIT and
 * GC included): with N processes woken at once on C cores, the last one waits for about N / C of
 * it.
 */
public final class PropagationBenchmark {

  private static final String FLAG = "propagated";

  /** A classpath starting with this runs {@link FloorChild}: the platform's floor, no SDK. */
  private static final String FLOOR = "floor:";

  private static final String CHANNEL = "feature:#changes";

  private PropagationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int flipsPerMode = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int processes = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    List<String> classpaths = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      classpaths.add(args[i]);
    }
    if (classpaths.isEmpty()) {
      classpaths.add(System.getProperty("java.class.path"));
    }
    int rounds = classpaths.size() > 1 ? 4 : 1; // A/B: A B A B …, each round with fresh processes
    try (RedisServerProcess redis =
            RedisServerProcess.start(
                "--notify-keyspace-events", System.getProperty("bench.keyspace", "K$g"));
        FlagAdmin admin =
            RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build()) {
      admin.create(Flag.simple(FLAG, false), Change.by("bench"));
      List<List<long[]>> raw = new ArrayList<>();
      List<List<long[]>> viaAdmin = new ArrayList<>();
      List<List<long[]>> rawStore = new ArrayList<>();
      List<List<long[]>> adminStore = new ArrayList<>();
      List<List<long[]>> rawServed = new ArrayList<>();
      List<List<long[]>> adminServed = new ArrayList<>();
      List<List<Long>> cpu = new ArrayList<>();
      for (int c = 0; c < classpaths.size(); c++) {
        rawServed.add(new ArrayList<>());
        adminServed.add(new ArrayList<>());
        cpu.add(new ArrayList<>());
        raw.add(new ArrayList<>());
        viaAdmin.add(new ArrayList<>());
        rawStore.add(new ArrayList<>());
        adminStore.add(new ArrayList<>());
      }
      for (int round = 0; round < rounds; round++) {
        for (int c = 0; c < classpaths.size(); c++) {
          Result r =
              run(redis, admin, classpaths.get(c), processes, flipsPerMode / rounds, round * 7 + c);
          raw.get(c).addAll(r.raw);
          viaAdmin.get(c).addAll(r.admin);
          rawStore.get(c).addAll(r.rawStore);
          adminStore.get(c).addAll(r.adminStore);
          rawServed.get(c).addAll(r.rawServed);
          adminServed.get(c).addAll(r.adminServed);
          cpu.get(c).add(r.cpuMicrosPerFlip);
        }
      }
      System.out.println(
          "| build | flip by | each instance p50 / p99 / max | last of "
              + processes
              + " instances p50 / p99 / max |");
      System.out.println("|---|---|---|---|");
      for (int c = 0; c < classpaths.size(); c++) {
        String name =
            classpaths.get(c).startsWith(FLOOR)
                ? "floor (FloorChild)"
                : classpaths.size() == 1 ? "this tree" : "classpath " + (c + 1);
        System.out.println(row(name, "raw SET", raw.get(c)));
        System.out.println(row(name, "admin API", viaAdmin.get(c)));
        if (!rawStore.get(c).isEmpty()) { // with -Dbench.stages=true
          System.out.println(
              row(name, "raw SET, until the store hands it to the client", rawStore.get(c)));
          System.out.println(
              row(name, "admin API, until the store hands it to the client", adminStore.get(c)));
          System.out.println(row(name, "raw SET, until the client serves it", rawServed.get(c)));
          System.out.println(
              row(name, "admin API, until the client serves it", adminServed.get(c)));
        }
      }
      for (int c = 0; c < classpaths.size(); c++) {
        System.out.println(
            (classpaths.size() == 1 ? "this tree" : "classpath " + (c + 1))
                + ": CPU per process per flip (µs, each round): "
                + cpu.get(c));
      }
    }
  }

  private record Result(
      List<long[]> raw,
      List<long[]> admin,
      List<long[]> rawStore,
      List<long[]> adminStore,
      List<long[]> rawServed,
      List<long[]> adminServed,
      long cpuMicrosPerFlip) {}

  /** The delay (µs) of the first of {@code times} after flip {@code f}, before the next; or -1. */
  private static long firstAfter(List<Long> times, long[] sentAt, int f) {
    long until = f + 1 < sentAt.length ? sentAt[f + 1] : Long.MAX_VALUE;
    for (long t : times) {
      if (t >= sentAt[f] && t < until) {
        return (t - sentAt[f]) / 1000;
      }
    }
    return -1;
  }

  /**
   * Starts the processes, flips {@code flipsPerMode} times by each means (interleaved), and returns
   * for each flip the delay (µs) of every process.
   */
  private static Result run(
      RedisServerProcess redis,
      FlagAdmin admin,
      String classpath,
      int processes,
      int flipsPerMode,
      long seed)
      throws Exception {
    int warmup = Integer.getInteger("bench.warmup", 40);
    String childOpts = System.getProperty("bench.childOpts", ""); // even: raw and admin alternate
    int flips = warmup + 2 * flipsPerMode;
    boolean floor = classpath.startsWith(FLOOR);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> children = new ArrayList<>();
    List<BufferedReader> outs = new ArrayList<>();
    try {
      for (int i = 0; i < processes; i++) {
        List<String> command = new ArrayList<>(List.of(java, "-Xms128m", "-Xmx128m"));
        if (!childOpts.isBlank()) {
          command.addAll(Arrays.asList(childOpts.trim().split("\\s+")));
        }
        if (floor) {
          command.addAll(
              List.of(
                  "-cp",
                  classpath.substring(FLOOR.length()),
                  FloorChild.class.getName(),
                  redis.host(),
                  Integer.toString(redis.port()),
                  "feature:" + FLAG,
                  CHANNEL,
                  Integer.toString(flips + 10)));
        } else {
          command.addAll(
              List.of(
                  "-cp",
                  classpath,
                  PropagationChild.class.getName(),
                  redis.uri(),
                  FLAG,
                  Integer.toString(flips + 10),
                  Boolean.getBoolean("bench.stages") ? "stages" : "plain"));
        }
        Process p =
            new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        children.add(p);
        outs.add(
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
      }
      for (BufferedReader out : outs) {
        String line = out.readLine();
        while (line != null && line.startsWith("Profiling")) { // an agent's banner (a profiler)
          line = out.readLine();
        }
        if (!"ready".equals(line)) {
          throw new IllegalStateException("a child did not start: " + line);
        }
      }
      // Let the children settle (start-up compilation, the store's warm-up): a running fleet is
      // measured, not one that is starting.
      Thread.sleep(Long.getLong("bench.settleMillis", 5000));
      boolean on = admin.get(FLAG).orElseThrow().flag().on();
      long[] sentAt = new long[flips];
      long[] writtenAt = new long[flips]; // when the write returned, for bench.dump
      long[] wallAt = new long[flips]; // wall clock of each flip, to match the children's logs
      boolean[] sentValue = new boolean[flips];
      Random random = new Random(seed);
      try (Jedis jedis = redis.jedis()) {
        if (System.getProperty("bench.dump") != null) { // the server's own slow commands
          jedis.configSet("slowlog-log-slower-than", "500");
          jedis.configSet("slowlog-max-len", "10000");
          jedis.slowlogReset();
        }
        for (int f = 0; f < flips; f++) {
          if (f == warmup) {
            for (Process child : children) { // CPU is counted from the first measured flip
              child.getOutputStream().write("start\n".getBytes(StandardCharsets.UTF_8));
              child.getOutputStream().flush();
            }
            // The children read their CPU counters (every thread's, from /proc) on "start": that
            // work must not fall on the first measured flip.
            Thread.sleep(200);
          }
          on = !on;
          sentValue[f] = on;
          if (f % 2 == 0) {
            sentAt[f] = System.nanoTime();
            jedis.set("feature:" + FLAG, Boolean.toString(on)); // the raw kill switch
          } else if (floor) {
            sentAt[f] = System.nanoTime();
            jedis.publish(CHANNEL, Boolean.toString(on)); // the least an SDK write can send
          } else {
            sentAt[f] = System.nanoTime();
            admin.setOn(FLAG, on, Change.by("bench"));
          }
          writtenAt[f] = System.nanoTime();
          wallAt[f] = System.currentTimeMillis();
          // Far beyond any delay measured, so each change is seen before the next is made; jitter
          // so the flips do not fall in step with any periodic work.
          Thread.sleep(f < warmup ? 30 : 100 + random.nextInt(20));
        }
        if (System.getProperty("bench.dump") != null) {
          StringBuilder slow = new StringBuilder();
          for (var e : jedis.slowlogGet(10000)) {
            slow.append(e.getTimeStamp())
                .append(' ')
                .append(e.getExecutionTime())
                .append(' ')
                .append(
                    String.join(" ", e.getArgs()).replace('\n', ' '),
                    0,
                    Math.min(120, String.join(" ", e.getArgs()).length()))
                .append('\n');
          }
          Files.writeString(Path.of(System.getProperty("bench.dump") + ".slowlog"), slow);
        }
      }
      long[][] delays = new long[flips][processes];
      long[][] storeDelays = new long[flips][processes];
      long[][] servedDelays = new long[flips][processes];
      long cpuNanos = 0;
      Map<String, Long> threadTicks = new TreeMap<>();
      int[] missed = {0};
      for (int i = 0; i < processes; i++) {
        Writer in =
            new OutputStreamWriter(children.get(i).getOutputStream(), StandardCharsets.UTF_8);
        in.write("dump\n");
        in.flush();
        List<String> seen = new ArrayList<>();
        List<Long> delivered = new ArrayList<>();
        List<Long> served = new ArrayList<>();
        String line;
        while ((line = outs.get(i).readLine()) != null && !line.equals("end")) {
          if (line.startsWith("delivered ")) {
            delivered.add(Long.parseLong(line.substring("delivered ".length())));
          } else if (line.startsWith("served ")) {
            served.add(Long.parseLong(line.substring("served ".length())));
          } else if (line.startsWith("ticks ")) {
            String[] parts = line.split(" ", 3);
            threadTicks.merge(parts[2], Long.parseLong(parts[1]), Long::sum);
          } else if (line.startsWith("cpu ")) {
            cpuNanos += Long.parseLong(line.substring("cpu ".length()));
          } else {
            seen.add(line);
          }
        }
        // The store's part: the first delivery to the client after each flip, before the next; the
        // client's install: the first time it served the new value.
        for (int f = 0; f < flips; f++) {
          storeDelays[f][i] = firstAfter(delivered, sentAt, f);
          servedDelays[f][i] = firstAfter(served, sentAt, f);
        }
        // Each flip is matched with the first change heard after it, before the next flip, with
        // the flipped value; a flip heard late or never is reported, not matched with another.
        long[] at = new long[seen.size()];
        boolean[] value = new boolean[seen.size()];
        for (int k = 0; k < seen.size(); k++) {
          String[] parts = seen.get(k).split(" ");
          at[k] = Long.parseLong(parts[1]);
          value[k] = Boolean.parseBoolean(parts[2]);
        }
        int k = 0;
        for (int f = 0; f < flips; f++) {
          long until = f + 1 < flips ? sentAt[f + 1] : Long.MAX_VALUE;
          while (k < at.length && at[k] < sentAt[f]) {
            k++;
          }
          if (k < at.length && at[k] < until && value[k] == sentValue[f]) {
            delays[f][i] = (at[k] - sentAt[f]) / 1000;
            k++;
          } else {
            delays[f][i] = -1;
            if (f >= warmup) {
              missed[0]++;
            }
            if (f >= warmup && System.getProperty("bench.debug") != null) {
              System.err.printf(
                  "child %d flip %d (%s at %d): next heard %s%n",
                  i,
                  f,
                  sentValue[f],
                  sentAt[f],
                  k < at.length ? value[k] + " at +" + (at[k] - sentAt[f]) / 1000 + " us" : "none");
            }
          }
        }
      }
      List<long[]> raw = new ArrayList<>();
      List<long[]> viaAdmin = new ArrayList<>();
      List<long[]> rawStore = new ArrayList<>();
      List<long[]> adminStore = new ArrayList<>();
      List<long[]> rawServed = new ArrayList<>();
      List<long[]> adminServed = new ArrayList<>();
      for (int f = warmup; f < flips; f++) {
        if (Arrays.stream(storeDelays[f]).allMatch(d -> d >= 0)) {
          (f % 2 == 0 ? rawStore : adminStore).add(storeDelays[f]);
        }
        if (Arrays.stream(servedDelays[f]).allMatch(d -> d >= 0)) {
          (f % 2 == 0 ? rawServed : adminServed).add(servedDelays[f]);
        }
        if (Arrays.stream(delays[f]).allMatch(d -> d >= 0)) {
          (f % 2 == 0 ? raw : viaAdmin).add(delays[f]);
        }
      }
      String dump = System.getProperty("bench.dump"); // every delay, for a closer look at the tail
      if (dump != null) {
        StringBuilder text = new StringBuilder();
        for (int f = warmup; f < flips; f++) {
          text.append(f % 2 == 0 ? "raw" : "admin");
          text.append(' ').append((writtenAt[f] - sentAt[f]) / 1000);
          text.append(' ').append(wallAt[f]);
          for (long d : delays[f]) {
            text.append(' ').append(d);
          }
          text.append('\n');
        }
        Files.writeString(Path.of(dump), text);
      }
      if (missed[0] > 0) {
        System.err.println(
            missed[0] + " (flip, process) pairs not heard before the next flip; left out");
      }
      // Everything each process burned while the flips ran (start-up excluded), per flip: with N
      // processes woken at once on C cores, the last one waits for about N / C of this.
      long cpuMicrosPerFlip = cpuNanos / processes / (flips - warmup) / 1000;
      // With -Dbench.threads=true, where it went: µs per process per flip, by thread.
      if (Boolean.getBoolean("bench.threads")) {
        StringBuilder by = new StringBuilder("  CPU by thread (µs per process per flip):");
        threadTicks.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .forEach(
                e ->
                    by.append(' ')
                        .append(e.getKey())
                        .append('=')
                        .append(e.getValue() * 10_000 / processes / (flips - warmup)));
        System.out.println(by); // a clock tick is 10 ms on Linux (USER_HZ 100)
      }
      return new Result(
          raw, viaAdmin, rawStore, adminStore, rawServed, adminServed, cpuMicrosPerFlip);
    } finally {
      for (Process p : children) {
        p.destroy();
        p.waitFor();
      }
    }
  }

  private static String row(String build, String how, List<long[]> flips) {
    long[] each = flips.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    long[] last =
        flips.stream().mapToLong(d -> Arrays.stream(d).max().orElseThrow()).sorted().toArray();
    return "| "
        + build
        + " | "
        + how
        + " ("
        + flips.size()
        + " flips) | "
        + stats(each)
        + " | "
        + stats(last)
        + " |";
  }

  private static String stats(long[] sortedMicros) {
    return String.format(
        Locale.ROOT,
        "%.2f / %.2f / %.2f ms",
        sortedMicros[sortedMicros.length / 2] / 1000.0,
        sortedMicros[
                (int) Math.min(sortedMicros.length - 1, Math.floor(sortedMicros.length * 0.99))]
            / 1000.0,
        sortedMicros[sortedMicros.length - 1] / 1000.0);
  }
}
