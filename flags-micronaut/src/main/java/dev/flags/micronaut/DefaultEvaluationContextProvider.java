package dev.flags.micronaut;

import dev.flags.core.EvaluationContext;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * The default {@link EvaluationContextProvider}: the context of the current HTTP request. A
 * separate bean from {@link RequestEvaluationContexts}, so replacing the provider keeps the request
 * contexts (and the anonymous cookie) available to the replacement.
 */
@Singleton
@Requires(beans = RequestEvaluationContexts.class)
final class DefaultEvaluationContextProvider implements EvaluationContextProvider {

  private final RequestEvaluationContexts requests;

  DefaultEvaluationContextProvider(RequestEvaluationContexts requests) {
    this.requests = requests;
  }

  @Override
  public EvaluationContext current() {
    return requests.current();
  }
}
