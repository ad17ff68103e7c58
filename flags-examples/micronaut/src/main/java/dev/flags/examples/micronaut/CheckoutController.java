package dev.flags.examples.micronaut;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import dev.flags.micronaut.FlagGuarded;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.Map;

/**
 * The checkout API: which flow, gateway and layout the caller gets. The caller is who
 * flags-micronaut says: the {@code X-User-Id} header (or {@code ?user=}, see {@link
 * UserParameterFilter}), else an anonymous visitor kept by a cookie.
 */
// tag::micronaut-quick-start[]
@Controller("/checkout")
public class CheckoutController {

  private final Flags flags; // created from the flags.* configuration
  private final PaymentGateway gateway; // the @FlagSwitch: beta or legacy, per call

  CheckoutController(Flags flags, PaymentGateway gateway) {
    this.flags = flags;
    this.gateway = gateway;
  }

  @Get
  public Checkout checkout(EvaluationContext user) { // who this request is for
    return new Checkout(
        user.key(),
        flags.isEnabled("new_checkout_flow", user) ? "new" : "classic", // the 10% canary
        gateway.name(), // "beta" or "legacy"
        flags.isEnabled("new_ui_layout", user) ? "dark" : "light",
        flags.isEnabled("summer_sale_banner", user)); // past its kill date
  }

  @Get("/v2")
  @FlagGuarded("new_checkout_flow") // 404 for the users outside the canary
  public Map<String, String> newCheckout(EvaluationContext user) {
    return Map.of("flow", "new", "user", user.key());
  }
}
// end::micronaut-quick-start[]
