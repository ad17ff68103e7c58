package dev.flags.spring.web;

import java.util.Optional;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The Spring Security principal. Only loaded when Spring Security is on the classpath (it is an
 * optional dependency): callers check first.
 */
final class SecurityPrincipals {

  static final String SECURITY_CONTEXT_HOLDER =
      "org.springframework.security.core.context.SecurityContextHolder";

  private SecurityPrincipals() {}

  /** The authenticated, non-anonymous principal's name. */
  static Optional<String> currentName() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication == null
        || !authentication.isAuthenticated()
        || authentication instanceof AnonymousAuthenticationToken) {
      return Optional.empty();
    }
    String name = authentication.getName();
    return name == null || name.isEmpty() ? Optional.empty() : Optional.of(name);
  }
}
