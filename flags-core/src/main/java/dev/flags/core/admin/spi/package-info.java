/**
 * For store authors: the {@link dev.flags.core.admin.spi.FlagRepository} a writable store
 * implements so that {@link dev.flags.core.admin.FlagAdmin} can write to it. Not needed for basic
 * use.
 */
package dev.flags.core.admin.spi;
