package dev.flags.examples.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.examples.testsupport.CheckoutHttp;
import dev.flags.examples.testsupport.CheckoutStory;
import dev.flags.examples.testsupport.FlagFileEdits;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Micronaut checkout service as the README runs it by default: on a copy of the shipped flag
 * file, edited while the service runs, over real HTTP.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckoutFileStoreTest implements TestPropertyProvider {

  private final Path dir = tempDir();

  @Inject EmbeddedServer server;

  @Inject Flags flags;

  CheckoutHttp http;
  private Set<String> canaryAt10;

  @Override
  public Map<String, String> getProperties() {
    return Map.of(
        "flags.file.path",
        FlagFileEdits.copyShipped(dir).toString(),
        "micronaut.server.port",
        "-1");
  }

  @BeforeEach
  void client() throws IOException {
    http = new CheckoutHttp(server.getPort());
    FlagFileEdits.rewrite(dir, FlagFileEdits.shipped()); // undo what a test wrote
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> canaryPercent() == 10 && CheckoutStory.betaGatewayOn(flags));
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
        "new_checkout_flow at 10% (Micronaut): "
            + canary.size()
            + " of "
            + CheckoutHttp.USERS
            + " users");
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
              + "% (Micronaut): "
              + now.size()
              + " of "
              + CheckoutHttp.USERS
              + " users");
      assertThat(now)
          .as("at %d%%, every user of the earlier steps is still in", percent)
          .containsAll(earlier);
      assertThat(now.size()).isBetween(lowest(percent), highest(percent));
      earlier = now;
    }
    assertThat(earlier).hasSize(CheckoutHttp.USERS);
  }

  /**
   * Fewest of the thousand users expected at {@code percent}: 3.5 standard deviations, all at 100%.
   */
  static int lowest(int percent) {
    double n = CheckoutHttp.USERS;
    double p = percent / 100.0;
    return (int) Math.floor(n * p - 3.5 * Math.sqrt(n * p * (1 - p)));
  }

  /** Most of the thousand users expected at {@code percent}. */
  static int highest(int percent) {
    double n = CheckoutHttp.USERS;
    double p = percent / 100.0;
    return (int) Math.ceil(n * p + 3.5 * Math.sqrt(n * p * (1 - p)));
  }

  @Test
  void theFiveHundredBetaUsersGetTheBetaGatewayUntilTheKillSwitchIsOff() throws IOException {
    http.checkoutAll(CheckoutStory.BETA_USERS)
        .forEach(
            (user, checkout) -> assertThat(checkout.get("gateway")).as(user).isEqualTo("beta"));
    assertThat(http.checkout("user-1").get("gateway")).isEqualTo("legacy");
    assertThat(CheckoutHttp.fields(http.post("/checkout/pay?user=beta-user-001", "", null).body()))
        .containsEntry("gateway", "beta")
        .containsEntry("user", "beta-user-001");

    // The kill switch, in the file: off serves the off variation (false) to everyone.
    FlagFileEdits.rewrite(dir, FlagFileEdits.betaGatewayOff());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> !flags.isEnabled("beta_payment_gateway", EvaluationContext.of("beta-user-001")));

    assertThat(http.checkout("beta-user-001").get("gateway")).isEqualTo("legacy");
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
    assertThat(http.get("/checkout/v2", firstUser("new_checkout_flow", true)).statusCode())
        .isEqualTo(200);
    assertThat(http.get("/checkout/v2", firstUser("new_checkout_flow", false)).statusCode())
        .isEqualTo(404);
  }

  @Test
  void theFlagPastItsKillDateIsReportedByTheAdminApi() {
    assertThat(http.pastKillDate(CheckoutRedisTest.OPS_LOGIN))
        .containsExactly("summer_sale_banner");
    assertThat(flags.flagsPastKillDate())
        .extracting(Flag::key)
        .containsExactly("summer_sale_banner");
  }

  @Test
  void flagWritesThroughTheAdminApiNeedTheOpsLogin() {
    assertThat(
            http.put("/flags/api/flags/new_checkout_flow/rollout", "{\"percentage\": 25}", null)
                .statusCode())
        .isEqualTo(401);
    assertThat(canaryPercent()).isEqualTo(10);
  }

  @Test
  void theShippedFlagFileIsTheSpringBootExamplesOne() throws IOException {
    assertThat(FlagFileEdits.shipped())
        .isEqualTo(Files.readString(Path.of("../spring-boot/flags.json")));
  }

  @AfterAll
  void deleteFlagFile() throws IOException {
    // The flag file, and what the file store's admin keeps beside it (its audit file).
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private Set<String> canaryAt10Percent() {
    if (canaryAt10 == null) {
      canaryAt10 = http.canaryUsers();
    }
    return canaryAt10;
  }

  private String firstUser(String flagKey, boolean on) {
    return CheckoutStory.firstUser(flags, flagKey, on);
  }

  private long canaryPercent() {
    return CheckoutStory.canaryPercent(flags);
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("checkout-micronaut-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
