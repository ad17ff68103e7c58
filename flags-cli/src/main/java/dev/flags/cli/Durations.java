package dev.flags.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Reads {@code 500ms}, {@code 30s}, {@code 2h}, {@code 7d}, and points in time. */
final class Durations {
  private Durations() {}

  /**
   * A duration: a number and a unit (ms, s, m, h, d).
   *
   * @param what names the option in the error
   */
  static Duration parse(String text, String what) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      if (n >= 0) {
        switch (t.charAt(t.length() - 1)) {
          case 's':
            return Duration.ofSeconds(n);
          case 'm':
            return Duration.ofMinutes(n);
          case 'h':
            return Duration.ofHours(n);
          case 'd':
            return Duration.ofDays(n);
          default:
            break;
        }
      }
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      // falls through to the message
    }
    throw CliException.invalid(
        what + ": \"" + text + "\" is not a duration; write it like 500ms, 30s, 10m, 2h or 7d");
  }

  /** A time: a time ago ({@code 2h}), an ISO-8601 instant, or a date (UTC midnight). */
  static Instant since(String text, Instant now, String what) {
    String t = text.strip();
    if (!t.isEmpty() && Character.isDigit(t.charAt(0)) && !t.contains("-")) {
      return now.minus(parse(t, what));
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        throw CliException.invalid(
            what
                + ": \""
                + text
                + "\" is not a time; write a time ago (2h, 7d), a date (2026-03-01) or an"
                + " instant (2026-03-01T10:00:00Z)");
      }
    }
  }
}
