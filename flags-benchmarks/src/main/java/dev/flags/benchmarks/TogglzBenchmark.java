package dev.flags.benchmarks;

import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.togglz.core.Feature;
import org.togglz.core.activation.GradualActivationStrategy;
import org.togglz.core.manager.FeatureManager;
import org.togglz.core.manager.FeatureManagerBuilder;
import org.togglz.core.repository.FeatureState;
import org.togglz.core.repository.mem.InMemoryStateRepository;
import org.togglz.core.user.FeatureUser;
import org.togglz.core.user.SimpleFeatureUser;
import org.togglz.core.user.UserProvider;

/**
 * The boolean and rollout scenarios on Togglz: in-memory state repository, {@code
 * GradualActivationStrategy} at 10%. Togglz has no built-in strategy for attribute rules, so the
 * rule-then-rollout scenario is not measured (a hand-written strategy would measure our code, not
 * Togglz).
 *
 * <p>Togglz asks a {@link UserProvider} for the current user; here the cheapest possible one, a
 * field set before each evaluation (real applications use a thread-local or the servlet request,
 * which costs more). One instance per benchmark thread; not thread-safe.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TogglzBenchmark {

  /** Togglz features are declared in code. */
  enum BenchFeature implements Feature {
    BOOL_ON,
    ROLLOUT_10
  }

  /** The user of the next evaluation. */
  static final class CurrentUser implements UserProvider {
    @Nullable FeatureUser user; // set before each evaluation

    @Override
    public @Nullable FeatureUser getCurrentUser() {
      return user;
    }
  }

  private FeatureManager manager;
  private final CurrentUser current = new CurrentUser();
  private FeatureUser[] users;
  private int next;

  @Setup
  public void setUp() {
    InMemoryStateRepository states = new InMemoryStateRepository();
    states.setFeatureState(new FeatureState(BenchFeature.BOOL_ON, true));
    states.setFeatureState(
        new FeatureState(BenchFeature.ROLLOUT_10, true)
            .setStrategyId(GradualActivationStrategy.ID)
            .setParameter(GradualActivationStrategy.PARAM_PERCENTAGE, "10"));
    manager =
        new FeatureManagerBuilder()
            .featureEnum(BenchFeature.class)
            .stateRepository(states)
            .userProvider(current)
            .build();
    users = new FeatureUser[Scenarios.USERS];
    for (int i = 0; i < users.length; i++) {
      users[i] =
          new SimpleFeatureUser(Scenarios.key(i))
              .setAttribute("country", Scenarios.country(i))
              .setAttribute("plan", Scenarios.plan(i));
    }
  }

  @Benchmark
  public boolean booleanOnForEveryone() {
    current.user = users[next++ & Scenarios.USER_MASK];
    return manager.isActive(BenchFeature.BOOL_ON);
  }

  @Benchmark
  public boolean rollout10Percent() {
    current.user = users[next++ & Scenarios.USER_MASK];
    return manager.isActive(BenchFeature.ROLLOUT_10);
  }

  /** For the equivalence test: evaluates a feature for one user. */
  boolean evaluate(BenchFeature feature, int user) {
    current.user = users[user];
    return manager.isActive(feature);
  }
}
