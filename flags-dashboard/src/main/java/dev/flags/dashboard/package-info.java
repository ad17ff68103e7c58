/**
 * The dashboard: web pages for the people who release features, as one framework-neutral handler,
 * {@link dev.flags.dashboard.Dashboard}, that the Spring Boot starter, the Micronaut module and
 * flags-server mount (docs/dashboard.md). Applications enable it with {@code
 * flags.dashboard.enabled=true}; only adapter authors build one themselves.
 */
@NullMarked
package dev.flags.dashboard;

import org.jspecify.annotations.NullMarked;
