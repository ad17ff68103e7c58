package dev.flags.spring.web;

import java.security.Principal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Whether a Spring Security principal holds an authority named exactly as a role ({@code
 * FLAGS_EDITOR}), besides the {@code ROLE_FLAGS_EDITOR} the servlet's {@code isUserInRole} finds.
 * Loaded only when Spring Security is on the classpath (an optional dependency).
 */
final class SecurityAuthorities {

  static final String AUTHENTICATION = "org.springframework.security.core.Authentication";

  private SecurityAuthorities() {}

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
