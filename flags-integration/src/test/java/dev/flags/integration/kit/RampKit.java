package dev.flags.integration.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.JsonValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Ramps through the admin HTTP API keep the canary's users (issue 18, item 3): random boolean flags
 * — either bucketing algorithm, the {@code true} range first or last among the weights, by the
 * context key or a {@code bucketBy} attribute, a salt of their own or not — are ramped up and down
 * in random steps with {@code PUT /flags/{key}/rollout}; after each step the stored definition
 * keeps its algorithm, salt, bucketBy and weight order, and of a thousand contexts, a step up only
 * adds users and a step down only removes some. A property test with few tries, seeded (the seed is
 * in the failure message), as each try is a few HTTP round trips.
 */
public abstract class RampKit extends KitBase {

  /** How many random flags are ramped. */
  public static final int TRIES = 6;

  /** How many ramp steps each flag takes. */
  public static final int STEPS = 5;

  private static final int CONTEXTS = 1000;

  @Test
  void rampsThroughTheApiOnlyAddOrRemoveUsers() throws Exception {
    KitApplication app = startForTest(AdminApiKit.SETTINGS);
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    for (int t = 0; t < TRIES; t++) {
      String key = "kit_ramp_" + t;
      String algorithm = random.nextBoolean() ? "murmur3-v1" : "md5-percent-compat";
      boolean trueFirst = random.nextBoolean();
      String bucketBy = random.nextBoolean() ? null : "tenantId";
      String salt = random.nextBoolean() ? null : "legacy-" + t;
      int percent = random.nextInt(101);
      String why =
          "seed "
              + seed
              + ", try "
              + t
              + ": "
              + algorithm
              + ", true "
              + (trueFirst ? "first" : "last")
              + ", bucketBy "
              + bucketBy
              + ", salt "
              + salt;

      KitResponse created =
          admin(
              app,
              KitUser.EDITOR,
              "POST",
              "/flags",
              Kit.json(flag(key, algorithm, trueFirst, bucketBy, salt, percent)));
      assertThat(created.status()).as(why + " " + created).isEqualTo(201);
      Set<String> before = served(app, key, bucketBy, why);
      for (int s = 0; s < STEPS; s++) {
        int next = random.nextInt(101);
        KitResponse ramp =
            admin(
                app,
                KitUser.EDITOR,
                "PUT",
                "/flags/" + key + "/rollout",
                Kit.json(Map.of("percentage", next)));
        assertThat(ramp.status()).as(why + " " + ramp).isEqualTo(200);
        JsonValue rollout = ramp.at("definition.fallthrough.rollout");
        // The stored JSON leaves out the default algorithm and a missing bucketBy.
        assertThat(Kit.members(rollout).getOrDefault("algorithm", JsonValue.of("murmur3-v1")))
            .as(why)
            .isEqualTo(JsonValue.of(algorithm));
        assertThat(Kit.members(rollout).get("bucketBy"))
            .as(why)
            .isEqualTo(bucketBy == null ? null : JsonValue.of(bucketBy));
        JsonValue first = Kit.elements(Kit.at(rollout, "weights")).get(0);
        assertThat(Kit.number(Kit.at(first, "variation")).intValue())
            .as(why + ": the true range stays where it was")
            .isEqualTo(trueFirst ? 1 : 0);
        if (salt != null) {
          assertThat(ramp.text("definition.salt")).as(why).isEqualTo(salt);
        }
        Set<String> after = served(app, key, bucketBy, why);
        if (next >= percent) {
          assertThat(after)
              .as(why + ": " + percent + "% -> " + next + "% only adds")
              .containsAll(before);
        } else {
          assertThat(before)
              .as(why + ": " + percent + "% -> " + next + "% only removes")
              .containsAll(after);
        }
        before = after;
        percent = next;
      }
    }
  }

  /** A boolean flag with a percentage rollout as its fallthrough. */
  private static Map<String, Object> flag(
      String key, String algorithm, boolean trueFirst, String bucketBy, String salt, int percent) {
    Map<String, Object> on = Map.of("variation", 1, "weight", percent * 1000);
    Map<String, Object> off = Map.of("variation", 0, "weight", 100_000 - percent * 1000);
    Map<String, Object> rollout = new LinkedHashMap<>();
    rollout.put("weights", trueFirst ? List.of(on, off) : List.of(off, on));
    rollout.put("algorithm", algorithm);
    if (bucketBy != null) {
      rollout.put("bucketBy", bucketBy);
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("key", key);
    f.put("variations", List.of(false, true));
    f.put("fallthrough", Map.of("rollout", rollout));
    if (salt != null) {
      f.put("salt", salt);
    }
    return f;
  }

  /** The contexts the stored definition serves {@code true}, evaluated here by flags-core. */
  private static Set<String> served(KitApplication app, String key, String bucketBy, String why) {
    KitResponse r = get(app, KitUser.VIEWER, "/flags/" + key);
    assertThat(r.status()).as(why + " " + r).isEqualTo(200);
    Flag flag = Kit.CODEC.decodeFlag(key, Kit.CODEC.write(r.at("definition")));
    Set<String> in = new HashSet<>();
    try (Flags flags = Flags.builder().store(InMemoryFlagStore.of(flag)).build()) {
      List<EvaluationContext> contexts = new ArrayList<>();
      for (int i = 0; i < CONTEXTS; i++) {
        EvaluationContext.Builder c = EvaluationContext.builder("user-" + i);
        if (bucketBy != null) {
          c.set(bucketBy, "tenant-" + i);
        }
        contexts.add(c.build());
      }
      for (EvaluationContext c : contexts) {
        if (flags.isEnabled(key, c)) {
          in.add(c.key());
        }
      }
    }
    return in;
  }
}
