package dev.flags.redis;

import dev.flags.core.GuardedRollout;
import dev.flags.core.spi.OutcomeCounts;
import java.util.Locale;

/**
 * The statistics of a guard (docs/guarded-rollouts.md): a one-sided two-proportion test of "the new
 * variation's error rate exceeds the baseline's by more than the tolerance" (likelihood ratio, read
 * on the normal scale as {@code z}: {@link #zScore}), at a per-look level of {@code alpha / looks}
 * (Bonferroni over the plan's planned looks, so peeking at every look keeps the plan's false-alarm
 * rate at most {@code alpha}); and, optionally, a latency percentile compared with a ratio.
 * Immutable.
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
   * The test statistic, on the normal scale: the signed root of the likelihood-ratio statistic of
   * "the new variation's error rate is at most the baseline's plus {@code tolerance}", positive
   * when the new variation does worse than that; 0 when there is nothing to tell (no errors at all,
   * or only errors).
   *
   * <p>Not the textbook {@code (p₁ − p₂ − tolerance) / SE} with the pooled standard error: at the
   * far quantiles a corrected look needs (3.5 for alpha 0.001 over 4 looks) and error rates of a
   * few percent or less, error counts are few and skewed, and that z crossed the threshold up to
   * two hundred times more often than alpha' allows when both variations failed equally often (2096
   * requests of 1% errors: 8e-4 per look instead of 2.5e-4), which rolled healthy plans back. The
   * likelihood ratio follows the binomial's skew and stays near alpha' down to a handful of
   * expected errors (GuardVerdictTest).
   */
  static double zScore(OutcomeCounts fresh, OutcomeCounts old, double tolerance) {
    long n1 = fresh.requests();
    long n2 = old.requests();
    if (n1 == 0 || n2 == 0) {
      return 0;
    }
    double p1 = (double) fresh.errors() / n1;
    double p2 = (double) old.errors() / n2;
    double excess = p1 - p2 - tolerance;
    if (excess == 0) {
      return 0;
    }
    // The most likely baseline rate q when the new variation's rate is exactly q + tolerance.
    double q = restrictedBaselineRate(fresh.errors(), n1, old.errors(), n2, tolerance);
    double halfLr =
        divergence(fresh.errors(), n1, p1, q + tolerance) + divergence(old.errors(), n2, p2, q);
    if (Double.isNaN(halfLr)) {
      return 0;
    }
    return Math.copySign(Math.sqrt(Math.max(0, 2 * halfLr)), excess);
  }

  /**
   * {@code e·ln(p/q) + (n−e)·ln((1−p)/(1−q))}: how much less likely {@code e} errors of {@code n}
   * are at rate {@code q} than at their own rate {@code p}, in log-likelihood; each term is 0 when
   * its count is.
   */
  private static double divergence(long e, long n, double p, double q) {
    double d = 0;
    if (e > 0) {
      d += e * Math.log(p / q);
    }
    if (n - e > 0) {
      d += (n - e) * Math.log((1 - p) / (1 - q));
    }
    return d;
  }

  /**
   * The baseline error rate {@code q} that makes the counts most likely when the new variation's
   * rate is {@code q + tolerance}: the pooled rate without a tolerance, else the root of the
   * log-likelihood's derivative, found by bisection (the log-likelihood is concave in {@code q}).
   */
  static double restrictedBaselineRate(long e1, long n1, long e2, long n2, double tolerance) {
    if (tolerance == 0) {
      return (double) (e1 + e2) / (n1 + n2);
    }
    double lo = 0;
    double hi = 1 - tolerance;
    for (int i = 0; i < 200 && lo < hi; i++) {
      double mid = (lo + hi) / 2;
      if (mid <= lo || mid >= hi) {
        break; // as close as doubles get
      }
      double q1 = mid + tolerance;
      double slope =
          (e1 > 0 ? e1 / q1 : 0)
              - (n1 - e1 > 0 ? (n1 - e1) / (1 - q1) : 0)
              + (e2 > 0 ? e2 / mid : 0)
              - (n2 - e2 > 0 ? (n2 - e2) / (1 - mid) : 0);
      if (slope > 0) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
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
   * The looks a plan plans for: every 10-second outcome bucket a step's hold can touch, for every
   * step but the last (at 100% there is no baseline left to compare with). The controller judges
   * once per bucket while a step is current, and a hold rarely starts on a bucket's edge: a hold of
   * {@code h} seconds touches up to {@code ceil(h / 10) + 1} buckets, and the look that advances
   * the step may fall in one more. Counting fewer (one per whole 10 seconds, as before) let a plan
   * look more often than its alpha was split for: 12 looks against 4 budgeted for 10-second holds.
   */
  static long plannedLooks(GuardedRollout plan) {
    long looks = 0;
    for (int i = 0; i < plan.steps().size() - 1; i++) {
      long seconds = plan.steps().get(i).hold().toSeconds();
      looks += (seconds + 9) / 10 + 2;
    }
    return Math.max(1, looks);
  }
}
