/** Not a library, and not published; null-checked like the SDK all the same. */
@NullMarked
package dev.flags.examples.spring;

import org.jspecify.annotations.NullMarked;
