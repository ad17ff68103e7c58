package dev.flags.examples.micronaut;

import io.micronaut.serde.annotation.Serdeable;

/**
 * Takes payments. Two implementations exist side by side; the {@code beta_payment_gateway} flag
 * picks one on every call ({@link PaymentGatewaySwitch}). Implementations are thread-safe.
 */
public interface PaymentGateway {

  /** The gateway's name, as shown in the checkout's answers. */
  String name();

  /** Charges {@code amountCents} to {@code user}. */
  Payment charge(String user, long amountCents);

  /**
   * A payment taken.
   *
   * @param gateway the gateway that took it
   * @param id its id at the gateway
   * @param user who paid
   * @param amountCents how much
   */
  @Serdeable
  record Payment(String gateway, String id, String user, long amountCents) {}
}
