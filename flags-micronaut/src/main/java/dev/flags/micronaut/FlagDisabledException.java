package dev.flags.micronaut;

/**
 * Thrown by a {@link FlagGuarded} method whose flag is off, when it has no fallback, no default and
 * is not a controller action. Immutable and thread-safe.
 */
public final class FlagDisabledException extends RuntimeException {

  private final String flagKey;

  /** An exception for the flag {@code flagKey}, guarding {@code method}. */
  public FlagDisabledException(String flagKey, String method) {
    super("flag \"" + flagKey + "\" is off: " + method + " is disabled");
    this.flagKey = flagKey;
  }

  /** The key of the flag that is off. */
  public String flagKey() {
    return flagKey;
  }
}
