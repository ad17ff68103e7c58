package dev.flags.examples.micronaut;

import dev.flags.micronaut.FlagSwitch;
import io.micronaut.context.annotation.Primary;

/**
 * What {@code PaymentGateway} injection points get: the beta gateway while {@code
 * beta_payment_gateway} is on for the caller, the legacy one otherwise, decided on every call.
 */
// tag::micronaut-quick-start-switch[]
@Primary
@FlagSwitch(
    value = "beta_payment_gateway",
    on = BetaPaymentGateway.class,
    off = LegacyPaymentGateway.class)
public interface PaymentGatewaySwitch extends PaymentGateway {}
// end::micronaut-quick-start-switch[]
