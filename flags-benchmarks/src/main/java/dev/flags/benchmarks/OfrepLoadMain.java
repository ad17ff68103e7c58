package dev.flags.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.integration.FlagsHttpRequest;
import dev.flags.integration.FlagsHttpResponse;
import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.FlagsSettings;
import dev.flags.integration.OfrepApi;
import dev.flags.integration.SettingsSource;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OFREP under load: serves {@link OfrepApi} over 100 realistic flags ({@link RealisticFlags}) with
 * the JDK's HTTP server on a loopback port, and drives it with wrk (Debian's package; a separate
 * process, so this JVM's allocations are the server's): single-flag and bulk evaluations, each at 1
 * and at 8 connections, for a fixed time per run. Prints requests per second, wrk's latency
 * percentiles, the server's bytes allocated per request and its heap after a full GC.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.flags.benchmarks.OfrepLoadMain [seconds]} (default
 * 20; a warm-up of the same length runs first). Not thread-safe; a main.
 */
public final class OfrepLoadMain {

  private static final String TOKEN = "load-test-token-0123456789";

  /** Bytes allocated inside {@code OfrepApi.handle}, request and response objects included. */
  private static final AtomicLong HANDLER_BYTES = new AtomicLong();

  private OfrepLoadMain() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    System.setProperty("sun.net.httpserver.nodelay", "true");
    FlagSet set = RealisticFlags.flagSet(100, 42);
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("flags.ofrep.enabled", "true");
    settings.put("flags.ofrep.token", TOKEN);
    settings.put("flags.metrics.enabled", "false");
    try (FlagsRuntime runtime =
        FlagsRuntime.builder(FlagsSettings.from(SettingsSource.of(settings)))
            .store(InMemoryFlagStore.of(set))
            .build()) {
      runtime.flags().awaitInitialization(java.time.Duration.ofSeconds(5));
      OfrepApi api = OfrepApi.builder(runtime).securityAvailable(false).build();
      AtomicLong served = new AtomicLong();
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
      // A fixed pool: threads live through the run, so their allocation counters add up.
      ExecutorService pool = Executors.newFixedThreadPool(8);
      server.setExecutor(pool);
      server.createContext("/ofrep", exchange -> serve(exchange, api, served));
      server.start();
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      // A rule-bearing flag of the set: the single-flag route evaluates a rule and a rollout.
      String key =
          runtime.flags().allFlags().stream()
              .filter(f -> !f.rules().isEmpty())
              .map(Flag::key)
              .findFirst()
              .orElseThrow();
      Path scripts = Files.createTempDirectory("ofrep-load");
      Path single = scripts.resolve("single.lua");
      Path bulk = scripts.resolve("bulk.lua");
      Files.writeString(single, lua("/ofrep/v1/evaluate/flags/" + key));
      Files.writeString(bulk, lua("/ofrep/v1/evaluate/flags"));
      System.out.printf(
          "OFREP load: %d flags (%s), %d s per run, %d cores, Java %s%n",
          set.flags().size(),
          key,
          seconds,
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"));
      run("warm-up single", base, single, 8, seconds, served);
      run("warm-up bulk", base, bulk, 8, seconds, served);
      System.out.printf("heap after GC before the runs: %.1f MiB%n", heapAfterGc());
      List<String> rows = new ArrayList<>();
      rows.add(run("single flag", base, single, 1, seconds, served));
      rows.add(run("single flag", base, single, 8, seconds, served));
      rows.add(run("bulk (100 flags)", base, bulk, 1, seconds, served));
      rows.add(run("bulk (100 flags)", base, bulk, 8, seconds, served));
      System.out.println();
      System.out.println(
          "| route | connections | requests/s | p50 | p99 | allocated per request: server |"
              + " of it in OfrepApi.handle |");
      System.out.println("|---|---|---|---|---|---|---|");
      rows.forEach(System.out::println);
      System.out.printf("heap after GC after the runs: %.1f MiB; %s%n", heapAfterGc(), rss());
      System.out.println(
          "load average (other work on this machine): "
              + Files.readString(Path.of("/proc/loadavg")).strip());
      server.stop(0);
      pool.shutdownNow();
      pool.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** wrk's Lua: POSTs with a random user of 100,000 and two attributes, and the token. */
  private static String lua(String path) {
    return """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        wrk.headers["Authorization"] = "Bearer %s"
        math.randomseed(42)
        local plans = {"free", "pro", "enterprise"}
        request = function()
          local body = string.format(
            '{"context":{"targetingKey":"user-%%d","plan":"%%s","country":"DE","seats":%%d}}',
            math.random(0, 99999), plans[math.random(1, 3)], math.random(1, 500))
          return wrk.format(nil, "%s", nil, body)
        end
        done = function(summary, latency, requests)
          io.write(string.format("RESULT %%d %%.1f %%d %%d %%d\\n", summary.requests,
            summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
            summary.errors.status + summary.errors.connect + summary.errors.read
              + summary.errors.write + summary.errors.timeout))
        end
        """
        .formatted(TOKEN, path);
  }

  private static String run(
      String name, String base, Path script, int connections, int seconds, AtomicLong served)
      throws Exception {
    long allocatedBefore = allocated();
    long handlerBefore = HANDLER_BYTES.get();
    long servedBefore = served.get();
    Process wrk =
        new ProcessBuilder(
                "wrk",
                "-t",
                Integer.toString(Math.min(connections, 2)),
                "-c",
                Integer.toString(connections),
                "-d",
                seconds + "s",
                "-s",
                script.toString(),
                base)
            .redirectErrorStream(true)
            .start();
    String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (wrk.waitFor() != 0) {
      throw new IllegalStateException("wrk failed: " + out);
    }
    long requests = served.get() - servedBefore;
    long allocated = allocated() - allocatedBefore;
    long handler = HANDLER_BYTES.get() - handlerBefore;
    String result =
        out.lines()
            .filter(l -> l.startsWith("RESULT "))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no result from wrk: " + out));
    String[] r = result.split(" ");
    long count = Long.parseLong(r[1]);
    double durationS = Double.parseDouble(r[2]);
    long errors = Long.parseLong(r[5]);
    if (errors > 0) {
      throw new IllegalStateException(name + ": " + errors + " errors\n" + out);
    }
    String row =
        String.format(
            "| %s | %d | %,.0f | %.2f ms | %.2f ms | %,d B | %,d B |",
            name,
            connections,
            count / durationS,
            Long.parseLong(r[3]) / 1000.0,
            Long.parseLong(r[4]) / 1000.0,
            requests == 0 ? 0 : allocated / requests,
            requests == 0 ? 0 : handler / requests);
    System.out.println(row);
    return row;
  }

  private static void serve(HttpExchange exchange, OfrepApi api, AtomicLong served)
      throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath().substring("/ofrep".length());
      byte[] body = exchange.getRequestBody().readNBytes(OfrepApi.MAX_BODY_BYTES + 1);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long before = threads.getCurrentThreadAllocatedBytes();
      FlagsHttpResponse response =
          api.handle(
              new FlagsHttpRequest(
                  exchange.getRequestMethod(),
                  path,
                  Map.of(),
                  headers,
                  new String(body, StandardCharsets.UTF_8),
                  Optional.empty(),
                  exchange.getRemoteAddress().getAddress().getHostAddress()));
      HANDLER_BYTES.addAndGet(threads.getCurrentThreadAllocatedBytes() - before);
      if (response.status() != 200) {
        throw new IllegalStateException(response.status() + " " + response.body());
      }
      response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
      served.incrementAndGet();
    }
  }

  /** Bytes allocated by every live thread of this JVM (the server's: wrk is another process). */
  private static long allocated() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      sum += Math.max(b, 0);
    }
    return sum;
  }

  private static double heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
  }

  private static String rss() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM"))
        .map(l -> l.replaceAll("\\s+", " "))
        .reduce((a, b) -> a + ", " + b)
        .orElse("RSS unknown");
  }
}
