/**
 * For store authors: the {@link dev.flags.core.spi.FlagStore} contract a flag source implements,
 * {@link dev.flags.core.spi.MeasuredStore} for a store that offers measurements of its own to
 * metrics binders, and the {@link dev.flags.core.spi.OutcomeSink} a client delivers its aggregated
 * outcomes to (guarded rollouts). Not needed for basic use.
 */
@NullMarked
package dev.flags.core.spi;

import org.jspecify.annotations.NullMarked;
