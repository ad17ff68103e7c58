package dev.flags.redis;

import dev.flags.core.StoreStatus;
import dev.flags.core.spi.StoreSink;
import java.lang.System.Logger.Level;

/**
 * The store's status, computed from what the worker knows (loaded, subscribed, serving a fallback);
 * the sink hears of a change, and the log gets one line, only when the status changes.
 *
 * <p>Worker-confined: only the store's worker thread calls its methods; {@link #status()} may be
 * read from any thread.
 */
final class StatusMachine {

  private volatile StoreStatus status = StoreStatus.INITIALIZING;
  private StoreSink sink;

  /** The last load from Redis succeeded (reset by any failure). */
  boolean loadOk;

  /** The subscriber is subscribed to the invalidation channel and the keyspace pattern. */
  boolean subscribed;

  /** It was subscribed at least once (a later subscription is a recovery). */
  boolean subscribedBefore;

  /** Something was loaded from Redis at least once. */
  boolean loadedFromRedis;

  /** The snapshot file is being served (Redis was unreachable at start). */
  boolean snapshotServed;

  void attach(StoreSink sink) {
    this.sink = sink;
  }

  StoreStatus status() {
    return status;
  }

  /** Computes the status; tells the sink and logs only on a change. */
  void update(String detail) {
    StoreStatus next;
    if (loadOk && subscribed) {
      next = StoreStatus.OK;
    } else if (loadOk && !subscribedBefore) {
      return; // first load done, subscription on its way: still starting
    } else if (loadedFromRedis || snapshotServed) {
      next = StoreStatus.STALE;
    } else {
      next = StoreStatus.UNAVAILABLE;
    }
    if (next == status) {
      return;
    }
    status = next;
    StoreLog.log().log(
        next == StoreStatus.OK ? Level.INFO : Level.WARNING, "flag store " + next + ": " + detail);
    sink.statusChanged(next, detail);
  }
}
