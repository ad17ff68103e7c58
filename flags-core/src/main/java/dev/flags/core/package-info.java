/**
 * The feature-flag SDK's public API: the {@link dev.flags.core.Flags} client, the flag model
 * ({@link dev.flags.core.Flag} and its parts), evaluation contexts and results, and the in-memory
 * and file stores.
 *
 * <p>Flag definitions are immutable values validated when built. The client compiles each one once
 * into a ready-to-evaluate form and evaluates without I/O, parsing or allocation.
 */
@NullMarked
package dev.flags.core;

import org.jspecify.annotations.NullMarked;
