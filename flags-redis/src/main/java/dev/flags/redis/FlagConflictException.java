package dev.flags.redis;

import java.util.OptionalLong;

/**
 * A write named a version that is no longer current (someone else wrote the flag since it was
 * read), or created a flag that exists. Read the flag again and retry. Immutable and thread-safe.
 */
public final class FlagConflictException extends RuntimeException {

  private final String flagKey;
  private final long expectedVersion;
  private final long actualVersion;

  FlagConflictException(String flagKey, long expectedVersion, long actualVersion, String message) {
    super(message);
    this.flagKey = flagKey;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }

  /** The flag written. */
  public String flagKey() {
    return flagKey;
  }

  /** The version the write named; empty for a create. */
  public OptionalLong expectedVersion() {
    return expectedVersion < 0 ? OptionalLong.empty() : OptionalLong.of(expectedVersion);
  }

  /** The version Redis holds. */
  public long actualVersion() {
    return actualVersion;
  }
}
