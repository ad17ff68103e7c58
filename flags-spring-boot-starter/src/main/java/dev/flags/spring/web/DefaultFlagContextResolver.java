package dev.flags.spring.web;

import dev.flags.core.EvaluationContext;
import dev.flags.integration.RequestContextPolicy;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The starter's {@link FlagContextResolver}: flags-integration's {@link RequestContextPolicy} over
 * the servlet request (the principal Spring Security, or any servlet security, authenticated; the
 * trusted header; the signed anonymous cookie). A new anonymous id's cookie is set on the response
 * here, the servlet stack's response hook. The context is built once per request and kept as a
 * request attribute. Thread-safe.
 */
final class DefaultFlagContextResolver implements FlagContextResolver {

  static final String ATTRIBUTE = FlagContextResolver.class.getName() + ".context";

  private final RequestContextPolicy policy;

  DefaultFlagContextResolver(RequestContextPolicy policy) {
    this.policy = policy;
  }

  @Override
  public EvaluationContext resolve(
      HttpServletRequest request, @Nullable HttpServletResponse response) {
    if (request.getAttribute(ATTRIBUTE) instanceof EvaluationContext known) {
      return known;
    }
    RequestContextPolicy.Resolution resolution = policy.resolve(new View(request));
    if (response != null && !response.isCommitted()) {
      resolution.setCookie().ifPresent(c -> response.addHeader("Set-Cookie", c));
    }
    request.setAttribute(ATTRIBUTE, resolution.context());
    return resolution.context();
  }

  /** The servlet request as the policy reads it. */
  private record View(HttpServletRequest request) implements RequestContextPolicy.RequestView {
    @Override
    public Optional<String> principal() {
      Principal p = request.getUserPrincipal();
      return p == null ? Optional.empty() : Optional.ofNullable(p.getName());
    }

    @Override
    public Optional<String> header(String name) {
      return Optional.ofNullable(request.getHeader(name));
    }

    @Override
    public Optional<String> cookie(String name) {
      Cookie[] cookies = request.getCookies();
      if (cookies != null) {
        for (Cookie c : cookies) {
          if (c.getName().equals(name)) {
            return Optional.ofNullable(c.getValue());
          }
        }
      }
      return Optional.empty();
    }

    @Override
    public String remoteAddress() {
      return request.getRemoteAddr();
    }

    @Override
    public boolean secure() {
      return request.isSecure();
    }
  }
}
