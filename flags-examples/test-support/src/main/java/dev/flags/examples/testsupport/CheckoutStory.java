package dev.flags.examples.testsupport;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The users and flags of the checkout story, as the client of the service under test sees them.
 * Stateless and thread-safe.
 */
public final class CheckoutStory {

  /** The 500 beta users the shipped {@code beta_payment_gateway} targets by id. */
  public static final List<String> BETA_USERS =
      IntStream.rangeClosed(1, 500).mapToObj(i -> String.format("beta-user-%03d", i)).toList();

  private CheckoutStory() {}

  /**
   * The first of user-1 … user-100 for whom {@code flagKey} is {@code on}, as the client sees it.
   */
  public static String firstUser(Flags flags, String flagKey, boolean on) {
    return IntStream.rangeClosed(1, 100)
        .mapToObj(i -> "user-" + i)
        .filter(u -> flags.isEnabled(flagKey, EvaluationContext.of(u)) == on)
        .findFirst()
        .orElseThrow();
  }

  /**
   * How many of user-1 … user-{@value CheckoutHttp#USERS} get the new checkout, as the client sees
   * it.
   */
  public static long canaryUsers(Flags flags) {
    return IntStream.rangeClosed(1, CheckoutHttp.USERS)
        .filter(i -> flags.isEnabled("new_checkout_flow", EvaluationContext.of("user-" + i)))
        .count();
  }

  /**
   * The canary's share of user-1 … user-1000 as the client sees it, to the nearest 5%: 10, 25, 50
   * or 100.
   */
  public static long canaryPercent(Flags flags) {
    return Math.round(canaryUsers(flags) * 100.0 / CheckoutHttp.USERS / 5) * 5;
  }

  /**
   * Whether the client serves the beta gateway to {@code beta-user-001}, as the shipped flags do.
   */
  public static boolean betaGatewayOn(Flags flags) {
    return flags.isEnabled("beta_payment_gateway", EvaluationContext.of("beta-user-001"));
  }
}
