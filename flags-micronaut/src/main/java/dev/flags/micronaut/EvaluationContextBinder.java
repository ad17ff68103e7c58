package dev.flags.micronaut;

import dev.flags.core.EvaluationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Lets a controller method take the caller's {@link EvaluationContext} as an argument: the one
 * {@link EvaluationContextProvider} gives, so guards and arguments agree.
 */
@Singleton
@Requires(beans = EvaluationContextProvider.class)
final class EvaluationContextBinder implements TypedRequestArgumentBinder<EvaluationContext> {

  private final EvaluationContextProvider contexts;
  private final RequestEvaluationContexts requests;

  EvaluationContextBinder(EvaluationContextProvider contexts, RequestEvaluationContexts requests) {
    this.contexts = contexts;
    this.requests = requests;
  }

  @Override
  public Argument<EvaluationContext> argumentType() {
    return Argument.of(EvaluationContext.class);
  }

  @Override
  public BindingResult<EvaluationContext> bind(
      ArgumentConversionContext<EvaluationContext> context, HttpRequest<?> source) {
    // The default provider reads the request being bound directly; a replacement reads the
    // current request, which Micronaut has set by the time arguments are bound.
    EvaluationContext resolved =
        contexts instanceof DefaultEvaluationContextProvider
            ? requests.resolve(source)
            : contexts.current();
    return () -> Optional.of(resolved);
  }
}
