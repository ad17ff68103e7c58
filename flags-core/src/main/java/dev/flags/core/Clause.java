package dev.flags.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One condition of a {@link Rule}: {@code attribute operator values}. The clause matches when the
 * context's attribute matches <em>any</em> of the values; when the attribute is a list, when any
 * element does. {@code negate} inverts the result.
 *
 * <p>A context without the attribute never matches a clause, negated or not: {@code country not in
 * [DE]} does not match a context that has no country. Segment clauses ({@link
 * Operator#SEGMENT_MATCH}) ignore the attribute; their values are segment keys.
 *
 * <p>The operator is kept as written ({@link #operatorName()}): one this SDK does not know makes
 * the clause not match instead of failing. Immutable and thread-safe.
 *
 * @param attribute the context attribute to test ({@code key}, {@code kind} and {@code anonymous}
 *     are built in); empty only for segment clauses
 * @param operatorName the operator's wire name, see {@link Operator#wireName()}
 * @param values the values to compare with, at least one
 * @param negate whether the result is inverted
 * @param ignoreCase whether string operators compare without regard to case
 */
public record Clause(
    String attribute,
    String operatorName,
    List<JsonValue> values,
    boolean negate,
    boolean ignoreCase) {

  /**
   * The longest regular expression a {@code matches} clause may have, in characters: it bounds the
   * work the engine does between two characters it reads (a character class of many ranges tests
   * each one), so the evaluation's regex budget holds (see {@code docs/limits.md}).
   */
  public static final int MAX_PATTERN_LENGTH = 2_048;

  public Clause {
    Objects.requireNonNull(attribute, "attribute");
    Objects.requireNonNull(operatorName, "operatorName");
    values = List.copyOf(values);
    Optional<Operator> op = Operator.fromWireName(operatorName);
    if (operatorName.isEmpty()) {
      throw new FlagValidationException("op", "operator is missing");
    }
    if (attribute.isEmpty() && op.isPresent() && op.get() != Operator.SEGMENT_MATCH) {
      throw new FlagValidationException("attribute", "attribute is missing");
    }
    if (values.isEmpty()) {
      throw new FlagValidationException("values", "a clause needs at least one value");
    }
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) instanceof JsonValue.Num n && !Numbers.isBounded(n.value())) {
        throw new FlagValidationException("values[" + i + "]", Numbers.problem(n.value()));
      }
    }
    if (op.isPresent()) {
      validateValues(op.get(), values, ignoreCase);
    }
  }

  /** Returns a clause using a known operator; values are converted with {@link JsonValue#from}. */
  public static Clause of(String attribute, Operator operator, Object... values) {
    List<JsonValue> json = new ArrayList<>(values.length);
    for (Object v : values) {
      json.add(JsonValue.from(v));
    }
    return new Clause(attribute, operator.wireName(), json, false, false);
  }

  /** {@code attribute in [values]}: the most common clause. */
  public static Clause in(String attribute, Object... values) {
    return of(attribute, Operator.IN, values);
  }

  /** Membership of one of the segments. */
  public static Clause inSegment(String... segmentKeys) {
    return of("", Operator.SEGMENT_MATCH, (Object[]) segmentKeys);
  }

  /** Returns this clause with its result inverted. */
  public Clause negated() {
    return new Clause(attribute, operatorName, values, !negate, ignoreCase);
  }

  /** Returns this clause comparing strings without regard to case. */
  public Clause ignoringCase() {
    return new Clause(attribute, operatorName, values, negate, true);
  }

  /** The operator, or empty when this SDK does not know {@link #operatorName()}. */
  public Optional<Operator> operator() {
    return Operator.fromWireName(operatorName);
  }

  private static void validateValues(Operator op, List<JsonValue> values, boolean ignoreCase) {
    for (int i = 0; i < values.size(); i++) {
      JsonValue v = values.get(i);
      String path = "values[" + i + "]";
      switch (op) {
        case MATCHES -> {
          if (!(v instanceof JsonValue.Str s)) {
            throw new FlagValidationException(path, "a regular expression must be a string");
          }
          if (s.value().length() > MAX_PATTERN_LENGTH) {
            throw new FlagValidationException(
                path,
                "a regular expression has at most "
                    + MAX_PATTERN_LENGTH
                    + " characters, got "
                    + s.value().length());
          }
          try {
            Pattern.compile(
                s.value(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
          } catch (PatternSyntaxException e) {
            throw new FlagValidationException(
                path, "invalid regular expression \"" + s.value() + "\": " + e.getDescription());
          }
        }
        case SEGMENT_MATCH -> {
          if (!(v instanceof JsonValue.Str)) {
            throw new FlagValidationException(path, "a segment reference must be a string key");
          }
        }
        case IP_IN_RANGE -> {
          if (!(v instanceof JsonValue.Str s) || Cidr.parse(s.value()) == null) {
            throw new FlagValidationException(
                path, "not a CIDR range such as 10.0.0.0/8 or 2001:db8::/32: " + v);
          }
        }
        default -> {
          // Other operators accept any value: one of a type they cannot compare never matches.
        }
      }
    }
  }
}
