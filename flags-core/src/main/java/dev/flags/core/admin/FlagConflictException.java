package dev.flags.core.admin;

import java.util.Objects;
import java.util.Optional;

/**
 * A write found another version than the one it was made from, or found the flag already there
 * (create) or gone (update). Nothing was written. The message says who changed it meanwhile when
 * the store knows. Immutable and thread-safe.
 */
public class FlagConflictException extends RuntimeException {

  private final String key;
  private final long expectedVersion;
  private final long currentVersion;
  private final transient Optional<AuditEntry> lastChange;

  /**
   * @param key the key written
   * @param expectedVersion the version the write was made from, or -1 for a create
   * @param currentVersion the version found
   * @param lastChange the audit entry of the change that made {@code currentVersion}, when known
   * @param message what happened, for a human
   */
  public FlagConflictException(
      String key,
      long expectedVersion,
      long currentVersion,
      Optional<AuditEntry> lastChange,
      String message) {
    super(message);
    this.key = Objects.requireNonNull(key, "key");
    this.expectedVersion = expectedVersion;
    this.currentVersion = currentVersion;
    this.lastChange = Objects.requireNonNull(lastChange, "lastChange");
  }

  /** The key written. */
  public String key() {
    return key;
  }

  /** The version the write was made from; -1 for a create. */
  public long expectedVersion() {
    return expectedVersion;
  }

  /** The version found. */
  public long currentVersion() {
    return currentVersion;
  }

  /** The change that made the version found, when the store knows it: who and when. */
  public Optional<AuditEntry> lastChange() {
    return lastChange;
  }
}
