/**
 * Spring Boot Actuator support: the {@code flags} health contributor over flags-integration's
 * {@code HealthReport}, on Spring Boot 4 and 3.5 (whose health types differ). Configured only when
 * Actuator is on the classpath.
 */
@NullMarked
package dev.flags.spring.actuate;

import org.jspecify.annotations.NullMarked;
