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
  UNAVAILABLE
}
