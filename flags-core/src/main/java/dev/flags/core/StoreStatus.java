package dev.flags.core;

/** The health of a flag store, as the client reports it. Immutable and thread-safe. */
public enum StoreStatus {
  /** Not loaded yet: the client serves bootstrap flags or the callers' defaults. */
  INITIALIZING,
  /** Connected and current. */
  OK,
  /** Serving last known values; the source is unreachable or changes may be missed. */
  STALE,
  /** No data could ever be loaded; the client serves bootstrap flags or the callers' defaults. */
  UNAVAILABLE,
  /**
   * The source answers but has lost the flags it held (a Redis restarted empty, a flushed database,
   * a failover to an empty replica): the client keeps serving the last known flags, and the status
   * detail says what is missing and whether they are being written back. Not reported when flags
   * were deleted on purpose. It ends when the flags are back (written back by an instance, or by an
   * operator).
   */
  DATA_LOST
}
