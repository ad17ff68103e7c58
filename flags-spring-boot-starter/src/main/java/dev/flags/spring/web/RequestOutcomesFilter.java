package dev.flags.spring.web;

import dev.flags.integration.RequestOutcomes;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts each request that evaluated a flag with a guarded rollout plan as an outcome of the
 * variation it got ({@link RequestOutcomes}): an error when the response is a 5xx or the chain
 * threw (the servlet container answers 500 after this filter returns), a success otherwise. Ordered
 * before every other filter, so a 5xx made by any of them, and their time, count too. An
 * asynchronous request counts when it completes, by its final status; code it runs on other threads
 * is not followed.
 *
 * <p>Thread-safe.
 */
final class RequestOutcomesFilter extends OncePerRequestFilter implements Ordered {

  /** Before Spring Security's filters (-100) and Spring's own request filters (-105). */
  static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

  private final RequestOutcomes outcomes;

  RequestOutcomesFilter(RequestOutcomes outcomes) {
    this.outcomes = outcomes;
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    RequestOutcomes.Scope scope = outcomes.open();
    boolean threw = true;
    RequestOutcomes.Binding binding = scope.enter();
    try {
      chain.doFilter(request, response);
      threw = false;
    } finally {
      binding.close();
      if (!threw && request.isAsyncStarted()) {
        request.getAsyncContext().addListener(new Completion(scope));
      } else {
        scope.end(response.getStatus(), threw);
      }
    }
  }

  /** Ends an asynchronous request's scope when it completes, with its final status. */
  private record Completion(RequestOutcomes.Scope scope) implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      scope.end(((HttpServletResponse) event.getSuppliedResponse()).getStatus(), false);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      // onComplete follows, with the status the timeout was answered with.
    }

    @Override
    public void onError(AsyncEvent event) {
      scope.end(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, true);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      // A new asynchronous cycle keeps this listener only if re-added; the request goes on.
      event.getAsyncContext().addListener(this);
    }
  }
}
