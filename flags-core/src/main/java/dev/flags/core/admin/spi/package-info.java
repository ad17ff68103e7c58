/**
 * For store authors: the {@link dev.flags.core.admin.spi.FlagRepository} a writable store
 * implements so that {@link dev.flags.core.admin.FlagAdmin} can write to it. Not needed for basic
 * use.
 */
@NullMarked
package dev.flags.core.admin.spi;

import org.jspecify.annotations.NullMarked;
