package dev.flags.redis;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One change of one flag, as recorded in the audit stream. Immutable and thread-safe.
 *
 * @param id the stream entry id ({@code <millis>-<seq>}), unique and ordered
 * @param actor who made the change; {@value Scripts#RAW_EDIT_ACTOR} for a change made without the
 *     SDK
 * @param time when Redis recorded it
 * @param flagKey the flag changed, or {@code segment:<key>} for a segment
 * @param version the flag's version after the change
 * @param before the stored value before (JSON or {@code true}/{@code false}); empty when created
 * @param after the stored value after; empty when deleted
 * @param reason why, as the actor said; empty when not given
 */
public record AuditEntry(
    String id,
    String actor,
    Instant time,
    String flagKey,
    long version,
    Optional<String> before,
    Optional<String> after,
    String reason) {

  /** The actor of changes made in Redis without this SDK, seen through keyspace notifications. */
  public static final String RAW_EDIT_ACTOR = Scripts.RAW_EDIT_ACTOR;

  public AuditEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(flagKey, "flagKey");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(reason, "reason");
  }
}
