package dev.flags.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A guarded progressive rollout plan, part of a flag's definition (member {@code guardedRollout} of
 * docs/flag-format.md), so it is versioned and audited with the flag. A controller (flags-redis's
 * {@code GuardedRollouts}) moves the flag's fallthrough through the {@link #steps()}: {@code
 * percent}% of the contexts that fall through get {@link #variation()}, the rest {@link
 * #baseline()}. It advances when a step's hold time has passed, enough outcomes arrived and the
 * {@link #guard()} is green; when the guard trips it acts at once ({@link #onTrip()}). It does not
 * touch targets and rules. docs/guarded-rollouts.md explains it; the limits are in docs/limits.md.
 *
 * <p>Every component is validated; a {@link FlagValidationException} names the path as in the JSON
 * ({@code steps[2].percent}). Immutable and thread-safe.
 *
 * @param variation the new variation being rolled out (default 1)
 * @param baseline the old variation, served to everyone else (default 0)
 * @param steps the percentages, increasing, the last one 100 ({@link #DEFAULT_STEPS})
 * @param guard when to roll back
 * @param onTrip what a tripped guard does
 */
public record GuardedRollout(
    int variation, int baseline, List<Step> steps, Guard guard, OnTrip onTrip) {

  /** The most steps a plan may have. */
  public static final int MAX_STEPS = 20;

  /** The hold time of each default step: 10 minutes. */
  public static final Duration DEFAULT_HOLD = Duration.ofMinutes(10);

  /** The shortest hold time: one outcome bucket, 10 seconds. */
  public static final Duration MIN_HOLD = Duration.ofSeconds(10);

  /** The longest hold time: 7 days (outcomes are kept for at most that long). */
  public static final Duration MAX_HOLD = Duration.ofDays(7);

  /** The most requests a step or guard may ask for. */
  public static final long MAX_REQUESTS = 1_000_000_000L;

  /** Observed requests of the new variation each default step needs before it may advance. */
  public static final long DEFAULT_MIN_REQUESTS = 100;

  /** The default steps: 1% → 5% → 25% → 50% → 100%, 10 minutes each. */
  public static final List<Step> DEFAULT_STEPS =
      List.of(
          new Step(1, DEFAULT_HOLD, DEFAULT_MIN_REQUESTS),
          new Step(5, DEFAULT_HOLD, DEFAULT_MIN_REQUESTS),
          new Step(25, DEFAULT_HOLD, DEFAULT_MIN_REQUESTS),
          new Step(50, DEFAULT_HOLD, DEFAULT_MIN_REQUESTS),
          new Step(100, DEFAULT_HOLD, DEFAULT_MIN_REQUESTS));

  /** The plan of all defaults: variation 1 over variation 0, default steps and guard, roll back. */
  public static final GuardedRollout DEFAULT =
      new GuardedRollout(1, 0, DEFAULT_STEPS, Guard.DEFAULT, OnTrip.ROLLBACK);

  public GuardedRollout {
    if (variation < 0) {
      throw new FlagValidationException("variation", "must be >= 0, got " + variation);
    }
    if (baseline < 0) {
      throw new FlagValidationException("baseline", "must be >= 0, got " + baseline);
    }
    if (variation == baseline) {
      throw new FlagValidationException(
          "baseline", "must differ from variation, both are " + variation);
    }
    Objects.requireNonNull(steps, "steps");
    steps = List.copyOf(steps);
    Objects.requireNonNull(guard, "guard");
    Objects.requireNonNull(onTrip, "onTrip");
    if (steps.isEmpty() || steps.size() > MAX_STEPS) {
      throw new FlagValidationException(
          "steps", "must have 1.." + MAX_STEPS + " steps, got " + steps.size());
    }
    for (int i = 1; i < steps.size(); i++) {
      if (steps.get(i).percent() <= steps.get(i - 1).percent()) {
        throw new FlagValidationException(
            "steps[" + i + "].percent",
            "must be above the step before ("
                + steps.get(i - 1).percent()
                + "), got "
                + steps.get(i).percent());
      }
    }
    int last = steps.get(steps.size() - 1).percent();
    if (last != 100) {
      throw new FlagValidationException(
          "steps[" + (steps.size() - 1) + "].percent", "the last step must be 100, got " + last);
    }
  }

  /** The index of the step serving {@code percent}, if one does. */
  public Optional<Integer> stepOf(int percent) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).percent() == percent) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /**
   * The share of {@code flag}'s fallthrough contexts served this plan's new variation now, in
   * percent (0 to 100, in steps of 0.001), or empty when the fallthrough also serves a third
   * variation (the controller then waits: docs/guarded-rollouts.md). One definition for the
   * controller, the admin API, flagctl and the dashboard.
   */
  public Optional<Double> percentServed(Flag flag) {
    Serve serve = flag.fallthrough();
    if (serve instanceof Serve.Variation v) {
      return v.index() == variation
          ? Optional.of(100.0)
          : v.index() == baseline ? Optional.of(0.0) : Optional.empty();
    }
    int weight = 0;
    for (Rollout.WeightedVariation w : ((Rollout) serve).weights()) {
      if (w.variation() == variation) {
        weight += w.weight();
      } else if (w.variation() != baseline && w.weight() > 0) {
        return Optional.empty();
      }
    }
    return Optional.of(weight / 1000.0);
  }

  /**
   * One step of a plan.
   *
   * @param percent the share of fallthrough contexts served the new variation, 1..100
   * @param hold the least time at this step before the next ({@link #MIN_HOLD}..{@link #MAX_HOLD},
   *     whole seconds)
   * @param minRequests the least outcomes of the new variation observed at this step before the
   *     next (0..{@link #MAX_REQUESTS})
   */
  public record Step(int percent, Duration hold, long minRequests) {
    public Step {
      if (percent < 1 || percent > 100) {
        throw new FlagValidationException("percent", "must be within 1..100, got " + percent);
      }
      Objects.requireNonNull(hold, "hold");
      if (hold.compareTo(MIN_HOLD) < 0 || hold.compareTo(MAX_HOLD) > 0 || hold.toNanosPart() != 0) {
        throw new FlagValidationException(
            "holdSeconds",
            "must be whole seconds within "
                + MIN_HOLD.toSeconds()
                + ".."
                + MAX_HOLD.toSeconds()
                + ", got "
                + hold);
      }
      if (minRequests < 0 || minRequests > MAX_REQUESTS) {
        throw new FlagValidationException(
            "minRequests", "must be within 0.." + MAX_REQUESTS + ", got " + minRequests);
      }
    }
  }

  /**
   * When a plan rolls back: the new variation's error rate is significantly above the baseline's
   * plus {@code tolerance} (a one-sided two-proportion test at level {@code alpha}, split over the
   * plan's looks: docs/guarded-rollouts.md), or, optionally, its latency percentile is above the
   * baseline's times {@code maxLatencyRatio}. Neither is judged before both variations have {@code
   * minSamples} outcomes.
   *
   * @param alpha the chance of a false alarm over the whole plan, (0, 0.5]
   * @param tolerance the error-rate increase accepted, 0..1 (0.01 is one percentage point)
   * @param minSamples outcomes each variation needs before the guard judges (10..{@link
   *     #MAX_REQUESTS})
   * @param latencyPercentile the latency percentile compared, in (0, 1), or empty for none
   * @param maxLatencyRatio how many times the baseline's percentile the new one may be, in (1,
   *     100]; required with a percentile
   */
  public record Guard(
      double alpha,
      double tolerance,
      long minSamples,
      Optional<Double> latencyPercentile,
      Optional<Double> maxLatencyRatio) {

    /** The default false-alarm rate over a whole plan: 5%. */
    public static final double DEFAULT_ALPHA = 0.05;

    /** Outcomes each variation needs by default before the guard judges. */
    public static final long DEFAULT_MIN_SAMPLES = 100;

    /** The default guard: alpha 0.05, no tolerance, 100 samples, no latency check. */
    public static final Guard DEFAULT =
        new Guard(DEFAULT_ALPHA, 0, DEFAULT_MIN_SAMPLES, Optional.empty(), Optional.empty());

    public Guard {
      if (!(alpha > 0 && alpha <= 0.5)) {
        throw new FlagValidationException("alpha", "must be within (0, 0.5], got " + alpha);
      }
      if (!(tolerance >= 0 && tolerance <= 1)) {
        throw new FlagValidationException("tolerance", "must be within 0..1, got " + tolerance);
      }
      if (minSamples < 10 || minSamples > MAX_REQUESTS) {
        throw new FlagValidationException(
            "minSamples", "must be within 10.." + MAX_REQUESTS + ", got " + minSamples);
      }
      Objects.requireNonNull(latencyPercentile, "latencyPercentile");
      Objects.requireNonNull(maxLatencyRatio, "maxLatencyRatio");
      if (latencyPercentile.isPresent() != maxLatencyRatio.isPresent()) {
        throw new FlagValidationException(
            "latency", "needs both \"percentile\" and \"maxRatio\", or neither");
      }
      if (latencyPercentile.isPresent()) {
        double p = latencyPercentile.get();
        if (!(p > 0 && p < 1)) {
          throw new FlagValidationException(
              "latency.percentile", "must be within (0, 1), got " + p);
        }
        double r = maxLatencyRatio.orElseThrow();
        if (!(r > 1 && r <= 100)) {
          throw new FlagValidationException(
              "latency.maxRatio", "must be within (1, 100], got " + r);
        }
      }
    }
  }

  /** What a tripped guard does. */
  public enum OnTrip {
    /** Serve the baseline to every fallthrough context again (the rollout back to 0%). */
    ROLLBACK("rollback"),
    /** Turn the flag off: it serves its off variation. */
    TURN_OFF("off");

    private final String wireName;

    OnTrip(String wireName) {
      this.wireName = wireName;
    }

    /** The name in JSON. */
    public String wireName() {
      return wireName;
    }

    /** The value of a JSON name, if known. */
    public static Optional<OnTrip> fromWireName(String name) {
      for (OnTrip t : values()) {
        if (t.wireName.equals(name)) {
          return Optional.of(t);
        }
      }
      return Optional.empty();
    }
  }
}
