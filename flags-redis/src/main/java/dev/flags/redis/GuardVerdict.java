package dev.flags.redis;

import dev.flags.core.GuardedRollout;
import dev.flags.core.spi.OutcomeCounts;
import java.util.Locale;

/**
 * The statistics of a guard (docs/guarded-rollouts.md): a one-sided two-proportion z-test of "the
 * new variation's error rate exceeds the baseline's by more than the tolerance", at a per-look
 * level of {@code alpha / looks} (Bonferroni over the plan's planned looks, so peeking at every
 * look keeps the plan's false-alarm rate at most {@code alpha}); and, optionally, a latency
 * percentile compared with a ratio. Immutable.
 *
 * @param state GREEN (judged, fine), RED (tripped) or WAITING (too few outcomes to judge)
 * @param detail the numbers, for audit entries and events
 */
record GuardVerdict(State state, String detail) {

  enum State {
    GREEN,
    RED,
    WAITING
  }

  /** Judges the outcomes of a window. */
  static GuardVerdict judge(
      GuardedRollout.Guard guard, OutcomeCounts fresh, OutcomeCounts old, long looks) {
    String counts =
        String.format(
            Locale.ROOT,
            "new variation %d: %d errors of %d (%.2f%%); baseline %d: %d errors of %d (%.2f%%)",
            fresh.variation(),
            fresh.errors(),
            fresh.requests(),
            100 * fresh.errorRate(),
            old.variation(),
            old.errors(),
            old.requests(),
            100 * old.errorRate());
    if (fresh.requests() < guard.minSamples() || old.requests() < guard.minSamples()) {
      return new GuardVerdict(
          State.WAITING, counts + "; waiting for " + guard.minSamples() + " outcomes of each");
    }
    double perLook = guard.alpha() / Math.max(1, looks);
    double critical = inverseNormal(1 - perLook);
    double z = zScore(fresh, old, guard.tolerance());
    String test =
        String.format(
            Locale.ROOT,
            "z = %.2f against %.2f (alpha %.3g over %d looks, tolerance %.4g)",
            z,
            critical,
            guard.alpha(),
            looks,
            guard.tolerance());
    if (z > critical) {
      return new GuardVerdict(State.RED, counts + "; " + test);
    }
    if (guard.latencyPercentile().isPresent()
        && fresh.latency().total() >= guard.minSamples()
        && old.latency().total() >= guard.minSamples()) {
      double q = guard.latencyPercentile().get();
      long mine = fresh.latency().percentile(q).toMillis();
      long theirs = old.latency().percentile(q).toMillis();
      double limit = theirs * guard.maxLatencyRatio().orElseThrow();
      String latency =
          String.format(
              Locale.ROOT,
              "p%s latency %d ms vs baseline %d ms (at most %.1fx)",
              trim(100 * q),
              mine,
              theirs,
              guard.maxLatencyRatio().orElseThrow());
      if (mine > limit) {
        return new GuardVerdict(State.RED, counts + "; " + latency);
      }
      return new GuardVerdict(State.GREEN, counts + "; " + test + "; " + latency);
    }
    return new GuardVerdict(State.GREEN, counts + "; " + test);
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /**
   * The z statistic of {@code p_new - p_old - tolerance} with the pooled standard error; 0 when
   * there is no variance (no errors at all, or only errors).
   */
  static double zScore(OutcomeCounts fresh, OutcomeCounts old, double tolerance) {
    double n1 = fresh.requests();
    double n2 = old.requests();
    double p1 = fresh.errors() / n1;
    double p2 = old.errors() / n2;
    double pooled = (fresh.errors() + old.errors()) / (n1 + n2);
    double se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
    if (se == 0) {
      // Every outcome the same: only "all new failed, no old failed" is a difference, and then
      // the pooled rate is not 0 or 1. Nothing to report.
      return 0;
    }
    return (p1 - p2 - tolerance) / se;
  }

  /**
   * The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9),
   * for {@code 0 < p < 1}.
   */
  static double inverseNormal(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("p must be within (0, 1), got " + p);
    }
    double[] a = {
      -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
      1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
    };
    double[] b = {
      -5.447609879822406e+01,
      1.615858368580409e+02,
      -1.556989798598866e+02,
      6.680131188771972e+01,
      -1.328068155288572e+01
    };
    double[] c = {
      -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
      -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
    };
    double[] d = {
      7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00
    };
    double low = 0.02425;
    if (p < low) {
      double q = Math.sqrt(-2 * Math.log(p));
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - low) {
      double q = Math.sqrt(-2 * Math.log(1 - p));
      return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
        * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }

  /**
   * The looks a plan plans for: one per 10-second outcome bucket of every step's hold but the last
   * (at 100% there is no baseline left to compare with).
   */
  static long plannedLooks(GuardedRollout plan) {
    long looks = 0;
    for (int i = 0; i < plan.steps().size() - 1; i++) {
      looks += Math.max(1, plan.steps().get(i).hold().toSeconds() / 10);
    }
    return Math.max(1, looks);
  }
}
