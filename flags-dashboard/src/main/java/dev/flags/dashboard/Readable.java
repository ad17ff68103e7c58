package dev.flags.dashboard;

import dev.flags.core.Clause;
import dev.flags.core.Flag;
import dev.flags.core.JsonValue;
import dev.flags.core.Operator;
import dev.flags.core.Rollout;
import dev.flags.core.Rule;
import dev.flags.core.Serve;
import dev.flags.core.json.FlagCodec;
import dev.flags.integration.AuditDiff;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Flags as people read them: {@code country in DE, FR and plan = pro → on}, {@code 25% on}, {@code
 * 20 s ago}. Plain text (the pages escape it). Stateless and thread-safe.
 */
// Package-private and used only here, where the name reads as what it does; java.lang.Readable is
// never used in this package.
@SuppressWarnings("JavaLangClash")
final class Readable {

  private static final FlagCodec CODEC = FlagCodec.standard();
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  private Readable() {}

  /** A rule: {@code country in DE, FR and plan = pro → on}. */
  static String rule(Flag flag, Rule rule) {
    List<String> parts = new ArrayList<>();
    for (Clause c : rule.clauses()) {
      parts.add(clause(c));
    }
    return String.join(" and ", parts) + " → " + serve(flag, rule.serve());
  }

  /** A clause: {@code plan = pro}, {@code country in DE, FR}, {@code version ≥ 2.1.0}. */
  static String clause(Clause c) {
    List<String> values = new ArrayList<>();
    for (JsonValue v : c.values()) {
      values.add(v instanceof JsonValue.Str s ? s.value() : CODEC.write(v));
    }
    String list = String.join(", ", values);
    boolean one = values.size() == 1;
    Optional<Operator> op = c.operator();
    String not = c.negate() ? "not " : "";
    String text;
    if (op.isEmpty()) {
      text = c.attribute() + " " + not + c.operatorName() + " " + list + " (unknown operator)";
    } else {
      text =
          switch (op.get()) {
            case IN ->
                one
                    ? c.attribute() + (c.negate() ? " ≠ " : " = ") + list
                    : c.attribute() + " " + not + "in " + list;
            case STARTS_WITH -> c.attribute() + " " + not + "starts with " + or(values);
            case ENDS_WITH -> c.attribute() + " " + not + "ends with " + or(values);
            case CONTAINS -> c.attribute() + " " + not + "contains " + or(values);
            case MATCHES -> c.attribute() + " " + not + "matches " + or(values);
            case EQ -> c.attribute() + (c.negate() ? " ≠ " : " = ") + or(values);
            case LT -> c.attribute() + " " + not + "< " + or(values);
            case LTE -> c.attribute() + " " + not + "≤ " + or(values);
            case GT -> c.attribute() + " " + not + "> " + or(values);
            case GTE -> c.attribute() + " " + not + "≥ " + or(values);
            case SEMVER_EQ ->
                c.attribute() + (c.negate() ? " ≠ " : " = ") + "version " + or(values);
            case SEMVER_LT -> c.attribute() + " " + not + "< version " + or(values);
            case SEMVER_GT -> c.attribute() + " " + not + "> version " + or(values);
            case BEFORE -> c.attribute() + " " + not + "before " + or(values);
            case AFTER -> c.attribute() + " " + not + "after " + or(values);
            case IP_IN_RANGE -> c.attribute() + " " + not + "in network " + or(values);
            case SEGMENT_MATCH -> (c.negate() ? "not in segment " : "in segment ") + or(values);
          };
    }
    return c.ignoreCase() ? text + " (any case)" : text;
  }

  private static String or(List<String> values) {
    return String.join(" or ", values);
  }

  /** What a rule or the fallthrough serves: {@code on}, {@code "blue"}, {@code 25% on}. */
  static String serve(Flag flag, Serve serve) {
    if (serve instanceof Serve.Variation v) {
      return variation(flag, v.index());
    }
    Rollout r = (Rollout) serve;
    Optional<Double> t = AuditDiff.truePercentage(flag);
    String by = r.bucketBy().map(b -> " (by " + b + ")").orElse("");
    if (flag.isBoolean() && t.isPresent()) {
      return AuditDiff.percent(t.get()) + " on" + by;
    }
    List<String> parts = new ArrayList<>();
    for (Rollout.WeightedVariation w : r.weights()) {
      parts.add(AuditDiff.percent(w.weight() / 1000.0) + " " + variation(flag, w.variation()));
    }
    return String.join(", ", parts) + by;
  }

  /** A variation: {@code on}/{@code off} for a boolean flag's, else its JSON. */
  static String variation(Flag flag, int index) {
    if (index < 0 || index >= flag.variations().size()) {
      return "variation " + index + " (missing)";
    }
    JsonValue v = flag.variations().get(index);
    if (flag.isBoolean()) {
      return v.equals(JsonValue.TRUE) ? "on" : "off";
    }
    return CODEC.write(v);
  }

  /** The JSON of a variation's value. */
  static String json(JsonValue v) {
    return CODEC.write(v);
  }

  /** The rollout column of a listing: {@code 25%}, {@code 100%}, or {@code —}. */
  static String rolloutColumn(Flag flag) {
    Optional<Double> t = AuditDiff.truePercentage(flag);
    if (t.isPresent()) {
      return AuditDiff.percent(t.get());
    }
    return flag.fallthrough() instanceof Rollout ? "split" : "—";
  }

  static String dateTime(Instant t) {
    return DATE_TIME.format(t);
  }

  static String date(Instant t) {
    return DATE.format(t);
  }

  /** How long ago: {@code just now}, {@code 20 s ago}, {@code 5 min ago}, {@code 3 h ago}. */
  static String ago(Instant then, Instant now) {
    Duration d = Duration.between(then, now);
    if (d.isNegative() || d.toSeconds() < 2) {
      return "just now";
    }
    if (d.toSeconds() < 120) {
      return d.toSeconds() + " s ago";
    }
    if (d.toMinutes() < 120) {
      return d.toMinutes() + " min ago";
    }
    if (d.toHours() < 48) {
      return d.toHours() + " h ago";
    }
    return d.toDays() + " days ago";
  }

  /** How far past a kill date: {@code 3 days past}. */
  static String past(Instant killDate, Instant now) {
    long days = Duration.between(killDate, now).toDays();
    return days < 1 ? "since today" : days == 1 ? "1 day past" : days + " days past";
  }
}
