/**
 * Micronaut 4 integration of the flags SDK: a {@code Flags} bean from configuration, start-up
 * conditions ({@link dev.flags.micronaut.RequiresFlag}), per-call guards ({@link
 * dev.flags.micronaut.FlagGuarded}) and switches ({@link dev.flags.micronaut.FlagSwitch}), the
 * evaluation context of the current HTTP request, a {@code flags} management endpoint, a health
 * indicator and Micrometer metrics.
 *
 * <p>Everything is wired at compile time by Micronaut's annotation processors: no runtime
 * reflection, no dynamic proxies, nothing that stops a GraalVM native image.
 */
@NullMarked
package dev.flags.micronaut;

import org.jspecify.annotations.NullMarked;
