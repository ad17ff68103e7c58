/**
 * flagctl, the command-line tool for the people on call: lists, kills, ramps, targets, explains,
 * audits and restores flags in a flag file, in Redis, or through a running application's admin HTTP
 * API. Run it with the {@code flagctl} launcher (docs/flagctl.md); {@link dev.flags.cli.Flagctl} is
 * its entry point and this module's only public type. Everything else is implementation,
 * package-private.
 */
@NullMarked
package dev.flags.cli;

import org.jspecify.annotations.NullMarked;
