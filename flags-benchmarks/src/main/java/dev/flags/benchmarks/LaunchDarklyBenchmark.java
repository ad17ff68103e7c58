package dev.flags.benchmarks;

import com.launchdarkly.sdk.LDContext;
import com.launchdarkly.sdk.server.Components;
import com.launchdarkly.sdk.server.LDClient;
import com.launchdarkly.sdk.server.LDConfig;
import com.launchdarkly.sdk.server.integrations.FileData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The three common scenarios on LaunchDarkly's Java server SDK: flags from a file data source (read
 * once, no file watcher), events and diagnostics off, every service endpoint pointed at a closed
 * local port so nothing can reach the network. One instance per benchmark thread; not thread-safe.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LaunchDarklyBenchmark {

  /** The flags in LaunchDarkly's own JSON format, as its file data source reads it. */
  static final String FLAGS_JSON =
      """
      {"flags": {
        "bool_on": {"key": "bool_on", "version": 1, "on": true, "salt": "bool_on",
          "variations": [false, true], "offVariation": 0, "fallthrough": {"variation": 1}},
        "rollout_10": {"key": "rollout_10", "version": 1, "on": true, "salt": "rollout_10",
          "variations": [false, true], "offVariation": 0,
          "fallthrough": {"rollout": {"variations": [
            {"variation": 1, "weight": 10000}, {"variation": 0, "weight": 90000}]}}},
        "rule_then_rollout": {"key": "rule_then_rollout", "version": 1, "on": true,
          "salt": "rule_then_rollout", "variations": [false, true], "offVariation": 0,
          "rules": [{"id": "de-fr-pro", "variation": 1, "clauses": [
            {"attribute": "country", "op": "in", "values": ["DE", "FR"], "negate": false},
            {"attribute": "plan", "op": "in", "values": ["pro"], "negate": false}]}],
          "fallthrough": {"rollout": {"variations": [
            {"variation": 1, "weight": 10000}, {"variation": 0, "weight": 90000}]}}}
      }}
      """;

  private LDClient client;
  private LDContext[] contexts;
  private int next;
  private Path file;

  @Setup
  public void setUp() {
    try {
      file = Files.createTempFile("launchdarkly-flags", ".json");
      Files.writeString(file, FLAGS_JSON, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LDConfig config =
        new LDConfig.Builder()
            .dataSource(FileData.dataSource().filePaths(file).autoUpdate(false))
            .events(Components.noEvents())
            .diagnosticOptOut(true)
            .serviceEndpoints(Components.serviceEndpoints().relayProxy(Peers.CLOSED_PORT_URL))
            .logging(Components.noLogging())
            .startWait(Duration.ofSeconds(5))
            .build();
    client = new LDClient("sdk-key-unused-offline", config);
    if (!client.isInitialized()) {
      throw new IllegalStateException("LaunchDarkly did not load " + file);
    }
    contexts = new LDContext[Scenarios.USERS];
    for (int i = 0; i < contexts.length; i++) {
      contexts[i] =
          LDContext.builder(Scenarios.key(i))
              .set("country", Scenarios.country(i))
              .set("plan", Scenarios.plan(i))
              .build();
    }
  }

  @TearDown
  public void tearDown() throws IOException {
    client.close();
    Files.deleteIfExists(file);
  }

  @Benchmark
  public boolean booleanOnForEveryone() {
    return client.boolVariation(
        Scenarios.BOOLEAN_ON, contexts[next++ & Scenarios.USER_MASK], false);
  }

  @Benchmark
  public boolean rollout10Percent() {
    return client.boolVariation(
        Scenarios.ROLLOUT_10, contexts[next++ & Scenarios.USER_MASK], false);
  }

  @Benchmark
  public boolean ruleThenRollout() {
    return client.boolVariation(
        Scenarios.RULE_THEN_ROLLOUT, contexts[next++ & Scenarios.USER_MASK], false);
  }

  /** For the equivalence test: evaluates a flag for one user. */
  boolean evaluate(String flagKey, int user) {
    return client.boolVariation(flagKey, contexts[user], false);
  }
}
