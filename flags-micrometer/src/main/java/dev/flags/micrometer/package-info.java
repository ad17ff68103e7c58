/**
 * Micrometer metrics for flags, whatever the store: {@link dev.flags.micrometer.FlagMetrics}, an
 * evaluation hook counting evaluations by flag, variation and reason, with gauges for the client
 * and for any store that implements {@link dev.flags.core.spi.MeasuredStore}. Knows no store: the
 * Redis store's meters come through that flags-core interface. Meter names, tags and limits: {@code
 * docs/metrics.md}.
 */
@NullMarked
package dev.flags.micrometer;

import org.jspecify.annotations.NullMarked;
