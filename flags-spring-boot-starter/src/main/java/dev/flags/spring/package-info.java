/**
 * The Spring Boot starter: a thin adapter over flags-integration, which decides everything about
 * the {@code flags.*} settings, the store, the admin HTTP API, health and who a request is for.
 * This package keeps what is Spring's: the auto-configuration of the {@link
 * dev.flags.integration.FlagsRuntime} and its {@link dev.flags.core.Flags} client and {@link
 * dev.flags.core.admin.FlagAdmin}, {@link dev.flags.spring.ConditionalOnFlag} (decided once at
 * start-up), {@link dev.flags.spring.FlagSwitch} (decided per call) and the failure analysis of bad
 * {@code flags.*} settings. Web, actuator and metrics parts are in {@code dev.flags.spring.web},
 * {@code dev.flags.spring.actuate} and {@link dev.flags.spring.FlagsMetricsAutoConfiguration}, each
 * configured only when its library is on the classpath. See {@code docs/spring-boot.md}.
 *
 * <p>Users need only the annotations and {@code FlagSwitch}; the auto-configuration classes are
 * public so they can be excluded or imported in tests.
 */
@NullMarked
package dev.flags.spring;

import org.jspecify.annotations.NullMarked;
