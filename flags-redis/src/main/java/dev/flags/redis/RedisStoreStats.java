package dev.flags.redis;

import dev.flags.core.StoreStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * A moment's view of a {@link RedisFlagStore}, for health checks and metrics. Immutable and
 * thread-safe.
 *
 * @param status the store's status
 * @param cacheSize the entries of the store's replica: flags, malformed values and negative entries
 * @param flagCount the valid flags held
 * @param cacheHits lookups of keys the client does not hold ({@link RedisFlagStore#prefetch}: an
 *     unknown or mistyped key) answered from the replica, most often by a negative entry.
 *     Evaluations of known flags are not counted: they never reach the store
 * @param cacheMisses such lookups that went to Redis in the background
 * @param lastSync when the replica was last known to match Redis (a full load or version check), by
 *     the store's clock
 * @param invalidationsReceived invalidation messages and keyspace notifications received for a flag
 *     or a segment (notifications of the store's internal keys are not counted)
 * @param reconnects times the store reconnected after losing Redis
 * @param keyspaceNotifications whether the server was seen with keyspace notifications on for
 *     string keys (so raw edits are seen at once)
 */
public record RedisStoreStats(
    StoreStatus status,
    long cacheSize,
    long flagCount,
    long cacheHits,
    long cacheMisses,
    Optional<Instant> lastSync,
    long invalidationsReceived,
    long reconnects,
    boolean keyspaceNotifications) {}
