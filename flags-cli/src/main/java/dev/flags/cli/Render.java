package dev.flags.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Human output: tables, percentages, times. */
final class Render {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  private Render() {}

  /** {@code 25%}, {@code 12.5%}, {@code 0.001%}. */
  static String percent(double p) {
    return new BigDecimal(Double.toString(p))
            .setScale(3, java.math.RoundingMode.HALF_UP)
            .stripTrailingZeros()
            .toPlainString()
        + "%";
  }

  static String time(Instant t) {
    return TIME.format(t);
  }

  static String date(Instant t) {
    return DATE.format(t);
  }

  /** {@code 20 s ago}, {@code 5 min ago}, {@code 3 h ago}, {@code 12 days ago}. */
  static String ago(Instant t, Instant now) {
    Duration d = Duration.between(t, now);
    if (d.isNegative()) {
      return "in " + span(d.negated());
    }
    return span(d) + " ago";
  }

  static String span(Duration d) {
    long s = d.toSeconds();
    if (s < 120) {
      return s + " s";
    }
    if (s < 120 * 60) {
      return d.toMinutes() + " min";
    }
    if (s < 48 * 3600) {
      return d.toHours() + " h";
    }
    return d.toDays() + " days";
  }

  /** An aligned table; the last column is not padded. */
  static String table(List<String> headers, List<List<String>> rows) {
    int n = headers.size();
    int[] width = new int[n];
    List<List<String>> all = new ArrayList<>();
    all.add(headers);
    all.addAll(rows);
    for (List<String> r : all) {
      for (int i = 0; i < n; i++) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (List<String> r : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < n; i++) {
        String cell = r.get(i);
        line.append(cell);
        if (i < n - 1) {
          line.append(" ".repeat(width[i] - cell.length() + 2));
        }
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }

  /** Shortens a cell to {@code max} characters. */
  static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
