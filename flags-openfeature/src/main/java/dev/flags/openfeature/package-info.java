/**
 * An <a href="https://openfeature.dev">OpenFeature</a> provider over the Flags client, for
 * applications that code against the OpenFeature API: {@link dev.flags.openfeature.FlagsProvider}.
 *
 * <p>The provider is the whole public API of this module; the mappings between the two models
 * (contexts, values, reasons, error codes, metadata, events) are package-private and written down
 * in {@code docs/openfeature.md}, one table per mapping, each row proven by a test.
 */
@NullMarked
package dev.flags.openfeature;

import org.jspecify.annotations.NullMarked;
