/**
 * For store authors: the {@link dev.flags.core.spi.FlagStore} contract a flag source implements.
 * Not needed for basic use.
 */
package dev.flags.core.spi;
