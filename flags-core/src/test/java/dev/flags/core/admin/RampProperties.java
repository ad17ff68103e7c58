package dev.flags.core.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.BucketingAlgorithm;
import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.Rollout;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Ramps through {@link FlagAdmin} keep the canary's users, whatever the rollout looked like: any
 * algorithm, either order of the weights, with or without bucketBy and salt, any sequence of
 * percentages. Each store runs it through its own write path: a subclass gives the admin (and the
 * number of tries, with {@code @PropertyDefaults}); the in-memory store's is {@link
 * InMemoryRampProperties}.
 */
public abstract class RampProperties {

  private static final AtomicInteger KEYS = new AtomicInteger();

  /** An admin over the store under test; each try writes its own flag key. */
  protected abstract FlagAdmin admin();

  @Property
  void aRampKeepsEveryUserWhenItGoesUpAndAddsNoneWhenItGoesDown(
      @ForAll("algorithms") BucketingAlgorithm algorithm,
      @ForAll boolean trueFirst,
      @ForAll boolean bucketByTenant,
      @ForAll boolean salted,
      @ForAll @IntRange(min = 0, max = 100) int start,
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 100_000) Integer> steps) {
    int on = start * 1000;
    Rollout.Builder rollout = Rollout.builder().algorithm(algorithm);
    if (trueFirst) {
      rollout.weight(1, on).weight(0, 100_000 - on);
    } else {
      rollout.weight(0, 100_000 - on).weight(1, on);
    }
    if (bucketByTenant) {
      rollout.bucketBy("tenant");
    }
    String key = "ramp_" + KEYS.incrementAndGet();
    Flag.Builder flag = Flag.builder(key).fallthroughRollout(rollout.build());
    if (salted) {
      flag.salt("some-salt");
    }
    FlagAdmin admin = admin();
    admin.create(flag.build(), Change.by("t"));
    double percent = start;
    Set<String> users = usersIn(admin.get(key).orElseThrow().flag());
    for (int step : steps) {
      double next =
          algorithm == BucketingAlgorithm.MD5_PERCENT_COMPAT ? step / 1000 : step / 1000.0;
      admin.setRolloutPercentage(key, next, Change.by("t"));
      Flag ramped = admin.get(key).orElseThrow().flag(); // as stored, read back
      Rollout r = (Rollout) ramped.fallthrough();
      assertThat(r.algorithm()).isEqualTo(algorithm);
      assertThat(r.bucketBy().isPresent()).isEqualTo(bucketByTenant);
      assertThat(ramped.salt().isPresent()).isEqualTo(salted);
      assertThat(r.weights().get(0).variation()).isEqualTo(trueFirst ? 1 : 0);
      Set<String> now = usersIn(ramped);
      if (next >= percent) {
        assertThat(now).as("%s%% -> %s%%", percent, next).containsAll(users);
      } else {
        assertThat(users).as("%s%% -> %s%%", percent, next).containsAll(now);
      }
      users = now;
      percent = next;
    }
  }

  @Provide
  Arbitrary<BucketingAlgorithm> algorithms() {
    return Arbitraries.of(BucketingAlgorithm.values());
  }

  private static Set<String> usersIn(Flag flag) {
    Set<String> in = new HashSet<>();
    try (Flags flags = Flags.builder().store(InMemoryFlagStore.of(flag)).build()) {
      for (int i = 0; i < 300; i++) {
        String u = "user-" + i;
        if (flags.isEnabled(
            flag.key(), EvaluationContext.builder(u).set("tenant", "t-" + (i % 50)).build())) {
          in.add(u);
        }
      }
    }
    return in;
  }
}
