package dev.flags.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.GuardedRollout;
import dev.flags.core.JsonValue;
import dev.flags.core.Serve;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.VersionedFlag;
import dev.flags.core.json.FlagCodec;
import dev.flags.examples.testsupport.CheckoutHttp;
import dev.flags.testsupport.RedisServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 16's end-to-end story: a deliberately broken new checkout ({@code
 * checkout.broken-new-flow=true}: every request served the new flow answers 500) is rolled out by a
 * guarded plan attached through the admin API, and the service rolls it back by itself from its own
 * 5xx responses — no code of the application reports anything: the starter's filter counts each
 * request, the controller in the service judges them. On Redis, over real HTTP, with a clock 20
 * times faster than real time (a 10-second hold is half a real second), as flags-redis's
 * GuardedRolloutsTest runs.
 */
@Import(BrokenCheckoutRollsItselfBackTest.FastClock.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "flags.store=redis",
      "checkout.broken-new-flow=true",
      "flags.guarded-rollouts.enabled=true",
      "flags.guarded-rollouts.check-interval=20ms",
      "flags.guarded-rollouts.outcome-flush-interval=50ms"
    })
@DirtiesContext // stop the client before the redis-server goes away at the end of the run
class BrokenCheckoutRollsItselfBackTest {

  static final RedisServerProcess REDIS = RedisServerProcess.start();

  static final String FLAG = "new_checkout_flow";

  @DynamicPropertySource
  static void redis(DynamicPropertyRegistry registry) {
    registry.add("flags.redis.url", REDIS::uri);
  }

  /**
   * The story's day, running 20 times faster than real time: the client stamps outcomes with it,
   * and the controller, seeing a clock that is not the system's, measures holds with it too.
   */
  @TestConfiguration(proxyBeanMethods = false)
  static class FastClock {
    @Bean
    Clock clock() {
      long startMillis = StoryClock.TODAY.toEpochMilli();
      long startNanos = System.nanoTime();
      return new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public long millis() {
          return startMillis + (System.nanoTime() - startNanos) / 1_000_000 * 20;
        }

        @Override
        public Instant instant() {
          return Instant.ofEpochMilli(millis());
        }
      };
    }
  }

  @LocalServerPort int port;

  @Autowired Flags flags;

  @Autowired FlagAdmin admin;

  @Test
  void aBrokenNewCheckoutIsRolledBackByItsOwn5xxResponses() throws Exception {
    CheckoutHttp http = new CheckoutHttp(port);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> flags.flag(FLAG).isPresent() && admin.get(FLAG).isPresent());

    // The operator attaches a plan through the admin API: 10% → 50% → 100%, 10 s each, judged on
    // 20 requests per variation; the new flow starts from nobody.
    VersionedFlag seeded = admin.get(FLAG).orElseThrow();
    List<GuardedRollout.Step> steps =
        List.of(
            new GuardedRollout.Step(10, Duration.ofSeconds(10), 20),
            new GuardedRollout.Step(50, Duration.ofSeconds(10), 20),
            new GuardedRollout.Step(100, Duration.ofSeconds(10), 20));
    Flag planned =
        seeded.flag().toBuilder()
            .fallthroughVariation(0)
            .guardedRollout(
                new GuardedRollout(
                    1,
                    0,
                    steps,
                    new GuardedRollout.Guard(0.001, 0, 20, Optional.empty(), Optional.empty()),
                    GuardedRollout.OnTrip.ROLLBACK))
            .build();
    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/flags/api/flags/" + FLAG))
                    .header("Content-Type", "application/json")
                    .header("If-Match", "\"" + seeded.version() + "\"")
                    .header(
                        "Authorization",
                        "Basic "
                            + Base64.getEncoder()
                                .encodeToString("ops:ops".getBytes(StandardCharsets.UTF_8)))
                    .PUT(HttpRequest.BodyPublishers.ofString(FlagCodec.standard().encode(planned)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

    // Shoppers keep coming; those the plan gives the new flow get 500s.
    AtomicBoolean shopping = new AtomicBoolean(true);
    AtomicInteger served = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    Thread shoppers =
        new Thread(
            () -> {
              for (int i = 0; shopping.get(); i = (i + 1) % 400) {
                int status = http.get("/checkout", "shopper-" + i).statusCode();
                (status >= 500 ? failed : served).incrementAndGet();
              }
            },
            "shoppers");
    shoppers.setDaemon(true);
    shoppers.start();
    AuditEntry rollback;
    try {
      rollback =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> admin.audit(AuditQuery.builder().flag(FLAG).limit(1).build()).get(0),
                  e -> e.actor().equals("guarded-rollout") && e.reason().contains("guard tripped"));
    } finally {
      shopping.set(false);
      shoppers.join(10_000);
    }
    System.out.printf(
        "broken new checkout rolled back after %d failed and %d served requests: %s%n",
        failed.get(), served.get(), rollback.reason());
    assertThat(failed.get()).as("the broken flow was served, and failed").isPositive();
    assertThat(rollback.reason())
        .contains("step 1 (10%)")
        .contains("new variation 1:")
        .contains("rolled back to variation 0");

    // The flag serves the old flow to everybody again (0%), and says so through the admin API.
    VersionedFlag after = admin.get(FLAG).orElseThrow();
    assertThat(after.flag().fallthrough()).isEqualTo(new Serve.Variation(0));
    HttpResponse<String> shown = http.getAs("/flags/api/flags/" + FLAG, "ops:ops");
    assertThat(((JsonValue.Obj) CheckoutHttp.json(shown.body())).members().get("definition"))
        .satisfies(
            d ->
                assertThat(((JsonValue.Obj) d).members().get("fallthrough"))
                    .isEqualTo(JsonValue.from(java.util.Map.of("variation", 0))));

    // Once the service has the rolled-back flag, no user gets the new flow: a thousand checkouts
    // all answer 200 with the classic one.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> flags.flag(FLAG).orElseThrow().version() == after.version());
    assertThat(http.canaryUsers()).isEmpty();
  }
}
