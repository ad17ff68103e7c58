/**
 * The framework-neutral layer the Spring Boot starter and the Micronaut module are thin adapters
 * over, so both behave the same and a difference between them is a bug in one adapter:
 *
 * <ul>
 *   <li>{@link dev.flags.integration.FlagsSettings}: every {@code flags.*} setting, bound from a
 *       {@link dev.flags.integration.SettingsSource} (each framework implements one over its
 *       configuration) by the table of {@link dev.flags.integration.Setting}, validated with errors
 *       naming the property ({@link dev.flags.integration.FlagsConfigurationException});
 *   <li>{@link dev.flags.integration.FlagsRuntime}: the store those settings choose, the client
 *       over it and the matching write API, built, started and closed together;
 *   <li>{@link dev.flags.integration.HealthReport}: the health summary every framework renders;
 *   <li>{@link dev.flags.integration.RequestContextPolicy}: who a web request is evaluated for;
 *   <li>{@link dev.flags.integration.RequestOutcomes}: the outcome of each web request, counted for
 *       the guarded flags it evaluated (docs/guarded-rollouts.md);
 *   <li>{@link dev.flags.integration.AdminApi}: the admin HTTP API as a request → response function
 *       ({@code docs/admin-api.md});
 *   <li>{@link dev.flags.integration.OfrepApi}: OpenFeature's remote evaluation protocol, so
 *       services in other languages evaluate these flags ({@code docs/ofrep.md}).
 * </ul>
 *
 * An adapter keeps only what is its framework's: annotations, conditions, bean wiring and mounting
 * the HTTP handler. For adapter authors; applications use the framework modules. The parity kit in
 * this module's test-jar ({@code dev.flags.integration.kit}) is what an adapter's tests run to
 * prove it behaves like the others.
 */
@NullMarked
package dev.flags.integration;

import org.jspecify.annotations.NullMarked;
