package dev.flags.redis;

import java.util.function.LongSupplier;

/**
 * A fencing condition for writes: {@code key} must hold the token {@code token} supplies when the
 * write runs, checked by the write's own script (so a leader whose lease has passed to another can
 * never write). Immutable.
 *
 * @param key the lease key
 * @param token the token the writer believes it holds
 */
record Fence(String key, LongSupplier token) {}
