package dev.flags.dashboard;

import dev.flags.integration.RolloutPlans;
import dev.flags.redis.GuardedRollouts;

/**
 * {@link RolloutPlans} over flags-redis's controller, as the runtime hands it to an application
 * (flags-integration's adapter is package-private there).
 */
public final class TestRolloutPlans implements RolloutPlans {
  private final GuardedRollouts controller;

  private TestRolloutPlans(GuardedRollouts controller) {
    this.controller = controller;
  }

  public static RolloutPlans over(GuardedRollouts controller) {
    return new TestRolloutPlans(controller);
  }

  @Override
  public Status status(String key) {
    GuardedRollouts.Status s = controller.status(key);
    return new Status(
        State.valueOf(s.state().name()),
        s.step(),
        s.stepStartedAt(),
        s.note(),
        s.lastVerdict().map(v -> new Verdict(v.outcome(), v.detail(), v.at())));
  }

  @Override
  public boolean pause(String key, String actor, String reason) {
    return controller.pause(key, actor, reason);
  }

  @Override
  public boolean resume(String key, String actor, String reason) {
    return controller.resume(key, actor, reason);
  }

  @Override
  public boolean abort(String key, String actor, String reason) {
    return controller.abort(key, actor, reason);
  }
}
