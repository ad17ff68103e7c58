package dev.flags.core;

import java.math.BigDecimal;

/**
 * Reads instants for the {@code before}/{@code after} operators (see {@code docs/operators.md}),
 * without allocating or throwing on the evaluation path.
 *
 * <p>An instant is either
 *
 * <ul>
 *   <li>a JSON number: epoch milliseconds, integral (an exponent or a zero fraction is fine: {@code
 *       1.7676E12}, {@code 5.0}), within JavaScript's safe integers, {@code ±(2^53 - 1)};
 *   <li>or a JSON string in the RFC 3339 profile of ISO-8601: {@code 2026-01-05T10:00:00Z}, {@code
 *       2026-01-05T12:00:00+02:00}, {@code 2026-01-05T10:00:00.123456789Z}; seconds may be omitted
 *       ({@code 2026-01-05T10:00Z}); {@code T} and {@code Z} may be lower case; a fraction has 1 to
 *       9 digits and is truncated to milliseconds; the offset is {@code Z} or {@code ±HH:MM} up to
 *       {@code ±18:00};
 *   <li>or a date alone, {@code 2026-01-05}, meaning midnight UTC of that day (a kill date or a
 *       launch date is usually written that way, and UTC is the only reading that does not depend
 *       on where the SDK runs).
 * </ul>
 *
 * <p>Rejected: a date-time without an offset ({@code 2026-01-05T10:00:00}: whose 10 o'clock?),
 * years outside {@code 0000..9999} or with a sign, week or ordinal dates, basic format without
 * separators, a comma before the fraction, hour 24, leap second 60, impossible dates ({@code
 * 2026-02-30}), surrounding spaces, and any other JSON type (booleans, arrays…).
 */
final class Instants {
  /** Returned when a value is not an instant. */
  static final long NOT_AN_INSTANT = Long.MIN_VALUE;

  /**
   * JavaScript's {@code Number.MAX_SAFE_INTEGER}: beyond it a number is not exact in JSON tools.
   */
  private static final long MAX_SAFE = (1L << 53) - 1;

  private static final BigDecimal MAX_SAFE_DECIMAL = BigDecimal.valueOf(MAX_SAFE);
  private static final BigDecimal MIN_SAFE_DECIMAL = BigDecimal.valueOf(-MAX_SAFE);

  private Instants() {}

  /** Epoch milliseconds of {@code v}, or {@link #NOT_AN_INSTANT} ({@code Long.MIN_VALUE}). */
  static long parseMillis(JsonValue v) {
    if (v instanceof JsonValue.Num n) {
      return millisOfNumber(n.value());
    }
    if (v instanceof JsonValue.Str s) {
      return parseMillis(s.value());
    }
    return NOT_AN_INSTANT;
  }

  private static long millisOfNumber(BigDecimal d) {
    if (d.compareTo(MAX_SAFE_DECIMAL) > 0 || d.compareTo(MIN_SAFE_DECIMAL) < 0) {
      return NOT_AN_INSTANT;
    }
    // Scale <= 0 is integral by construction; a positive scale (1.0, 1.5) needs a closer look,
    // which allocates, but numbers written with a fraction are rare.
    if (!Numbers.isIntegral(d)) {
      return NOT_AN_INSTANT;
    }
    return d.longValue();
  }

  /** Epoch milliseconds of an ISO-8601 text as documented above, or {@link #NOT_AN_INSTANT}. */
  static long parseMillis(String s) {
    int n = s.length();
    // yyyy-MM-dd
    if (n < 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
      return NOT_AN_INSTANT;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      return NOT_AN_INSTANT;
    }
    long epochDay = epochDay(year, month, day);
    if (n == 10) {
      return epochDay * 86_400_000L;
    }
    // THH:mm[:ss[.fffffffff]]
    char t = s.charAt(10);
    if ((t != 'T' && t != 't') || n < 17 || s.charAt(13) != ':') {
      return NOT_AN_INSTANT;
    }
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
      return NOT_AN_INSTANT;
    }
    int pos = 16;
    int second = 0;
    int millis = 0;
    if (s.charAt(pos) == ':') {
      second = digits(s, pos + 1, 2);
      if (second < 0 || second > 59) {
        return NOT_AN_INSTANT;
      }
      pos += 3;
      if (pos < n && s.charAt(pos) == '.') {
        int start = ++pos;
        while (pos < n && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
          int digit = s.charAt(pos) - '0';
          int index = pos - start;
          if (index < 3) {
            millis = millis * 10 + digit;
          }
          pos++;
        }
        int count = pos - start;
        if (count == 0 || count > 9) {
          return NOT_AN_INSTANT;
        }
        for (int i = count; i < 3; i++) {
          millis *= 10;
        }
      }
    }
    // Z or ±HH:mm
    if (pos >= n) {
      return NOT_AN_INSTANT;
    }
    char z = s.charAt(pos);
    int offsetSeconds;
    if (z == 'Z' || z == 'z') {
      if (pos + 1 != n) {
        return NOT_AN_INSTANT;
      }
      offsetSeconds = 0;
    } else if (z == '+' || z == '-') {
      if (pos + 6 != n || s.charAt(pos + 3) != ':') {
        return NOT_AN_INSTANT;
      }
      int oh = digits(s, pos + 1, 2);
      int om = digits(s, pos + 4, 2);
      if (oh < 0 || om < 0 || om > 59 || oh > 18 || (oh == 18 && om > 0)) {
        return NOT_AN_INSTANT;
      }
      offsetSeconds = (z == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return NOT_AN_INSTANT;
    }
    long epochSecond = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
    return epochSecond * 1000L + millis;
  }

  /** The number written by {@code count} ASCII digits at {@code start}, or -1. */
  private static int digits(String s, int start, int count) {
    if (start + count > s.length()) {
      return -1;
    }
    int value = 0;
    for (int i = start; i < start + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static int daysInMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /**
   * Days since 1970-01-01 in the proleptic Gregorian calendar (the algorithm of H. Hinnant's
   * "days_from_civil"), what {@code LocalDate.toEpochDay()} computes, without allocating.
   */
  private static long epochDay(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = Math.floorDiv(y, 400);
    int yearOfEra = y - era * 400;
    int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097L + dayOfEra - 719_468L;
  }
}
