package dev.flags.core;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/** Why an evaluation gave its value. Immutable and thread-safe. */
public final class EvaluationReason {

  /** The kinds of reason. Immutable and thread-safe. */
  public enum Kind {
    /** The flag is off and served its off variation. */
    OFF,
    /** The context key is individually targeted. */
    TARGET_MATCH,
    /** A rule matched; see {@link #ruleIndex()} and {@link #ruleId()}. */
    RULE_MATCH,
    /** No target or rule matched; the fallthrough was served. */
    FALLTHROUGH,
    /** A prerequisite did not serve the required variation; see {@link #prerequisiteKey()}. */
    PREREQUISITE_FAILED,
    /** The caller's default was served; see {@link #errorKind()}. */
    ERROR
  }

  /** Why an evaluation failed and served the caller's default. Immutable and thread-safe. */
  public enum ErrorKind {
    /** No flag has this key. */
    FLAG_NOT_FOUND,
    /** The flag's value has another type than the one asked for. */
    WRONG_TYPE,
    /** The flag's definition is invalid (unparseable, a prerequisite cycle…). */
    MALFORMED_FLAG,
    /** The store has not delivered flags yet and is unreachable. */
    STORE_UNAVAILABLE,
    /** The client is not initialized yet. */
    CLIENT_NOT_READY,
    /** The client was closed. */
    CLIENT_CLOSED,
    /** The flag key or the context was missing ({@code null}). */
    INVALID_ARGUMENT,
    /** An unexpected exception; a bug worth reporting. */
    EXCEPTION
  }

  private static final EvaluationReason OFF = new EvaluationReason(Kind.OFF, -1, "", "", null, -1);
  private static final EvaluationReason TARGET_MATCH =
      new EvaluationReason(Kind.TARGET_MATCH, -1, "", "", null, -1);
  private static final EvaluationReason FALLTHROUGH =
      new EvaluationReason(Kind.FALLTHROUGH, -1, "", "", null, -1);

  private final Kind kind;
  private final int ruleIndex;
  private final String ruleId;
  private final String prerequisiteKey;
  private final @Nullable ErrorKind errorKind; // null unless the kind is ERROR
  private final int bucket;

  private EvaluationReason(
      Kind kind,
      int ruleIndex,
      String ruleId,
      String prerequisiteKey,
      @Nullable ErrorKind errorKind,
      int bucket) {
    this.kind = kind;
    this.ruleIndex = ruleIndex;
    this.ruleId = ruleId;
    this.prerequisiteKey = prerequisiteKey;
    this.errorKind = errorKind;
    this.bucket = bucket;
  }

  /** The flag is off. */
  public static EvaluationReason off() {
    return OFF;
  }

  /** Individually targeted. */
  public static EvaluationReason targetMatch() {
    return TARGET_MATCH;
  }

  /** No rule matched; a fixed fallthrough variation was served. */
  public static EvaluationReason fallthrough() {
    return FALLTHROUGH;
  }

  /**
   * No rule matched; the fallthrough rollout put the context in {@code bucket} ({@code -1}: none).
   */
  public static EvaluationReason fallthrough(int bucket) {
    return bucket < 0
        ? FALLTHROUGH
        : new EvaluationReason(Kind.FALLTHROUGH, -1, "", "", null, bucket);
  }

  /** Rule {@code index} matched; {@code bucket} is the rollout bucket or {@code -1}. */
  public static EvaluationReason ruleMatch(int index, String ruleId, int bucket) {
    return new EvaluationReason(
        Kind.RULE_MATCH, index, Objects.requireNonNull(ruleId), "", null, bucket);
  }

  /** The prerequisite {@code flagKey} failed. */
  public static EvaluationReason prerequisiteFailed(String flagKey) {
    return new EvaluationReason(
        Kind.PREREQUISITE_FAILED, -1, "", Objects.requireNonNull(flagKey), null, -1);
  }

  /** The evaluation failed. */
  public static EvaluationReason error(ErrorKind errorKind) {
    return new EvaluationReason(Kind.ERROR, -1, "", "", Objects.requireNonNull(errorKind), -1);
  }

  /** The kind of reason. */
  public Kind kind() {
    return kind;
  }

  /** For {@link Kind#RULE_MATCH}: the index of the rule. */
  public OptionalInt ruleIndex() {
    return ruleIndex < 0 ? OptionalInt.empty() : OptionalInt.of(ruleIndex);
  }

  /** For {@link Kind#RULE_MATCH}: the id of the rule, when it has one. */
  public Optional<String> ruleId() {
    return ruleId.isEmpty() ? Optional.empty() : Optional.of(ruleId);
  }

  /** For {@link Kind#PREREQUISITE_FAILED}: the key of the failed prerequisite. */
  public Optional<String> prerequisiteKey() {
    return prerequisiteKey.isEmpty() ? Optional.empty() : Optional.of(prerequisiteKey);
  }

  /** For {@link Kind#ERROR}: what went wrong. */
  public Optional<ErrorKind> errorKind() {
    return Optional.ofNullable(errorKind);
  }

  /**
   * When a rollout decided: the context's bucket in {@code 0..99,999}. Empty otherwise, and also
   * for a rollout that left the context out because it has no bucketable {@code bucketBy} value (it
   * then got the variation of bucket 99,999; see {@link Rollout}).
   */
  public OptionalInt bucket() {
    return bucket < 0 ? OptionalInt.empty() : OptionalInt.of(bucket);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EvaluationReason r
        && r.kind == kind
        && r.ruleIndex == ruleIndex
        && r.ruleId.equals(ruleId)
        && r.prerequisiteKey.equals(prerequisiteKey)
        && r.errorKind == errorKind
        && r.bucket == bucket;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, ruleIndex, ruleId, prerequisiteKey, errorKind, bucket);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(kind.name());
    if (ruleIndex >= 0) {
      sb.append("(rule ").append(ruleIndex);
      if (!ruleId.isEmpty()) {
        sb.append(" \"").append(ruleId).append('"');
      }
      sb.append(')');
    }
    if (!prerequisiteKey.isEmpty()) {
      sb.append('(').append(prerequisiteKey).append(')');
    }
    if (errorKind != null) {
      sb.append('(').append(errorKind).append(')');
    }
    if (bucket >= 0) {
      sb.append(" bucket=").append(bucket);
    }
    return sb.toString();
  }
}
