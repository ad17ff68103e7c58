package dev.flags.examples.micronaut;

import jakarta.inject.Singleton;
import java.util.UUID;

/** The new gateway, served to the beta users while {@code beta_payment_gateway} is on. */
@Singleton
public class BetaPaymentGateway implements PaymentGateway {

  @Override
  public String name() {
    return "beta";
  }

  @Override
  public Payment charge(String user, long amountCents) {
    return new Payment(name(), "beta-" + UUID.randomUUID(), user, amountCents);
  }
}
