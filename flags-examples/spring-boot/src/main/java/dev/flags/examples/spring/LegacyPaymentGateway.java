package dev.flags.examples.spring;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/** The gateway everyone used before the beta: what users get when the kill switch is off. */
@Component
class LegacyPaymentGateway implements PaymentGateway {

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
