package dev.flags.examples.spring;

import dev.flags.spring.web.FlagContextResolver;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Takes a payment through whichever gateway {@code beta_payment_gateway} picks for the caller. */
@RestController
class PaymentController {

  private final FlagContextResolver users;
  private final PaymentGateway gateway;

  PaymentController(FlagContextResolver users, PaymentGateway gateway) {
    this.users = users;
    this.gateway = gateway;
  }

  @PostMapping("/checkout/pay")
  PaymentGateway.Payment pay(@RequestParam(defaultValue = "4200") long amountCents) {
    return gateway.charge(users.current().key(), amountCents);
  }
}
