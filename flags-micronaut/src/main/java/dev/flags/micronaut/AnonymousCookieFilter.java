package dev.flags.micronaut;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Sends the signed anonymous-visitor cookie (HttpOnly, SameSite=Lax, Secure on HTTPS: the {@code
 * Set-Cookie} value flags-integration made) when {@link RequestEvaluationContexts} made a new id
 * for this request, so the visitor keeps it, and its rollout buckets, on later requests.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(beans = RequestEvaluationContexts.class)
final class AnonymousCookieFilter {

  @ResponseFilter
  void addCookie(HttpRequest<?> request, MutableHttpResponse<?> response) {
    request
        .getAttribute(RequestEvaluationContexts.SET_COOKIE_ATTRIBUTE, String.class)
        .ifPresent(c -> response.getHeaders().add(HttpHeaders.SET_COOKIE, c));
  }
}
