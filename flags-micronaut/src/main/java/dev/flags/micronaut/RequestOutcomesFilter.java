package dev.flags.micronaut;

import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.RequestOutcomes;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.core.propagation.ThreadPropagatedContextElement;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import org.jspecify.annotations.Nullable;

/**
 * Counts each request that evaluated a flag with a guarded rollout plan as an outcome of the
 * variation it got ({@link RequestOutcomes}, as the Spring Boot starter's servlet filter does): an
 * error when the response is a 5xx (Micronaut turns a controller's exception into one before
 * filters see it), a success otherwise. Runs before every other filter. The request's scope travels
 * in Micronaut's propagated context, so evaluations count on whichever thread the controller runs:
 * the event loop, or an executor with {@code @ExecuteOn}.
 *
 * <p>On with {@code flags.guarded-rollouts.enabled=true}; off with {@code
 * flags.guarded-rollouts.request-outcomes=false}. Whether it counts is the runtime's answer ({@link
 * FlagsRuntime#requestOutcomes()}), read by the shared settings binder as in Spring Boot, not a
 * {@code @Requires} on the raw property (whose value Micronaut compares as written: {@code TRUE}
 * would switch the runtime's part on and this filter off). Thread-safe.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(condition = Switches.Flags.class)
final class RequestOutcomesFilter implements Ordered {

  /** The request attribute holding the request's scope. */
  static final String SCOPE_ATTRIBUTE = "dev.flags.micronaut.request-outcomes";

  private final @Nullable RequestOutcomes outcomes;

  RequestOutcomesFilter(FlagsRuntime runtime) {
    // Empty with request-outcomes=false: then both methods return at once.
    this.outcomes = runtime.requestOutcomes().orElse(null);
  }

  @Override
  public int getOrder() {
    return ServerFilterPhase.FIRST.before();
  }

  @RequestFilter
  void begin(HttpRequest<?> request, MutablePropagatedContext context) {
    if (outcomes == null) {
      return;
    }
    RequestOutcomes.Scope scope = outcomes.open();
    request.setAttribute(SCOPE_ATTRIBUTE, scope);
    context.add(new Element(scope));
  }

  @ResponseFilter
  void end(HttpRequest<?> request, MutableHttpResponse<?> response) {
    request
        .getAttribute(SCOPE_ATTRIBUTE, RequestOutcomes.Scope.class)
        .ifPresent(scope -> scope.end(response.code(), false));
  }

  /** Makes the request's scope current on each thread its code runs on. */
  private record Element(RequestOutcomes.Scope scope)
      implements ThreadPropagatedContextElement<RequestOutcomes.Binding> {
    @Override
    public RequestOutcomes.Binding updateThreadContext() {
      return scope.enter();
    }

    @Override
    public void restoreThreadContext(RequestOutcomes.Binding binding) {
      binding.close();
    }
  }
}
