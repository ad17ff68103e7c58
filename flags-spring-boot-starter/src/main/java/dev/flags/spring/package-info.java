/**
 * The Spring Boot starter: auto-configuration of a {@link dev.flags.core.Flags} client over the
 * store {@code flags.store} names, {@link dev.flags.spring.ConditionalOnFlag} (decided once at
 * start-up), {@link dev.flags.spring.FlagSwitch} (decided per call), {@link
 * dev.flags.spring.FlagEditor} for writes, and the failure analysis of bad {@code flags.*}
 * properties. Web, actuator and metrics parts are in {@code dev.flags.spring.web}, {@code
 * dev.flags.spring.actuate} and {@link dev.flags.spring.FlagsMetricsAutoConfiguration}, each
 * configured only when its library is on the classpath. See {@code docs/spring-boot.md}.
 *
 * <p>Users need only the annotations, {@code FlagSwitch}, {@code FlagEditor} and {@code
 * FlagsProperties}; the auto-configuration classes are public so they can be excluded or imported
 * in tests.
 */
package dev.flags.spring;
