/**
 * For store authors: the {@link dev.flags.core.spi.FlagStore} contract a flag source implements,
 * and the {@link dev.flags.core.spi.OutcomeSink} a client delivers its aggregated outcomes to. Not
 * needed for basic use.
 */
package dev.flags.core.spi;
