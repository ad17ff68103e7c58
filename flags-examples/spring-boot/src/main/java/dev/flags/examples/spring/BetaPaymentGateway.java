package dev.flags.examples.spring;

import java.util.UUID;
import org.springframework.stereotype.Component;

/** The new gateway, served to the beta users while {@code beta_payment_gateway} is on. */
@Component
class BetaPaymentGateway implements PaymentGateway {

  @Override
  public String name() {
    return "beta";
  }

  @Override
  public Payment charge(String user, long amountCents) {
    return new Payment(name(), "beta-" + UUID.randomUUID(), user, amountCents);
  }
}
