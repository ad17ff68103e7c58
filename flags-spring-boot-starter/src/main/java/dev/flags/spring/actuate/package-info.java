/**
 * Spring Boot Actuator support: the {@code flags} endpoint ({@link
 * dev.flags.spring.actuate.FlagsEndpoint}: list, explain, and writes when enabled) and the {@code
 * flags} health contributor, on Spring Boot 4 and 3.5 (whose health types differ). Configured only
 * when Actuator is on the classpath.
 */
package dev.flags.spring.actuate;
