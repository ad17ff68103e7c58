package dev.flags.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.Flags;
import dev.flags.core.JsonValue;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.FlagRecord;
import dev.flags.examples.testsupport.CheckoutHttp;
import dev.flags.examples.testsupport.CheckoutStory;
import dev.flags.examples.testsupport.SeededFlags;
import dev.flags.testsupport.RedisServerProcess;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import redis.clients.jedis.Jedis;

/**
 * The checkout service as the README runs it on Redis ({@code --flags.store=redis}), against a real
 * redis-server started for this test, over real HTTP: seeded from the flag file, ramped through the
 * actuator, killed with a raw {@code SET}, audited.
 */
// flags.store=redis as the README passes it (a test property, like a command-line argument, is
// there when the profiles are chosen, which a @DynamicPropertySource is not).
@Import(StoryClock.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "flags.store=redis")
@DirtiesContext // stop the client before the redis-server goes away at the end of the run
class CheckoutRedisTest {

  static final RedisServerProcess REDIS = RedisServerProcess.start();

  @DynamicPropertySource
  static void redis(DynamicPropertyRegistry registry) {
    registry.add("flags.redis.url", REDIS::uri);
  }

  @LocalServerPort int port;

  @Autowired Flags flags;

  @Autowired FlagAdmin admin;

  CheckoutHttp http;
  private static Set<String> canaryAt10;
  private SeededFlags seeded;

  @BeforeEach
  void client() {
    http = new CheckoutHttp(port);
    seeded = SeededFlags.whenServed(admin, flags);
  }

  /** Puts back the seeded flags, so each test starts from the shipped story. */
  @AfterEach
  void restore() {
    seeded.restore();
  }

  @Test
  void theFlagFileSeedsRedisAndTheAuditSaysSo() {
    assertThat(admin.list())
        .extracting(FlagRecord::key)
        .containsExactlyInAnyOrder(
            "new_checkout_flow", "new_ui_layout", "beta_payment_gateway", "summer_sale_banner");
    assertThat(
            admin.audit(
                AuditQuery.builder()
                    .flag("beta_payment_gateway")
                    .limit(AuditQuery.MAX_LIMIT)
                    .build()))
        .last() // the oldest
        .satisfies(e -> assertThat(e.actor()).isEqualTo(RedisSeeder.ACTOR));
  }

  @Test
  void sameUserSameAnswerAndAboutTenPercentOfAThousandUsersGetTheCanary() {
    Map<String, String> first = http.checkout("user-42");
    assertThat(http.checkout("user-42")).isEqualTo(first);
    assertThat(http.checkout("beta-user-250")).containsEntry("gateway", "beta");

    Set<String> canary = canaryAt10Percent();
    System.out.println(
        "new_checkout_flow at 10% (Redis): "
            + canary.size()
            + " of "
            + CheckoutHttp.USERS
            + " users");
    assertThat(canary.size()).isBetween(80, 120);
  }

  @Test
  void rampingThroughTheActuatorOnlyAddsUsersAndTheAuditNamesWhoDidIt() {
    Set<String> earlier = canaryAt10Percent();
    int previous = 10;
    for (int percent : new int[] {25, 50, 100}) {
      HttpResponse<String> ramp =
          http.post(
              "/actuator/flags/new_checkout_flow",
              "{\"rolloutPercentage\": "
                  + percent
                  + ", \"reason\": \"canary healthy: 0 errors in 1h\"}",
              "ops:ops");
      assertThat(ramp.statusCode()).as(ramp.body()).isEqualTo(200);
      int floor = percent == 100 ? CheckoutHttp.USERS : percent * 10 - 40;
      await().atMost(Duration.ofSeconds(5)).until(() -> CheckoutStory.canaryUsers(flags) >= floor);

      Set<String> now = http.canaryUsers();
      System.out.println(
          "new_checkout_flow at "
              + percent
              + "% (Redis): "
              + now.size()
              + " of "
              + CheckoutHttp.USERS
              + " users");
      assertThat(now)
          .as("every user of the previous step stays in at %d%%", percent)
          .containsAll(earlier);
      if (percent == 100) {
        assertThat(now).hasSize(CheckoutHttp.USERS);
      } else {
        assertThat(now.size()).isBetween(percent * 10 - 40, percent * 10 + 40);
      }

      AuditEntry last = lastAudit("new_checkout_flow");
      assertThat(last.actor()).isEqualTo("ops");
      assertThat(last.reason()).isEqualTo("canary healthy: 0 errors in 1h");
      assertThat(last.before().orElseThrow()).contains("\"weight\":" + previous * 1000);
      assertThat(last.after().orElseThrow()).contains("\"weight\":" + percent * 1000);
      earlier = now;
      previous = percent;
    }

    List<JsonValue> shown =
        ((JsonValue.Arr) CheckoutHttp.json(http.get("/audit?flag=new_checkout_flow", null).body()))
            .elements();
    assertThat(((JsonValue.Obj) shown.get(shown.size() - 1)).members())
        .containsEntry("actor", JsonValue.of("ops"))
        .containsEntry("reason", JsonValue.of("canary healthy: 0 errors in 1h"));
  }

  @Test
  void aRawRedisSetTurnsTheBetaGatewayOffForEveryoneWithinASecond() {
    assertThat(http.checkout("beta-user-001")).containsEntry("gateway", "beta");

    long start = System.nanoTime();
    try (Jedis jedis = REDIS.jedis()) {
      jedis.set("feature:beta_payment_gateway", "false"); // what `redis-cli SET` does
    }
    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> http.checkout("beta-user-001").get("gateway").equals("legacy"));
    System.out.printf(
        "raw SET seen by the service after %d ms%n", (System.nanoTime() - start) / 1_000_000);

    http.checkoutAll(CheckoutStory.BETA_USERS)
        .forEach(
            (user, checkout) -> assertThat(checkout.get("gateway")).as(user).isEqualTo("legacy"));
    AuditEntry raw = lastAudit("beta_payment_gateway");
    assertThat(raw.actor()).isEqualTo(AuditEntry.RAW_EDIT_ACTOR);
    assertThat(raw.after()).contains("false");
  }

  @Test
  void theFlagPastItsKillDateIsReported() {
    JsonValue.Obj body =
        (JsonValue.Obj) CheckoutHttp.json(http.get("/actuator/flags", null).body());
    assertThat(body.members())
        .containsEntry("pastKillDate", JsonValue.of(1))
        .containsEntry("storeStatus", JsonValue.of("OK"));
    assertThat(flags.flagsPastKillDate())
        .extracting(f -> f.key())
        .containsExactly("summer_sale_banner");
  }

  @Test
  void flagWritesNeedTheOpsLogin() {
    assertThat(
            http.post("/actuator/flags/beta_payment_gateway", "{\"on\": false}", null).statusCode())
        .isEqualTo(401);
    assertThat(
            http.post("/actuator/flags/beta_payment_gateway", "{\"on\": false}", "ops:wrong")
                .statusCode())
        .isEqualTo(401);
    assertThat(admin.get("beta_payment_gateway").orElseThrow().flag().on()).isTrue();
  }

  /** The users of the seeded 10% canary, over HTTP; asked once (a thousand requests). */
  private Set<String> canaryAt10Percent() {
    if (canaryAt10 == null) {
      canaryAt10 = http.canaryUsers();
    }
    return canaryAt10;
  }

  private AuditEntry lastAudit(String flagKey) {
    return SeededFlags.lastAudit(admin, flagKey);
  }
}
