package dev.flags.micronaut;

import dev.flags.core.EvaluationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.http.cookie.Cookie;
import jakarta.inject.Singleton;
import java.security.Principal;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The evaluation context of an HTTP request, by the first that applies:
 *
 * <ol>
 *   <li>the authenticated user, {@link HttpRequest#getUserPrincipal()}: micronaut-security sets it
 *       when present, and any filter may;
 *   <li>the header {@code flags.context.header} ({@code X-User-Id});
 *   <li>the cookie {@code flags.context.anonymous-cookie.name} ({@code flags_visitor}), an
 *       anonymous context; when the request has none, a random key is generated and {@link
 *       AnonymousCookieFilter} sets the cookie on the response, so the visitor keeps the same
 *       buckets on the next requests. With {@code flags.context.anonymous-cookie.enabled=false},
 *       every anonymous visitor shares the key {@value #ANONYMOUS_KEY}.
 * </ol>
 *
 * <p>Computed once per request, on first use, and kept as a request attribute. The default {@link
 * EvaluationContextProvider} answers with it; a replacement provider can start from it to add
 * attributes. Thread-safe.
 */
@Singleton
@Requires(beans = FlagsConfiguration.class)
public final class RequestEvaluationContexts {

  /** The request attribute holding the resolved context. */
  public static final String CONTEXT_ATTRIBUTE = "dev.flags.micronaut.context";

  /** The request attribute holding a newly generated anonymous key, to be sent as a cookie. */
  static final String NEW_ANONYMOUS_KEY_ATTRIBUTE = "dev.flags.micronaut.new-anonymous-key";

  /** The key every anonymous visitor shares when the anonymous cookie is disabled. */
  public static final String ANONYMOUS_KEY = "anonymous";

  /** Immutable, so one instance serves every call outside a request. */
  private static final EvaluationContext BACKGROUND =
      EvaluationContext.builder(EvaluationContextProvider.BACKGROUND_KEY).anonymous(true).build();

  private static final EvaluationContext SHARED_ANONYMOUS =
      EvaluationContext.builder(ANONYMOUS_KEY).anonymous(true).build();

  private final String header;
  private final boolean cookieEnabled;
  private final String cookie;
  private final Duration cookieMaxAge;

  RequestEvaluationContexts(FlagsConfiguration config) {
    this.header = config.getContext().getHeader();
    this.cookieEnabled = config.getContext().getAnonymousCookie().isEnabled();
    this.cookie = config.getContext().getAnonymousCookie().getName();
    this.cookieMaxAge = config.getContext().getAnonymousCookie().getMaxAge();
  }

  /**
   * The context of the current HTTP request, or outside one an anonymous context with the key
   * {@value EvaluationContextProvider#BACKGROUND_KEY}.
   */
  public EvaluationContext current() {
    Optional<HttpRequest<Object>> request = ServerRequestContext.currentRequest();
    return request.isPresent() ? resolve(request.get()) : background();
  }

  /** The context of this request; computed on first call and then kept on the request. */
  public EvaluationContext resolve(HttpRequest<?> request) {
    Optional<EvaluationContext> known =
        request.getAttribute(CONTEXT_ATTRIBUTE, EvaluationContext.class);
    if (known.isPresent()) {
      return known.get();
    }
    EvaluationContext context = compute(request);
    request.setAttribute(CONTEXT_ATTRIBUTE, context);
    return context;
  }

  /** The name of the anonymous-visitor cookie. */
  String cookieName() {
    return cookie;
  }

  /** How long the anonymous-visitor cookie lives. */
  Duration cookieMaxAge() {
    return cookieMaxAge;
  }

  private EvaluationContext compute(HttpRequest<?> request) {
    Optional<Principal> principal = request.getUserPrincipal();
    if (principal.isPresent()
        && principal.get().getName() != null
        && !principal.get().getName().isEmpty()) {
      return EvaluationContext.builder(principal.get().getName()).build();
    }
    String fromHeader = request.getHeaders().get(header);
    if (fromHeader != null && !fromHeader.isBlank()) {
      return EvaluationContext.builder(fromHeader.trim()).build();
    }
    if (!cookieEnabled) {
      return SHARED_ANONYMOUS;
    }
    Optional<String> fromCookie =
        request.getCookies().findCookie(cookie).map(Cookie::getValue).filter(v -> !v.isBlank());
    String key;
    if (fromCookie.isPresent()) {
      key = fromCookie.get();
    } else {
      key = UUID.randomUUID().toString();
      request.setAttribute(NEW_ANONYMOUS_KEY_ATTRIBUTE, key);
    }
    return EvaluationContext.builder(key).anonymous(true).build();
  }

  static EvaluationContext background() {
    return BACKGROUND;
  }
}
