package dev.flags.integration;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in configuration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code
 * 2h}, {@code 365d} (also {@code ns}, {@code us}), a plain number of milliseconds (as Spring Boot
 * reads one), or ISO-8601 ({@code PT30S}). The same words in both frameworks, whichever of them
 * reads the configuration.
 */
final class Durations {

  private static final Pattern SIMPLE = Pattern.compile("([+-]?\\d{1,18})([a-zA-Z]{0,2})");

  private Durations() {}

  /** The duration, or empty when {@code text} is not one. */
  static Optional<Duration> parse(String text) {
    String t = text.strip();
    Matcher m = SIMPLE.matcher(t);
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      ChronoUnit unit =
          switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "ms" -> ChronoUnit.MILLIS;
            case "ns" -> ChronoUnit.NANOS;
            case "us" -> ChronoUnit.MICROS;
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            case "h" -> ChronoUnit.HOURS;
            case "d" -> ChronoUnit.DAYS;
            default -> null;
          };
      if (unit == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(Duration.of(amount, unit));
      } catch (ArithmeticException e) {
        return Optional.empty();
      }
    }
    if (t.startsWith("P") || t.startsWith("p") || t.startsWith("-P") || t.startsWith("+P")) {
      try {
        return Optional.of(Duration.parse(t));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The shortest of the simple forms for {@code d}: {@code 500ms}, {@code 30s}, {@code 365d}. */
  static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    long nanos = d.getNano();
    long seconds = d.getSeconds();
    if (nanos == 0) {
      if (seconds % 86_400 == 0) {
        return seconds / 86_400 + "d";
      }
      if (seconds % 3_600 == 0) {
        return seconds / 3_600 + "h";
      }
      if (seconds % 60 == 0) {
        return seconds / 60 + "m";
      }
      return seconds + "s";
    }
    if (nanos % 1_000_000 == 0 && seconds < Long.MAX_VALUE / 1000) {
      return d.toMillis() + "ms";
    }
    return d.toString();
  }
}
