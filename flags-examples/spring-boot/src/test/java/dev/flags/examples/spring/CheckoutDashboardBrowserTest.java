package dev.flags.examples.spring;

import static org.awaitility.Awaitility.await;

import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.examples.testsupport.CheckoutDashboardStories;
import dev.flags.examples.testsupport.CheckoutHttp;
import dev.flags.testsupport.RedisServerProcess;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dashboard inside the Spring Boot checkout service, in Debian's chromium: the service on a
 * real redis-server (seeded from its flag file) with {@code flags.dashboard.enabled=true}, people
 * signed in through Spring Security's form login ({@link DashboardSignIn}), and the stories of
 * {@link CheckoutDashboardStories}, the same the Micronaut example runs: what the dashboard
 * changes, the service's own HTTP answers show.
 */
@Import(DashboardSignIn.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "flags.store=redis",
      "flags.dashboard.enabled=true",
      "flags.dashboard.environment=" + CheckoutDashboardStories.ENVIRONMENT,
      DashboardSignIn.SWITCH + "=true"
    })
@DirtiesContext // stop the client before the redis-server goes away at the end of the run
class CheckoutDashboardBrowserTest extends CheckoutDashboardStories {

  static final RedisServerProcess REDIS = RedisServerProcess.start();

  private static final List<String> SEEDED =
      List.of("new_checkout_flow", "new_ui_layout", "beta_payment_gateway", "summer_sale_banner");

  @DynamicPropertySource
  static void redis(DynamicPropertyRegistry registry) {
    registry.add("flags.redis.url", REDIS::uri);
  }

  @LocalServerPort int port;

  @Autowired Flags flags;

  @Autowired FlagAdmin admin;

  private CheckoutHttp http;

  @BeforeEach
  void seeded() {
    // The service seeds Redis from its flag file once Redis answers.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> flags.allFlags().stream().map(Flag::key).toList().containsAll(SEEDED));
    http = new CheckoutHttp(port);
  }

  @Override
  protected URI base() {
    return URI.create("http://127.0.0.1:" + port);
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
