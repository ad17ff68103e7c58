package dev.flags.examples.micronaut;

import dev.flags.core.EvaluationContext;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;

/** Takes a payment through whichever gateway {@code beta_payment_gateway} picks for the caller. */
@Controller("/checkout/pay")
public class PaymentController {

  private final PaymentGateway gateway;

  PaymentController(PaymentGateway gateway) {
    this.gateway = gateway;
  }

  @Post
  public PaymentGateway.Payment pay(
      EvaluationContext user, @QueryValue(defaultValue = "4200") long amountCents) {
    return gateway.charge(user.key(), amountCents);
  }
}
