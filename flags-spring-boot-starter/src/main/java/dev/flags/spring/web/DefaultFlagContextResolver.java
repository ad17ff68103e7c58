package dev.flags.spring.web;

import dev.flags.core.EvaluationContext;
import dev.flags.spring.FlagsProperties;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The starter's {@link FlagContextResolver}: security principal, servlet principal, header, then a
 * sticky anonymous id. The context is built once per request and kept as a request attribute.
 */
final class DefaultFlagContextResolver implements FlagContextResolver {

  static final String ATTRIBUTE = FlagContextResolver.class.getName() + ".context";

  /** Ids we generate are UUIDs; anything else in the cookie is ignored and replaced. */
  private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9-]{8,64}");

  private final boolean securityPresent;
  private final String header;
  private final boolean cookieEnabled;
  private final String cookieName;
  private final Duration cookieMaxAge;

  DefaultFlagContextResolver(FlagsProperties.Context properties, boolean securityPresent) {
    this.securityPresent = securityPresent;
    this.header = properties.getHeader();
    this.cookieEnabled = properties.getAnonymousCookie().isEnabled();
    this.cookieName = properties.getAnonymousCookie().getName();
    this.cookieMaxAge = properties.getAnonymousCookie().getMaxAge();
  }

  @Override
  public EvaluationContext resolve(HttpServletRequest request, HttpServletResponse response) {
    Object cached = request.getAttribute(ATTRIBUTE);
    if (cached instanceof EvaluationContext context) {
      return context;
    }
    EvaluationContext context =
        user(request)
            .map(EvaluationContext::of)
            .orElseGet(
                () ->
                    EvaluationContext.builder(anonymousId(request, response))
                        .anonymous(true)
                        .build());
    request.setAttribute(ATTRIBUTE, context);
    return context;
  }

  private Optional<String> user(HttpServletRequest request) {
    if (securityPresent) {
      Optional<String> name = SecurityPrincipals.currentName();
      if (name.isPresent()) {
        return name;
      }
    }
    Principal principal = request.getUserPrincipal();
    if (principal != null && principal.getName() != null && !principal.getName().isEmpty()) {
      return Optional.of(principal.getName());
    }
    if (header != null && !header.isEmpty()) {
      String value = request.getHeader(header);
      if (value != null && !value.isBlank()) {
        return Optional.of(value.trim());
      }
    }
    return Optional.empty();
  }

  private String anonymousId(HttpServletRequest request, HttpServletResponse response) {
    if (!cookieEnabled) {
      return ANONYMOUS_KEY;
    }
    Cookie[] cookies = request.getCookies();
    if (cookies != null) {
      for (Cookie cookie : cookies) {
        if (cookie.getName().equals(cookieName) && VALID_ID.matcher(cookie.getValue()).matches()) {
          return cookie.getValue();
        }
      }
    }
    String id = UUID.randomUUID().toString();
    if (response != null && !response.isCommitted()) {
      Cookie cookie = new Cookie(cookieName, id);
      cookie.setPath("/");
      cookie.setHttpOnly(true);
      cookie.setMaxAge((int) Math.min(Integer.MAX_VALUE, cookieMaxAge.toSeconds()));
      cookie.setSecure(request.isSecure());
      cookie.setAttribute("SameSite", "Lax");
      response.addCookie(cookie);
    }
    return id;
  }
}
