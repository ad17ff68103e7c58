package dev.flags.benchmarks;

import io.getunleash.DefaultUnleash;
import io.getunleash.Unleash;
import io.getunleash.UnleashContext;
import io.getunleash.UnleashException;
import io.getunleash.util.UnleashConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The three common scenarios on Unleash's Java client (its Yggdrasil engine): bootstrapped from a
 * JSON string, polling, metrics and the start-up fetch off, the API URL pointed at a closed local
 * port, and a feature fetcher that counts calls so the test proves none happens. The backup file is
 * a fresh path: Unleash reads a backup in preference to the bootstrap. The {@code hostname} system
 * property is set because, without it, the engine asks {@code InetAddress.getLocalHost()} on every
 * evaluation, which may query DNS on a host missing from {@code /etc/hosts}. One instance per
 * benchmark thread; not thread-safe.
 *
 * <p>Rule-then-rollout is two {@code flexibleRollout} strategies (Unleash ORs strategies): 100%
 * constrained to {@code country IN [DE, FR]} and {@code plan IN [pro]}, then 10% for everyone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UnleashBenchmark {

  /** The features in Unleash's client API format (what its bootstrap provider reads). */
  static final String FEATURES_JSON =
      """
      {"version": 2, "features": [
        {"name": "bool_on", "enabled": true, "strategies": [{"name": "default", "parameters": {}}]},
        {"name": "rollout_10", "enabled": true, "strategies": [{"name": "flexibleRollout",
          "parameters": {"rollout": "10", "stickiness": "userId", "groupId": "rollout_10"}}]},
        {"name": "rule_then_rollout", "enabled": true, "strategies": [
          {"name": "flexibleRollout",
           "parameters": {"rollout": "100", "stickiness": "userId", "groupId": "rule_then_rollout"},
           "constraints": [
             {"contextName": "country", "operator": "IN", "values": ["DE", "FR"]},
             {"contextName": "plan", "operator": "IN", "values": ["pro"]}]},
          {"name": "flexibleRollout",
           "parameters": {"rollout": "10", "stickiness": "userId", "groupId": "rule_then_rollout"}}]}
      ]}
      """;

  /** How many times any Unleash client here tried to fetch features (must stay 0). */
  static final AtomicInteger FETCHES = new AtomicInteger();

  private Unleash unleash;
  private UnleashContext[] contexts;
  private int next;
  private Path backupDir;

  @Setup
  public void setUp() {
    if (System.getProperty("hostname") == null) {
      System.setProperty("hostname", "flags-benchmarks");
    }
    try {
      backupDir = Files.createTempDirectory("unleash-backup");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    UnleashConfig config =
        UnleashConfig.builder()
            .appName("flags-benchmarks")
            .instanceId("flags-benchmarks")
            .unleashAPI(Peers.CLOSED_PORT_URL + "/api/")
            .disablePolling()
            .disableMetrics()
            .synchronousFetchOnInitialisation(false)
            .unleashFeatureFetcherFactory(
                c ->
                    () -> {
                      FETCHES.incrementAndGet();
                      throw new UnleashException("the benchmarks never fetch features", null);
                    })
            .backupFile(backupDir.resolve("unleash-backup.json").toString())
            .toggleBootstrapProvider(() -> Optional.of(FEATURES_JSON))
            .build();
    unleash = new DefaultUnleash(config);
    contexts = new UnleashContext[Scenarios.USERS];
    for (int i = 0; i < contexts.length; i++) {
      contexts[i] =
          UnleashContext.builder()
              .userId(Scenarios.key(i))
              .addProperty("country", Scenarios.country(i))
              .addProperty("plan", Scenarios.plan(i))
              .build();
    }
    if (!unleash.isEnabled(Scenarios.BOOLEAN_ON, contexts[0])) {
      throw new IllegalStateException("Unleash did not take the bootstrapped features");
    }
  }

  @TearDown
  public void tearDown() throws IOException {
    unleash.shutdown();
    try (var files = Files.list(backupDir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(backupDir);
  }

  @Benchmark
  public boolean booleanOnForEveryone() {
    return unleash.isEnabled(Scenarios.BOOLEAN_ON, contexts[next++ & Scenarios.USER_MASK]);
  }

  @Benchmark
  public boolean rollout10Percent() {
    return unleash.isEnabled(Scenarios.ROLLOUT_10, contexts[next++ & Scenarios.USER_MASK]);
  }

  @Benchmark
  public boolean ruleThenRollout() {
    return unleash.isEnabled(Scenarios.RULE_THEN_ROLLOUT, contexts[next++ & Scenarios.USER_MASK]);
  }

  /** For the equivalence test: evaluates a feature for one user. */
  boolean evaluate(String featureName, int user) {
    return unleash.isEnabled(featureName, contexts[user]);
  }
}
