package dev.flags.core;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The size of number the evaluator works with. Comparing or normalising a {@link BigDecimal} costs
 * time in its digits and in the distance between scales: {@code 1.} followed by 100,000 zeros took
 * seconds per evaluation in {@code before} and {@code bucketBy}, and 10 ms in {@code eq}. Every
 * number the codec reads is well within these bounds (at most 1,000 characters, an exponent within
 * ±1,000); larger ones, in a context built in code or a clause, are refused or never match.
 */
final class Numbers {
  /** The largest scale, either way: digits after the point, or a power of ten before it. */
  static final int MAX_SCALE = 2_000;

  /** The most bits of the unscaled value: a little over 1,000 decimal digits. */
  static final int MAX_BITS = 3_400;

  private Numbers() {}

  /**
   * Whether {@code d} is within the bounds; O(1) for large values, as it checks bits, not digits.
   */
  static boolean isBounded(BigDecimal d) {
    int scale = d.scale();
    return scale <= MAX_SCALE
        && scale >= -MAX_SCALE
        && d.unscaledValue().bitLength() <= MAX_BITS; // not precision(): that costs ms per call
  }

  /**
   * Whether {@code d} has no fraction, cheaply for a bounded number: one division by a power of
   * ten, where {@code stripTrailingZeros()} divides by ten once per digit (milliseconds for 1,000
   * zeros). Allocates only for a number written with a fraction part.
   */
  static boolean isIntegral(BigDecimal d) {
    if (d.scale() <= 0 || d.signum() == 0) {
      return true;
    }
    return d.unscaledValue().mod(BigInteger.TEN.pow(d.scale())).signum() == 0;
  }

  /** The problem of a number over the bounds, for an error message. */
  static String problem(BigDecimal d) {
    return "number too large to compare: at most about 1,000 digits and a scale within ±"
        + MAX_SCALE
        + ", got "
        + d.unscaledValue().bitLength()
        + " bits at scale "
        + d.scale();
  }
}
