package dev.flags.micronaut;

import io.micronaut.context.annotation.Requires;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.SecurityFilter;
import jakarta.inject.Singleton;
import java.security.Principal;

/**
 * micronaut-security in the application: it authenticates callers, and a caller's roles are its
 * {@link Authentication#getRoles()}. A bean only when micronaut-security is on the classpath and
 * switched on ({@code micronaut.security.enabled}), which Micronaut decides from {@code @Requires}
 * at build time: no class is looked up at run time. Stateless, thread-safe.
 */
@Singleton
@Requires(classes = {Authentication.class, SecurityFilter.class})
@Requires(beans = SecurityFilter.class)
final class SecurityRoles {

  /** Whether the caller holds the role. */
  boolean holds(Principal principal, String role) {
    return principal instanceof Authentication a && a.getRoles().contains(role);
  }
}
