package dev.flags.core;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The operators a {@link Clause} can use. Each has a wire name, the spelling in the JSON format.
 *
 * <p>A clause whose operator this SDK does not know is kept as written and never matches, so an
 * older SDK can read flags written for a newer one.
 *
 * <p>Immutable and thread-safe, like every enum.
 */
public enum Operator {
  /** The attribute equals one of the values (strings, numbers, booleans). */
  IN("in"),
  /** The string attribute starts with one of the values. */
  STARTS_WITH("startsWith"),
  /** The string attribute ends with one of the values. */
  ENDS_WITH("endsWith"),
  /** The string attribute contains one of the values. */
  CONTAINS("contains"),
  /** The string attribute matches one of the regular expressions (searched, not anchored). */
  MATCHES("matches"),
  /** Numeric equality. */
  EQ("eq"),
  /** Numeric less-than. */
  LT("lt"),
  /** Numeric less-than-or-equal. */
  LTE("lte"),
  /** Numeric greater-than. */
  GT("gt"),
  /** Numeric greater-than-or-equal. */
  GTE("gte"),
  /** Semantic-version equality (SemVer 2.0, build metadata ignored). */
  SEMVER_EQ("semVerEqual"),
  /** Semantic version lower than the value. */
  SEMVER_LT("semVerLessThan"),
  /** Semantic version greater than the value. */
  SEMVER_GT("semVerGreaterThan"),
  /** The instant attribute (ISO-8601 or epoch milliseconds) is before the value. */
  BEFORE("before"),
  /** The instant attribute (ISO-8601 or epoch milliseconds) is after the value. */
  AFTER("after"),
  /** The IP address attribute is inside one of the CIDR ranges (IPv4 or IPv6). */
  IP_IN_RANGE("ipInRange"),
  /** The context belongs to one of the segments named by the values. */
  SEGMENT_MATCH("segmentMatch");

  private static final Map<String, Operator> BY_WIRE_NAME = new HashMap<>();

  static {
    for (Operator op : values()) {
      BY_WIRE_NAME.put(op.wireName, op);
    }
  }

  private final String wireName;

  Operator(String wireName) {
    this.wireName = wireName;
  }

  /** The spelling of this operator in the JSON flag format. */
  public String wireName() {
    return wireName;
  }

  /** Finds an operator by its wire name (case-sensitive); empty when this SDK does not know it. */
  public static Optional<Operator> fromWireName(String name) {
    return Optional.ofNullable(BY_WIRE_NAME.get(name));
  }

  /** Whether {@link Clause#ignoreCase()} applies to this operator. */
  public boolean supportsIgnoreCase() {
    return this == IN
        || this == STARTS_WITH
        || this == ENDS_WITH
        || this == CONTAINS
        || this == MATCHES;
  }
}
