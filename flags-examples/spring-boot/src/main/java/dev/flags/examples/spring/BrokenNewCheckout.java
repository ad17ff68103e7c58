package dev.flags.examples.spring;

import dev.flags.core.Flags;
import dev.flags.spring.web.FlagContextResolver;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A deliberately broken release of the new checkout, for the guarded rollout demo
 * (docs/guarded-rollouts.md): with {@code checkout.broken-new-flow=true}, every {@code GET
 * /checkout} of a user who gets the new flow ({@code new_checkout_flow}) fails with an exception,
 * so its answer is a 500, as a bug in the new code would make it. With {@code
 * flags.guarded-rollouts.enabled=true} and a plan on the flag, the service rolls the new flow back
 * by itself. Off by default: the checkout works as ever.
 */
@Component
@ConditionalOnProperty(name = "checkout.broken-new-flow", havingValue = "true")
class BrokenNewCheckout extends OncePerRequestFilter {

  private final Flags flags;
  private final FlagContextResolver users;

  BrokenNewCheckout(Flags flags, FlagContextResolver users) {
    this.flags = flags;
    this.users = users;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().equals("/checkout");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (flags.isEnabled("new_checkout_flow", users.resolve(request, response))) {
      throw new IllegalStateException(
          "the new checkout is broken on purpose (checkout.broken-new-flow=true)");
    }
    chain.doFilter(request, response);
  }
}
