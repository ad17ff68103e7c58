package dev.flags.core.spi;

import dev.flags.core.Flag;
import dev.flags.core.Segment;
import dev.flags.core.StoreStatus;

/**
 * Where a {@link FlagStore} delivers definitions. Implemented by the client; calls are cheap (the
 * client compiles and swaps in the new definition) and never throw.
 *
 * <p>Thread-safe: the client's implementation may be called from any thread, though a {@link
 * FlagStore} makes its calls one at a time, in the order the changes happened.
 *
 * <p>For plug-in authors; not needed for basic use.
 */
public interface StoreSink {

  /**
   * Replaces everything the client holds, flags and segments in one step; those absent from it are
   * removed. The first call releases {@code awaitInitialization()}.
   */
  void replaceAll(StoreSnapshot snapshot);

  /**
   * Replaces everything, like {@link #replaceAll(StoreSnapshot)}, and reports the status that comes
   * with it, as one step: the client takes the status first, so a caller released by {@code
   * awaitInitialization()} never reads the status from before the load. A store that knows its
   * status when it delivers a full load (a file read, a set in memory) should use this rather than
   * two calls, between which that caller would read {@code INITIALIZING}. The default makes the two
   * calls, load first; the status is reported even if the load throws.
   */
  default void replaceAll(StoreSnapshot snapshot, StoreStatus status, String detail) {
    try {
      replaceAll(snapshot);
    } finally {
      statusChanged(status, detail);
    }
  }

  /** Adds or replaces one flag. */
  void upsertFlag(Flag flag);

  /** Removes one flag. */
  void removeFlag(String flagKey);

  /** Adds or replaces one segment. */
  void upsertSegment(Segment segment);

  /** Removes one segment. */
  void removeSegment(String segmentKey);

  /**
   * The stored definition of {@code flagKey} is invalid: the flag now serves callers' defaults with
   * {@code ERROR/MALFORMED_FLAG}, until a valid definition arrives.
   */
  void malformedFlag(String flagKey, String problem);

  /** The store's status changed; {@code detail} says why, for logs and health checks. */
  void statusChanged(StoreStatus status, String detail);
}
