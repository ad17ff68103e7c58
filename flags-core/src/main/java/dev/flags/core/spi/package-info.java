/**
 * For store authors: the {@link dev.flags.core.spi.FlagStore} contract a flag source implements,
 * and {@link dev.flags.core.spi.MeasuredStore} for a store that offers measurements of its own to
 * metrics binders. Not needed for basic use.
 */
package dev.flags.core.spi;
