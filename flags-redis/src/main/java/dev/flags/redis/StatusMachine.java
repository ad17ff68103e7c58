package dev.flags.redis;

import dev.flags.core.StoreStatus;
import dev.flags.core.spi.StoreSink;
import java.lang.System.Logger.Level;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The store's status, computed from what the worker knows (loaded, subscribed, serving a fallback);
 * the sink hears of a change, and the log gets one line, only when the status changes.
 *
 * <p>Worker-confined: only the store's worker thread calls its methods; {@link #status()} may be
 * read from any thread.
 */
final class StatusMachine {

  private final Problems problems;
  private volatile StoreStatus status = StoreStatus.INITIALIZING;
  private @Nullable StoreSink sink; // null until attached
  private String lastProblems = "";

  StatusMachine(Problems problems) {
    this.problems = problems;
  }

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

  /** Redis lost the data set; the last known flags are served (see {@link DataLossGuard}). */
  boolean dataLost;

  /** The client's sink; attached before the store starts. */
  private StoreSink sink() {
    return Objects.requireNonNull(sink, "attached before the store starts");
  }

  void attach(StoreSink sink) {
    this.sink = sink;
  }

  StoreStatus status() {
    return status;
  }

  /** Computes the status; tells the sink and logs only on a change. */
  void update(String detail) {
    StoreStatus next;
    if (dataLost && loadOk) {
      next = StoreStatus.DATA_LOST;
    } else if (loadOk && subscribed) {
      next = StoreStatus.OK;
    } else if (loadOk && !subscribedBefore) {
      return; // first load done, subscription on its way: still starting
    } else if (loadedFromRedis || snapshotServed) {
      next = StoreStatus.STALE;
    } else {
      next = StoreStatus.UNAVAILABLE;
    }
    String damaged = problems.summary();
    if (next == status) {
      if (!damaged.equals(lastProblems) && status != StoreStatus.INITIALIZING) {
        // Same status, new damage found or repaired: the detail (health, listeners) says so; the
        // problem itself was logged once when found.
        lastProblems = damaged;
        sink().statusChanged(next, damaged.isEmpty() ? detail : "damaged data: " + damaged);
      }
      return;
    }
    status = next;
    lastProblems = damaged;
    StoreLog.log().log(
        next == StoreStatus.OK ? Level.INFO : Level.WARNING, "flag store " + next + ": " + detail);
    sink().statusChanged(next, damaged.isEmpty() ? detail : detail + "; damaged data: " + damaged);
  }
}
