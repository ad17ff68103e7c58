package dev.flags.core.admin;

import java.util.Objects;

/**
 * The stored value of a flag cannot be read, so it cannot be edited in place; replace it (naming
 * {@link #version()}) or restore an earlier version. Immutable and thread-safe.
 */
public class MalformedFlagException extends IllegalStateException {

  private final String key;
  private final long version;
  private final String problem;

  /**
   * @param key the flag key
   * @param version the stored version of the malformed value
   * @param problem the codec's message
   */
  public MalformedFlagException(String key, long version, String problem) {
    super(
        "flag \""
            + key
            + "\" is malformed at version "
            + version
            + " ("
            + problem
            + "); replace it, or restore an earlier version");
    this.key = Objects.requireNonNull(key, "key");
    this.version = version;
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** The flag key. */
  public String key() {
    return key;
  }

  /** The stored version of the malformed value. */
  public long version() {
    return version;
  }

  /** Why it does not read. */
  public String problem() {
    return problem;
  }
}
