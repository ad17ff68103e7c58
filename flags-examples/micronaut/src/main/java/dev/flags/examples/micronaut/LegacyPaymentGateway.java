package dev.flags.examples.micronaut;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicLong;

/** The gateway everyone used before the beta: what users get when the kill switch is off. */
@Singleton
public class LegacyPaymentGateway implements PaymentGateway {

  private final AtomicLong ids = new AtomicLong();

  @Override
  public String name() {
    return "legacy";
  }

  @Override
  public Payment charge(String user, long amountCents) {
    return new Payment(name(), "legacy-" + ids.incrementAndGet(), user, amountCents);
  }
}
