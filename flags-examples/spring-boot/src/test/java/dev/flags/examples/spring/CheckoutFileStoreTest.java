package dev.flags.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import dev.flags.examples.testsupport.CheckoutHttp;
import dev.flags.examples.testsupport.CheckoutStory;
import dev.flags.examples.testsupport.FlagFileEdits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The checkout service as the README runs it by default: on a copy of the shipped flag file, edited
 * while the service runs, over real HTTP.
 */
@Import(StoryClock.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class CheckoutFileStoreTest {

  @TempDir static Path dir;

  @DynamicPropertySource
  static void flagFile(DynamicPropertyRegistry registry) {
    registry.add("flags.file.path", () -> FlagFileEdits.copyShipped(dir).toString());
  }

  @LocalServerPort int port;

  @Autowired Flags flags;

  CheckoutHttp http;

  private static Set<String> canaryAt10;

  @BeforeEach
  void client() throws IOException {
    http = new CheckoutHttp(port);
    FlagFileEdits.rewrite(dir, FlagFileEdits.shipped()); // undo what a test wrote
    await().atMost(Duration.ofSeconds(10)).until(() -> canaryPercent() == 10);
  }

  @Test
  void sameUserAlwaysGetsTheSameAnswer() {
    Map<String, String> first = http.checkout("user-42");
    for (int i = 0; i < 20; i++) {
      assertThat(http.checkout("user-42")).isEqualTo(first);
    }
  }

  @Test
  void aboutTenPercentOfAThousandUsersGetTheCanary() {
    Set<String> canary = canaryAt10Percent();
    System.out.println(
        "new_checkout_flow at 10%: " + canary.size() + " of " + CheckoutHttp.USERS + " users");
    assertThat(canary.size()).isBetween(80, 120);
  }

  @Test
  void rampingTheFlagFileFrom10To25To50To100PercentOnlyAddsUsers() throws IOException {
    Set<String> earlier = canaryAt10Percent();
    for (int percent : new int[] {25, 50, 100}) {
      FlagFileEdits.rewrite(dir, FlagFileEdits.canaryAt(percent));
      await().atMost(Duration.ofSeconds(10)).until(() -> canaryPercent() == percent);

      Set<String> now = http.canaryUsers();
      System.out.println(
          "new_checkout_flow at "
              + percent
              + "%: "
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
      earlier = now;
    }
  }

  @Test
  void theFiveHundredBetaUsersGetTheBetaGatewayAndOthersTheLegacyOne() {
    http.checkoutAll(CheckoutStory.BETA_USERS)
        .forEach(
            (user, checkout) -> assertThat(checkout.get("gateway")).as(user).isEqualTo("beta"));
    assertThat(http.checkout("beta-user-501").get("gateway")).isEqualTo("legacy");
    assertThat(http.checkout("user-1").get("gateway")).isEqualTo("legacy");
  }

  @Test
  void paymentsGoThroughTheGatewayTheSwitchPicksOnEveryCall() throws IOException {
    assertThat(CheckoutHttp.fields(http.post("/checkout/pay?user=beta-user-001", "", null).body()))
        .containsEntry("gateway", "beta")
        .containsEntry("user", "beta-user-001");

    // The kill switch, in the file: off serves the off variation (false) to everyone.
    FlagFileEdits.rewrite(dir, FlagFileEdits.betaGatewayOff());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> !flags.isEnabled("beta_payment_gateway", EvaluationContext.of("beta-user-001")));

    assertThat(CheckoutHttp.fields(http.post("/checkout/pay?user=beta-user-001", "", null).body()))
        .containsEntry("gateway", "legacy");
  }

  @Test
  void theNewLayoutIsADarkPageForTheUsersItPicks() {
    String dark = firstUser("new_ui_layout", true);
    String light = firstUser("new_ui_layout", false);

    assertThat(http.get("/", dark).body()).contains("<body class=\"dark\"");
    assertThat(http.get("/?user=" + light, null).body())
        .contains("<body class=\"light\"")
        .contains("Hello " + light);
    assertThat(http.checkout(dark).get("layout")).isEqualTo("dark");
  }

  @Test
  void theGuardedNewCheckoutIsNotFoundOutsideTheCanary() {
    String in = firstUser("new_checkout_flow", true);
    String out = firstUser("new_checkout_flow", false);

    assertThat(http.get("/checkout/v2", in).statusCode()).isEqualTo(200);
    assertThat(http.get("/checkout/v2", out).statusCode()).isEqualTo(404);
  }

  @Test
  void theFlagPastItsKillDateIsReportedByTheAdminApiAndTheLog(CapturedOutput output) {
    assertThat(http.pastKillDate("ops:ops")).containsExactly("summer_sale_banner");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                output
                    .getAll()
                    .contains(
                        "flag \"summer_sale_banner\" is past its kill date 2026-09-30T00:00:00Z"));
  }

  @Test
  void flagWritesThroughTheAdminApiNeedTheOpsLogin() {
    assertThat(
            http.put("/flags/api/flags/new_checkout_flow/rollout", "{\"percentage\": 25}", null)
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void theShippedFlagFileTargetsTheFiveHundredBetaUsersById() throws IOException {
    String file = FlagFileEdits.shipped();
    for (int i = 1; i <= 500; i++) {
      assertThat(file).contains(String.format("\"beta-user-%03d\"", i));
    }
    assertThat(file).doesNotContain("beta-user-501").doesNotContain("beta-user-000");
  }

  private String firstUser(String flagKey, boolean on) {
    return CheckoutStory.firstUser(flags, flagKey, on);
  }

  /** The users of the shipped 10% canary, over HTTP; asked once (a thousand requests). */
  private Set<String> canaryAt10Percent() {
    if (canaryAt10 == null) {
      canaryAt10 = http.canaryUsers();
    }
    return canaryAt10;
  }

  private long canaryPercent() {
    return CheckoutStory.canaryPercent(flags);
  }
}
