/**
 * The write side: {@link dev.flags.core.admin.FlagAdmin} creates, edits, deletes and restores flags
 * and segments in any store that offers a {@link dev.flags.core.admin.spi.FlagRepository} — in
 * memory, a flag file, Redis — with validation, optimistic concurrency and an audit log. Used by
 * the admin HTTP API, the dashboard and {@code flagctl}; not needed to evaluate flags.
 */
@NullMarked
package dev.flags.core.admin;

import org.jspecify.annotations.NullMarked;
