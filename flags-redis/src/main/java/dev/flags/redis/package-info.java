/**
 * Flags kept in Redis: {@link dev.flags.redis.RedisFlagStore} (a {@link
 * dev.flags.core.spi.FlagStore} holding a parsed replica of Redis, invalidated by pub/sub and
 * keyspace notifications), {@link dev.flags.redis.RedisFlagAdmin} (builds the {@link
 * dev.flags.core.admin.FlagAdmin} of Redis: validated writes with optimistic concurrency, an audit
 * stream and a bounded time per write), {@link dev.flags.redis.RedisConnectionSettings}
 * (standalone, Sentinel, Cluster). The store's meters (replica, sync age, reconnects) are offered
 * through flags-core's {@link dev.flags.core.spi.MeasuredStore}, which flags-micrometer binds.
 *
 * <p>The storage layout is described in {@code docs/redis-layout.md}; how to point an application
 * at Redis in {@code docs/redis.md}.
 */
@NullMarked
package dev.flags.redis;

import org.jspecify.annotations.NullMarked;
