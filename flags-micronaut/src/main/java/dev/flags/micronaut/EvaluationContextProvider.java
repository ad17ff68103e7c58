package dev.flags.micronaut;

import dev.flags.core.EvaluationContext;

/**
 * Who the code running now evaluates flags for; {@link FlagGuarded} and {@link FlagSwitch} ask it
 * on every call, and so does an {@link EvaluationContext} argument of a controller method. The
 * default bean answers {@link RequestEvaluationContexts#current()} (the HTTP request's user, header
 * or anonymous cookie; outside a request an anonymous context with the key {@value
 * #BACKGROUND_KEY}). Replace it with {@code @Replaces(EvaluationContextProvider.class)} to add
 * attributes (tenant, plan, country). Implementations must be thread-safe.
 */
@FunctionalInterface
public interface EvaluationContextProvider {

  /** The key of the context used outside an HTTP request. */
  String BACKGROUND_KEY = "background";

  /** The context of the current call; never {@code null}. */
  EvaluationContext current();
}
