package dev.flags.examples.spring;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import dev.flags.spring.web.FlagContextResolver;
import dev.flags.spring.web.FlagGuard;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The checkout API: which flow, gateway and layout the caller gets. The caller is who the starter's
 * {@link FlagContextResolver} says: the {@code X-User-Id} header (or {@code ?user=}, see {@link
 * UserParameterFilter}), else an anonymous visitor kept by a cookie.
 */
// tag::spring-quick-start[]
@RestController
class CheckoutController {

  private final Flags flags; // auto-configured from the flags.* properties
  private final FlagContextResolver users; // who this request is for
  private final PaymentGateway gateway; // the FlagSwitch: beta or legacy, per call

  CheckoutController(Flags flags, FlagContextResolver users, PaymentGateway gateway) {
    this.flags = flags;
    this.users = users;
    this.gateway = gateway;
  }

  @GetMapping("/checkout")
  Checkout checkout() {
    EvaluationContext user = users.current();
    return new Checkout(
        user.key(),
        flags.isEnabled("new_checkout_flow", user) ? "new" : "classic", // the 10% canary
        gateway.name(), // "beta" or "legacy"
        flags.isEnabled("new_ui_layout", user) ? "dark" : "light",
        flags.isEnabled("summer_sale_banner", user)); // past its kill date
  }

  @FlagGuard("new_checkout_flow") // 404 for the users outside the canary
  @GetMapping("/checkout/v2")
  Map<String, String> newCheckout() {
    return Map.of("flow", "new", "user", users.current().key());
  }
}
// end::spring-quick-start[]
