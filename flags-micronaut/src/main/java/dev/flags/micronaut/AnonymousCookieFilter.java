package dev.flags.micronaut;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.cookie.Cookie;

/**
 * Sends the anonymous-visitor cookie when {@link RequestEvaluationContexts} generated a key for
 * this request, so the visitor keeps it (and its rollout buckets) on later requests.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(beans = RequestEvaluationContexts.class)
final class AnonymousCookieFilter {

  private final RequestEvaluationContexts contexts;

  AnonymousCookieFilter(RequestEvaluationContexts contexts) {
    this.contexts = contexts;
  }

  @ResponseFilter
  void addCookie(HttpRequest<?> request, MutableHttpResponse<?> response) {
    request
        .getAttribute(RequestEvaluationContexts.NEW_ANONYMOUS_KEY_ATTRIBUTE, String.class)
        .ifPresent(
            key ->
                response.cookie(
                    Cookie.of(contexts.cookieName(), key)
                        .path("/")
                        .httpOnly(true)
                        .maxAge(contexts.cookieMaxAge())));
  }
}
