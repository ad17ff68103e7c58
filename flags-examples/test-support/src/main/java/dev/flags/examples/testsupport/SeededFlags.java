package dev.flags.examples.testsupport;

import static org.awaitility.Awaitility.await;

import dev.flags.core.Flags;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.VersionedFlag;
import java.time.Duration;

/**
 * The two flags the Redis tests change ({@code new_checkout_flow}, {@code beta_payment_gateway}) as
 * the service seeded them, put back after each test so the next one starts from the shipped story.
 * Not thread-safe: one per test.
 */
public final class SeededFlags {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final FlagAdmin admin;
  private final Flags flags;
  private final VersionedFlag checkout;
  private final VersionedFlag gateway;

  private SeededFlags(FlagAdmin admin, Flags flags) {
    this.admin = admin;
    this.flags = flags;
    this.checkout = admin.get("new_checkout_flow").orElseThrow();
    this.gateway = admin.get("beta_payment_gateway").orElseThrow();
  }

  /** Waits until the client serves the seeded flags, then remembers them. */
  public static SeededFlags whenServed(FlagAdmin admin, Flags flags) {
    await().atMost(WAIT).until(() -> CheckoutStory.betaGatewayOn(flags));
    return new SeededFlags(admin, flags);
  }

  /** Writes the remembered flags back and waits until the client serves them. */
  public void restore() {
    admin.replace(checkout.flag(), Change.by("test").because("restore"));
    admin.replace(gateway.flag(), Change.by("test").because("restore"));
    await()
        .atMost(WAIT)
        .until(
            () ->
                flags
                    .flag("new_checkout_flow")
                    .orElseThrow()
                    .fallthrough()
                    .equals(checkout.flag().fallthrough()));
    await().atMost(WAIT).until(() -> CheckoutStory.betaGatewayOn(flags));
  }

  /** The newest audit entry of {@code flagKey}. */
  public static AuditEntry lastAudit(FlagAdmin admin, String flagKey) {
    return admin.audit(AuditQuery.builder().flag(flagKey).limit(1).build()).get(0);
  }
}
