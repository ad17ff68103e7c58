package dev.flags.benchmarks;

import dev.flags.core.Clause;
import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.Operator;
import dev.flags.core.Rollout;
import dev.flags.core.Rule;
import dev.flags.core.Segment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic set of flags shaped like a large production account, for the load benchmark. Per
 * 20 flags: 6 plain on/off switches, 5 percentage rollouts (some by tenant), 5 flags with one to
 * three rules (in, startsWith, numeric, semver, segment clauses) over a rollout, 2 with individual
 * targets and a rule, 1 multivariate string flag with a three-way split and 1 with a prerequisite
 * and a kill date. Every flag carries a description, an owner, tags and a creation date, as an
 * admin tool writes them. Not thread-safe (the builder is used once).
 */
final class RealisticFlags {

  static final int SEGMENTS = 20;

  private static final String[] TEAMS = {
    "payments", "checkout", "search", "growth", "platform", "mobile"
  };
  private static final String[] WORDS = {
    "new",
    "ui",
    "layout",
    "stripe",
    "v3",
    "migration",
    "banner",
    "cache",
    "async",
    "export",
    "pricing",
    "onboarding",
    "recommendations",
    "dark_mode",
    "beta"
  };
  private static final String[] COUNTRIES = {
    "DE", "FR", "US", "GB", "ES", "IT", "NL", "PL", "SE", "JP"
  };

  private RealisticFlags() {}

  /** {@code count} flags and {@link #SEGMENTS} segments; the same for the same arguments. */
  static FlagSet flagSet(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Segment> segments = new ArrayList<>();
    for (int s = 0; s < SEGMENTS; s++) {
      Segment.Builder b =
          Segment.builder("segment-" + s).version(1 + s).description("Customers of cohort " + s);
      for (int k = 0; k < 50; k++) {
        b.include("customer-" + random.nextInt(1_000_000));
      }
      b.rule(Clause.in("country", pick(random, COUNTRIES), pick(random, COUNTRIES)));
      segments.add(b.build());
    }
    List<Flag> flags = new ArrayList<>(count);
    Instant created = Instant.parse("2025-01-01T00:00:00Z");
    for (int i = 0; i < count; i++) {
      String team = TEAMS[i % TEAMS.length];
      String key = team + "." + pick(random, WORDS) + "_" + pick(random, WORDS) + "_" + i;
      Flag.Builder f =
          Flag.builder(key)
              .version(1 + random.nextInt(40))
              .description("Rolls out " + key.replace('_', ' ') + " for team " + team)
              .owner("team-" + team)
              .tags(team, pick(random, WORDS))
              .createdAt(created.plusSeconds(3_600L * i));
      int kind = i % 20;
      if (kind < 6) {
        f.on(random.nextBoolean());
      } else if (kind < 11) {
        Rollout r = Rollout.percentage(random.nextInt(101));
        f.fallthroughRollout(kind % 2 == 0 ? r.bucketBy("tenantId") : r);
      } else if (kind < 16) {
        int rules = 1 + random.nextInt(3);
        for (int r = 0; r < rules; r++) {
          f.rule(Rule.when(clauses(random)).serve(true).withId("rule-" + r));
        }
        f.fallthroughRollout(Rollout.percentage(random.nextInt(101)));
      } else if (kind < 18) {
        List<String> targets = new ArrayList<>();
        int n = 10 + random.nextInt(40);
        for (int t = 0; t < n; t++) {
          targets.add("user-" + random.nextInt(10_000_000));
        }
        f.target(1, targets.stream().distinct().toList())
            .rule(Rule.when(Clause.in("plan", "enterprise")).serve(true).withId("enterprise"))
            .fallthrough(false);
      } else if (kind == 18) {
        f.variations("control", "variant-a", "variant-b")
            .offVariation(0)
            .fallthroughRollout(
                Rollout.builder().weight(0, 50_000).weight(1, 25_000).weight(2, 25_000).build());
      } else {
        f.prerequisite(flags.get(i - 19).key(), 1)
            .fallthroughRollout(Rollout.percentage(50))
            .killDate(created.plusSeconds(86_400L * 365));
      }
      flags.add(f.build());
    }
    return FlagSet.of(flags, segments);
  }

  private static Clause[] clauses(SplittableRandom random) {
    int n = 1 + random.nextInt(2);
    Clause[] out = new Clause[n];
    for (int c = 0; c < n; c++) {
      out[c] =
          switch (random.nextInt(5)) {
            case 0 ->
                Clause.in(
                    "country",
                    pick(random, COUNTRIES),
                    pick(random, COUNTRIES),
                    pick(random, COUNTRIES));
            case 1 ->
                Clause.of("email", Operator.ENDS_WITH, "@example.com", "@example.org")
                    .ignoringCase();
            case 2 -> Clause.of("seats", Operator.GTE, 10 + random.nextInt(500));
            case 3 -> Clause.of("appVersion", Operator.SEMVER_GT, "2." + random.nextInt(20) + ".0");
            default -> Clause.inSegment("segment-" + random.nextInt(SEGMENTS));
          };
    }
    return out;
  }

  private static String pick(SplittableRandom random, String[] from) {
    return from[random.nextInt(from.length)];
  }
}
