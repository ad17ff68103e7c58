package dev.flags.examples.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.Flag;
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
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

/**
 * The Micronaut checkout service as the README runs it on Redis ({@code --flags.store=redis})
 * against a real redis-server started for this test, over real HTTP: seeded from the flag file,
 * ramped through the admin API, killed with a raw {@code SET}, audited.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckoutRedisTest implements TestPropertyProvider {

  // Stopped by its shutdown hook at the end of the run: the application context, closed after the
  // class's own @AfterAll methods, must not see it go away first.
  private final RedisServerProcess redis = RedisServerProcess.start();

  @Inject EmbeddedServer server;

  @Inject Flags flags;

  @Inject FlagAdmin admin;

  /** The example's ops account, {@code checkout.ops.*} in application.properties. */
  static final String OPS_LOGIN = "ops:ops";

  CheckoutHttp http;
  private Set<String> canaryAt10;
  private SeededFlags seeded;

  @Override
  public Map<String, String> getProperties() {
    return Map.of(
        "flags.store", "redis", "flags.redis.url", redis.uri(), "micronaut.server.port", "-1");
  }

  @BeforeEach
  void client() {
    http = new CheckoutHttp(server.getPort());
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
        "new_checkout_flow at 10% (Micronaut, Redis): "
            + canary.size()
            + " of "
            + CheckoutHttp.USERS
            + " users");
    assertThat(canary.size()).isBetween(80, 120);
  }

  @Test
  void rampingThroughTheAdminApiFrom10To25To50To100PercentOnlyAddsUsersAndTheAuditNamesWhoDidIt() {
    Set<String> earlier = canaryAt10Percent();
    int previousWeight = 10_000;
    for (int percent : new int[] {25, 50, 100}) {
      HttpResponse<String> ramp =
          http.put(
              "/flags/api/flags/new_checkout_flow/rollout",
              "{\"percentage\": " + percent + ", \"reason\": \"canary healthy: 0 errors in 1h\"}",
              OPS_LOGIN);
      assertThat(ramp.statusCode()).as(ramp.body()).isEqualTo(200);
      int lowest = CheckoutFileStoreTest.lowest(percent);
      await().atMost(Duration.ofSeconds(5)).until(() -> CheckoutStory.canaryUsers(flags) >= lowest);

      Set<String> now = http.canaryUsers();
      System.out.println(
          "new_checkout_flow at "
              + percent
              + "% (Micronaut, Redis): "
              + now.size()
              + " of "
              + CheckoutHttp.USERS
              + " users");
      assertThat(now)
          .as("at %d%%, every user of the earlier steps is still in", percent)
          .containsAll(earlier);
      assertThat(now.size()).isBetween(lowest, CheckoutFileStoreTest.highest(percent));

      AuditEntry last = lastAudit("new_checkout_flow");
      assertThat(last.actor()).isEqualTo("ops");
      assertThat(last.reason()).isEqualTo("canary healthy: 0 errors in 1h");
      assertThat(last.before().orElseThrow()).contains("\"weight\":" + previousWeight);
      assertThat(last.after().orElseThrow()).contains("\"weight\":" + percent * 1000);
      earlier = now;
      previousWeight = percent * 1000;
    }
    assertThat(earlier).hasSize(CheckoutHttp.USERS);

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
    try (Jedis jedis = redis.jedis()) {
      jedis.set("feature:beta_payment_gateway", "false"); // what `redis-cli SET` does
    }
    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> http.checkout("beta-user-001").get("gateway").equals("legacy"));
    System.out.printf(
        "raw SET seen by the Micronaut service after %d ms%n",
        (System.nanoTime() - start) / 1_000_000);

    http.checkoutAll(CheckoutStory.BETA_USERS)
        .forEach(
            (user, checkout) -> assertThat(checkout.get("gateway")).as(user).isEqualTo("legacy"));
    AuditEntry raw = lastAudit("beta_payment_gateway");
    assertThat(raw.actor()).isEqualTo(AuditEntry.RAW_EDIT_ACTOR);
    assertThat(raw.after()).contains("false");
    List<JsonValue> shown =
        ((JsonValue.Arr)
                CheckoutHttp.json(http.get("/audit?flag=beta_payment_gateway", null).body()))
            .elements();
    assertThat(((JsonValue.Obj) shown.get(shown.size() - 1)).members())
        .containsEntry("actor", JsonValue.of(AuditEntry.RAW_EDIT_ACTOR))
        .containsEntry("reason", JsonValue.of(""));
  }

  @Test
  void theFlagPastItsKillDateIsReported() {
    assertThat(http.pastKillDate(OPS_LOGIN)).containsExactly("summer_sale_banner");
    assertThat(flags.flagsPastKillDate())
        .extracting(Flag::key)
        .containsExactly("summer_sale_banner");
  }

  @Test
  void flagWritesNeedTheOpsLoginAndAreAuditedUnderItsName() {
    String path = "/flags/api/flags/beta_payment_gateway/off";
    assertThat(http.post(path, "{}", null).statusCode()).isEqualTo(401);
    assertThat(http.post(path, "{}", "ops:wrong").statusCode()).isEqualTo(401);
    assertThat(admin.get("beta_payment_gateway").orElseThrow().flag().on()).isTrue();

    HttpResponse<String> off = http.post(path, "{\"reason\": \"incident 42\"}", OPS_LOGIN);

    assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
    assertThat(admin.get("beta_payment_gateway").orElseThrow().flag().on()).isFalse();
    AuditEntry last = lastAudit("beta_payment_gateway");
    assertThat(last.actor()).isEqualTo("ops");
    assertThat(last.reason()).isEqualTo("incident 42");
  }

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
