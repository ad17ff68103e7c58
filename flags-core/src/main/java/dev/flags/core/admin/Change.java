package dev.flags.core.admin;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Who makes a change, why, and — optionally — the version it was made from: {@code
 * Change.by("alice").because("INC-42").ifVersion(7)}. With {@link #ifVersion}, a write that finds
 * another version fails with {@link FlagConflictException} naming who changed it meanwhile; without
 * it, an edit reads, changes and writes again until it applies (a replace or delete then applies to
 * whatever version is stored). Immutable and thread-safe.
 *
 * @param actor who, as recorded in the audit log: 1 to {@link #MAX_ACTOR_LENGTH} characters, not
 *     blank
 * @param reason why; empty when not given; at most {@link #MAX_REASON_LENGTH} characters
 * @param expectedVersion the version the change was made from, or empty for any
 */
public record Change(String actor, String reason, OptionalLong expectedVersion) {

  /** The longest actor. */
  public static final int MAX_ACTOR_LENGTH = 200;

  /** The longest reason. */
  public static final int MAX_REASON_LENGTH = 4000;

  public Change {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(reason, "reason (use \"\" for none)");
    Objects.requireNonNull(expectedVersion, "expectedVersion");
    if (actor.isBlank() || actor.length() > MAX_ACTOR_LENGTH) {
      throw new IllegalArgumentException(
          "actor: must be 1 to "
              + MAX_ACTOR_LENGTH
              + " characters and not blank, got \""
              + actor
              + "\"");
    }
    if (reason.length() > MAX_REASON_LENGTH) {
      throw new IllegalArgumentException(
          "reason: must be at most " + MAX_REASON_LENGTH + " characters, got " + reason.length());
    }
    if (expectedVersion.isPresent() && expectedVersion.getAsLong() < 0) {
      throw new IllegalArgumentException(
          "expectedVersion: must be >= 0, got " + expectedVersion.getAsLong());
    }
  }

  /**
   * A change made by {@code actor}, with no reason and no expected version.
   *
   * @throws IllegalArgumentException if {@code actor} is blank or too long
   */
  public static Change by(String actor) {
    return new Change(actor, "", OptionalLong.empty());
  }

  /** This change, with a reason. */
  public Change because(String reason) {
    return new Change(actor, reason, expectedVersion);
  }

  /** This change, made from {@code version}: it fails if another version is stored. */
  public Change ifVersion(long version) {
    return new Change(actor, reason, OptionalLong.of(version));
  }
}
