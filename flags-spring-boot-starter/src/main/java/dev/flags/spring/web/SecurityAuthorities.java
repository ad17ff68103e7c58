package dev.flags.spring.web;

import dev.flags.dashboard.Dashboard;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.csrf.CsrfToken;

/**
 * Spring Security, when the application has it: whether a principal holds an authority named
 * exactly as a role ({@code FLAGS_EDITOR}), besides the {@code ROLE_FLAGS_EDITOR} the servlet's
 * {@code isUserInRole} finds; and the request's CSRF token. Loaded only when Spring Security is on
 * the classpath (an optional dependency).
 */
final class SecurityAuthorities {

  static final String AUTHENTICATION = "org.springframework.security.core.Authentication";

  static final String CSRF_TOKEN = "org.springframework.security.web.csrf.CsrfToken";

  private SecurityAuthorities() {}

  /** Spring Security's CSRF token of the request, when its CSRF protection is on. */
  static Optional<Dashboard.HiddenField> csrf(HttpServletRequest request) {
    if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
      return Optional.of(new Dashboard.HiddenField(token.getParameterName(), token.getToken()));
    }
    return Optional.empty();
  }

  static boolean holds(Principal principal, String role) {
    if (!(principal instanceof Authentication authentication)) {
      return false;
    }
    for (GrantedAuthority a : authentication.getAuthorities()) {
      if (role.equals(a.getAuthority())) {
        return true;
      }
    }
    return false;
  }
}
