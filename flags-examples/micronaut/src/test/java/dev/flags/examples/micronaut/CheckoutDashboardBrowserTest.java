package dev.flags.examples.micronaut;

import static org.awaitility.Awaitility.await;

import dev.flags.core.Flags;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.examples.testsupport.CheckoutDashboardStories;
import dev.flags.examples.testsupport.CheckoutHttp;
import dev.flags.testsupport.RedisServerProcess;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/**
 * The dashboard inside the Micronaut checkout service, in Debian's chromium: the service on a real
 * redis-server (seeded from its flag file) with {@code flags.dashboard.enabled=true}, people signed
 * in through micronaut-security's cookie login ({@link DashboardTestLoginPage}, {@link
 * DashboardTestUsers}), and the stories of {@link CheckoutDashboardStories}: what the dashboard
 * changes, the service's own HTTP answers show.
 */
@MicronautTest
class CheckoutDashboardBrowserTest extends CheckoutDashboardStories
    implements TestPropertyProvider {

  // Stopped by its shutdown hook at the end of the run, after the application context.
  private final RedisServerProcess redis = RedisServerProcess.start();

  @Inject EmbeddedServer server;

  @Inject Flags flags;

  @Inject FlagAdmin admin;

  private static final List<String> SEEDED =
      List.of("new_checkout_flow", "new_ui_layout", "beta_payment_gateway", "summer_sale_banner");

  private CheckoutHttp http;

  @Override
  public Map<String, String> getProperties() {
    return Map.ofEntries(
        Map.entry("flags.store", "redis"),
        Map.entry("flags.redis.url", redis.uri()),
        Map.entry("micronaut.server.port", "-1"),
        Map.entry("flags.dashboard.enabled", "true"),
        Map.entry("flags.dashboard.environment", ENVIRONMENT),
        Map.entry(DashboardTestUsers.SWITCH, "true"),
        // micronaut-security-jwt's cookie login: POST /login sets a signed cookie.
        Map.entry("micronaut.security.authentication", "cookie"),
        Map.entry(
            "micronaut.security.token.jwt.signatures.secret.generator.secret",
            "a-test-only-secret-of-at-least-256-bits-for-hs256"),
        Map.entry("micronaut.security.redirect.login-success", "/flags/"),
        Map.entry("micronaut.security.redirect.login-failure", "/login?failed"));
  }

  @BeforeEach
  void seeded() {
    // The service seeds Redis from its flag file once Redis answers.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                flags.allFlags().stream()
                    .map(dev.flags.core.Flag::key)
                    .toList()
                    .containsAll(SEEDED));
    http = new CheckoutHttp(server.getPort());
  }

  @Override
  protected URI base() {
    return URI.create("http://127.0.0.1:" + server.getPort());
  }

  @Override
  protected FlagAdmin admin() {
    return admin;
  }

  @Override
  protected CheckoutHttp checkout() {
    return http;
  }
}
