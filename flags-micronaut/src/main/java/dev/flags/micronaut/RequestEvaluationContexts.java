package dev.flags.micronaut;

import dev.flags.core.EvaluationContext;
import dev.flags.integration.RequestContextPolicy;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.http.cookie.Cookie;
import jakarta.inject.Singleton;
import java.security.Principal;
import java.util.Optional;

/**
 * The evaluation context of an HTTP request: flags-integration's {@link RequestContextPolicy}, as
 * in Spring — the authenticated principal ({@link HttpRequest#getUserPrincipal()}:
 * micronaut-security sets it, and any filter may); else the header {@code flags.context.header}
 * (off by default), believed only from {@code flags.context.trusted-proxies}; else an anonymous
 * visitor with a signed cookie, which {@link AnonymousCookieFilter} sets on the response when it is
 * new.
 *
 * <p>Computed once per request, on first use, and kept as a request attribute. The default {@link
 * EvaluationContextProvider} answers with it; a replacement provider can start from it to add
 * attributes. Thread-safe.
 */
@Singleton
@Requires(beans = RequestContextPolicy.class)
public final class RequestEvaluationContexts {

  /** The request attribute holding the resolved context. */
  public static final String CONTEXT_ATTRIBUTE = "dev.flags.micronaut.context";

  /** The request attribute holding a new anonymous id's {@code Set-Cookie} value. */
  static final String SET_COOKIE_ATTRIBUTE = "dev.flags.micronaut.set-cookie";

  /** Immutable, so one instance serves every call outside a request. */
  private static final EvaluationContext BACKGROUND =
      EvaluationContext.builder(EvaluationContextProvider.BACKGROUND_KEY).anonymous(true).build();

  private final RequestContextPolicy policy;

  RequestEvaluationContexts(RequestContextPolicy policy) {
    this.policy = policy;
  }

  /**
   * The context of the current HTTP request, or outside one an anonymous context with the key
   * {@value EvaluationContextProvider#BACKGROUND_KEY}.
   */
  public EvaluationContext current() {
    Optional<HttpRequest<Object>> request = ServerRequestContext.currentRequest();
    return request.isPresent() ? resolve(request.get()) : BACKGROUND;
  }

  /** The context of this request; computed on first call and then kept on the request. */
  public EvaluationContext resolve(HttpRequest<?> request) {
    Optional<EvaluationContext> known =
        request.getAttribute(CONTEXT_ATTRIBUTE, EvaluationContext.class);
    if (known.isPresent()) {
      return known.get();
    }
    RequestContextPolicy.Resolution resolution = policy.resolve(new View(request));
    resolution.setCookie().ifPresent(c -> request.setAttribute(SET_COOKIE_ATTRIBUTE, c));
    request.setAttribute(CONTEXT_ATTRIBUTE, resolution.context());
    return resolution.context();
  }

  /** The request as the policy reads it. */
  private record View(HttpRequest<?> request) implements RequestContextPolicy.RequestView {
    @Override
    public Optional<String> principal() {
      return request.getUserPrincipal().map(Principal::getName);
    }

    @Override
    public Optional<String> header(String name) {
      return Optional.ofNullable(request.getHeaders().get(name));
    }

    @Override
    public Optional<String> cookie(String name) {
      return request.getCookies().findCookie(name).map(Cookie::getValue);
    }

    @Override
    public String remoteAddress() {
      return request.getRemoteAddress().getAddress().getHostAddress();
    }

    @Override
    public boolean secure() {
      return request.isSecure();
    }
  }
}
