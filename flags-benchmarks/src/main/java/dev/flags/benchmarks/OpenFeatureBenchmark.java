package dev.flags.benchmarks;

import dev.flags.core.Clause;
import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.Rollout;
import dev.flags.core.Rule;
import dev.flags.openfeature.FlagsProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.util.Map;
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
 * Scenario a (a boolean flag, on for everyone) through the OpenFeature API, side by side: with our
 * provider, with OpenFeature's own {@link InMemoryProvider}, and as a direct call of our client.
 * The OpenFeature calls get a context per user with the targeting key and the two attributes the
 * direct call's contexts have, as an application would pass them. One instance per benchmark
 * thread; not thread-safe.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OpenFeatureBenchmark {

  private Flags flags;
  private OpenFeatureAPI ours;
  private OpenFeatureAPI theirs;
  private Client oursClient;
  private Client theirsClient;
  private EvaluationContext[] contexts;
  private ImmutableContext[] ofContexts;
  private int next;

  @Setup
  public void setUp() {
    flags =
        Flags.builder()
            .store(
                InMemoryFlagStore.of(
                    Flag.builder(Scenarios.BOOLEAN_ON).build(),
                    Flag.builder(Scenarios.RULE_THEN_ROLLOUT)
                        .rule(
                            Rule.when(Clause.in("country", "DE", "FR"), Clause.in("plan", "pro"))
                                .serve(true))
                        .fallthroughRollout(Rollout.percentage(10))
                        .build()))
            .build();
    ours = OpenFeatureAPI.createIsolated();
    ours.setProviderAndWait(FlagsProvider.of(flags));
    oursClient = ours.getClient();

    theirs = OpenFeatureAPI.createIsolated();
    theirs.setProviderAndWait(
        new InMemoryProvider(
            Map.of(
                Scenarios.BOOLEAN_ON,
                dev.openfeature.sdk.providers.memory.Flag.<Boolean>builder()
                    .variant("on", true)
                    .variant("off", false)
                    .defaultVariant("on")
                    .build())));
    theirsClient = theirs.getClient();

    contexts = new EvaluationContext[Scenarios.USERS];
    ofContexts = new ImmutableContext[Scenarios.USERS];
    for (int i = 0; i < contexts.length; i++) {
      contexts[i] =
          EvaluationContext.builder(Scenarios.key(i))
              .set("country", Scenarios.country(i))
              .set("plan", Scenarios.plan(i))
              .build();
      ofContexts[i] =
          new ImmutableContext(
              Scenarios.key(i),
              Map.of(
                  "country", new Value(Scenarios.country(i)),
                  "plan", new Value(Scenarios.plan(i))));
    }
  }

  @TearDown
  public void tearDown() {
    ours.shutdown();
    theirs.shutdown();
    flags.close();
  }

  /** Our client, called directly: what the provider adds is measured against this. */
  @Benchmark
  public boolean directClient() {
    return flags.isEnabled(Scenarios.BOOLEAN_ON, contexts[next++ & Scenarios.USER_MASK]);
  }

  /** The OpenFeature API with our provider. */
  @Benchmark
  public boolean openFeatureWithFlagsProvider() {
    return oursClient.getBooleanValue(
        Scenarios.BOOLEAN_ON, false, ofContexts[next++ & Scenarios.USER_MASK]);
  }

  /** The OpenFeature API with OpenFeature's own in-memory provider. */
  @Benchmark
  public boolean openFeatureWithInMemoryProvider() {
    return theirsClient.getBooleanValue(
        Scenarios.BOOLEAN_ON, false, ofContexts[next++ & Scenarios.USER_MASK]);
  }

  /** Scenario c on our client, called directly. */
  @Benchmark
  public boolean directClientRuleThenRollout() {
    return flags.isEnabled(Scenarios.RULE_THEN_ROLLOUT, contexts[next++ & Scenarios.USER_MASK]);
  }

  /**
   * Scenario c through the OpenFeature API with our provider: the flag reads the context, so the
   * provider converts it on every call.
   */
  @Benchmark
  public boolean openFeatureWithFlagsProviderRuleThenRollout() {
    return oursClient.getBooleanValue(
        Scenarios.RULE_THEN_ROLLOUT, false, ofContexts[next++ & Scenarios.USER_MASK]);
  }

  /** For the equivalence test: the three answers for one user. */
  boolean[] evaluate(int user) {
    return new boolean[] {
      flags.isEnabled(Scenarios.BOOLEAN_ON, contexts[user]),
      oursClient.getBooleanValue(Scenarios.BOOLEAN_ON, false, ofContexts[user]),
      theirsClient.getBooleanValue(Scenarios.BOOLEAN_ON, false, ofContexts[user]),
      flags.isEnabled(Scenarios.RULE_THEN_ROLLOUT, contexts[user]),
      oursClient.getBooleanValue(Scenarios.RULE_THEN_ROLLOUT, false, ofContexts[user])
    };
  }
}
