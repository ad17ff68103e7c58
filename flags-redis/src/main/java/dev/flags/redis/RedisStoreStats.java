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
 * @param cacheHits lookups ({@link RedisFlagStore#prefetch}) answered from the replica, including
 *     negative entries
 * @param cacheMisses lookups that went to Redis in the background
 * @param lastSync when the replica was last known to match Redis (a full load or version check)
 * @param invalidationsReceived invalidation messages and keyspace notifications received
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
