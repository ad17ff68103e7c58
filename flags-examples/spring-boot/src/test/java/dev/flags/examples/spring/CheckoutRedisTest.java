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
 * admin API, killed with a raw {@code SET}, audited.
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
  void rampingThroughTheAdminApiOnlyAddsUsersAndTheAuditNamesWhoDidIt() {
    Set<String> earlier = canaryAt10Percent();
    int previous = 10;
    for (int percent : new int[] {25, 50, 100}) {
      HttpResponse<String> ramp =
          http.put(
              "/flags/api/flags/new_checkout_flow/rollout",
              "{\"percentage\": " + percent + ", \"reason\": \"canary healthy: 0 errors in 1h\"}",
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
  void anMd5FlagRampedThroughTheAdminApiServesWhatTheArticlesSnippetServes() throws Exception {
    // Issue 18, item 3: a team coming from the snippet
    //   int(md5(f"{user_id}-{feature_name}").hexdigest(), 16) % 100 < percentage
    // moves its flag here with md5-percent-compat (salt = feature_name, the flag key here) and
    // ramps it through the admin API: every step serves exactly the snippet's users.
    String key = "md5_checkout";
    String flag =
        "{\"key\": \"md5_checkout\", \"variations\": [false, true], \"fallthrough\": {\"rollout\":"
            + " {\"algorithm\": \"md5-percent-compat\", \"weights\": [{\"variation\": 1, \"weight\":"
            + " 10000}, {\"variation\": 0, \"weight\": 90000}]}}}";
    HttpResponse<String> created = http.post("/flags/api/flags", flag, "ops:ops");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    try {
      long version = 1;
      for (int percent : new int[] {10, 25, 50, 75}) {
        if (percent != 10) {
          HttpResponse<String> ramp =
              http.put(
                  "/flags/api/flags/" + key + "/rollout",
                  "{\"percentage\": " + percent + "}",
                  "ops:ops");
          assertThat(ramp.statusCode()).as(ramp.body()).isEqualTo(200);
          version++;
        }
        long expected = version;
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> flags.flag(key).map(f -> f.version() == expected).orElse(false));
        int in = 0;
        for (int i = 1; i <= 1000; i++) {
          String user = "user-" + i;
          boolean snippet = snippet(user, key, percent);
          assertThat(flags.isEnabled(key, dev.flags.core.EvaluationContext.of(user)))
              .as("%s at %d%%", user, percent)
              .isEqualTo(snippet);
          in += snippet ? 1 : 0;
        }
        System.out.println("md5_checkout at " + percent + "%: " + in + " of 1000, as the snippet");
      }
    } finally {
      http.send("DELETE", "/flags/api/flags/" + key, null, "ops:ops");
    }
  }

  /** The article's snippet, in Java: MD5 of "user-feature", as a big-endian number, mod 100. */
  static boolean snippet(String userId, String featureName, double percentage)
      throws java.security.NoSuchAlgorithmException {
    byte[] md5 =
        java.security.MessageDigest.getInstance("MD5")
            .digest((userId + "-" + featureName).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return new java.math.BigInteger(1, md5).mod(java.math.BigInteger.valueOf(100)).intValue()
        < percentage;
  }

  @Test
  void theFlagPastItsKillDateIsReported() {
    assertThat(http.pastKillDate("ops:ops")).containsExactly("summer_sale_banner");
    assertThat(flags.flagsPastKillDate())
        .extracting(f -> f.key())
        .containsExactly("summer_sale_banner");
  }

  @Test
  void flagWritesNeedTheOpsLogin() {
    String off = "/flags/api/flags/beta_payment_gateway/off";
    assertThat(http.post(off, "{}", null).statusCode()).isEqualTo(401);
    assertThat(http.post(off, "{}", "ops:wrong").statusCode()).isEqualTo(401);
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
