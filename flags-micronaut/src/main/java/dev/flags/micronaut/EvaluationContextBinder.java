package dev.flags.micronaut;

import dev.flags.core.EvaluationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import jakarta.inject.Singleton;
import java.util.Optional;

/** Lets a controller method take the request's {@link EvaluationContext} as an argument. */
@Singleton
@Requires(beans = RequestEvaluationContexts.class)
final class EvaluationContextBinder implements TypedRequestArgumentBinder<EvaluationContext> {

  private final RequestEvaluationContexts contexts;

  EvaluationContextBinder(RequestEvaluationContexts contexts) {
    this.contexts = contexts;
  }

  @Override
  public Argument<EvaluationContext> argumentType() {
    return Argument.of(EvaluationContext.class);
  }

  @Override
  public BindingResult<EvaluationContext> bind(ArgumentConversionContext<EvaluationContext> context, HttpRequest<?> source) {
    EvaluationContext resolved = contexts.resolve(source);
    return () -> Optional.of(resolved);
  }
}
