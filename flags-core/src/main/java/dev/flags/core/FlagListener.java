package dev.flags.core;

/**
 * Hears what happens to flags. Every method has an empty default, so implement only what you need.
 * Called on a client thread, never on the caller's evaluation thread; implementations must be
 * thread-safe and quick (hand long work to an executor). An exception thrown by a listener is
 * logged and ignored.
 */
public interface FlagListener {

  /** A flag's definition changed, appeared, or was removed. */
  default void onFlagChanged(String flagKey) {}

  /** A flag is past its kill date; reported once per flag (and again after it changes). */
  default void onPastKillDate(Flag flag) {}

  /** The store's status changed; {@link Flags#statusDetail()} says why. */
  default void onStatusChanged(StoreStatus status) {}

  /**
   * The store reported a problem: its status is {@code status} (not {@link StoreStatus#OK}) and
   * {@code problem} is its explanation, such as the path, JSON path, line and column of an error in
   * a flag file. Called when the store enters such a status with a problem, and again whenever the
   * problem text changes while it stays there (a second bad version of a file is reported again,
   * the same one is not). Not called for a listener of one flag.
   */
  default void onStoreError(StoreStatus status, String problem) {}

  /** A flag's stored definition is invalid; it now serves callers' defaults with MALFORMED_FLAG. */
  default void onMalformedFlag(String flagKey, String problem) {}
}
