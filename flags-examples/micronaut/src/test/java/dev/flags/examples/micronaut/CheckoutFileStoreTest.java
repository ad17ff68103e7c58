package dev.flags.examples.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.JsonValue;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
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

  static final Path SHIPPED = Path.of("flags.json");

  private final Path dir = tempDir();

  @Inject
  EmbeddedServer server;

  @Inject
  Flags flags;

  static final List<String> BETA_USERS =
      IntStream.rangeClosed(1, 500).mapToObj(i -> String.format("beta-user-%03d", i)).toList();

  CheckoutHttp http;
  private Set<String> canaryAt10;

  @Override
  public Map<String, String> getProperties() {
    try {
      Path file = Files.copy(SHIPPED, dir.resolve("flags.json"), StandardCopyOption.REPLACE_EXISTING);
      return Map.of("flags.file.path", file.toString(), "micronaut.server.port", "-1");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeEach
  void client() throws IOException {
    http = new CheckoutHttp(server.getPort());
    rewrite(Files.readString(SHIPPED)); // undo what a test wrote
    await().atMost(Duration.ofSeconds(10)).until(() -> canaryPercent() == 10
        && flags.isEnabled("beta_payment_gateway", EvaluationContext.of("beta-user-001")));
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
    System.out.println("new_checkout_flow at 10% (Micronaut): " + canary.size() + " of " + CheckoutHttp.USERS + " users");
    assertThat(canary.size()).isBetween(80, 120);
  }

  @Test
  void rampingTheFlagFileFrom10To25To50To100PercentOnlyAddsUsers() throws IOException {
    Set<String> earlier = canaryAt10Percent();
    for (int percent : new int[] {25, 50, 100}) {
      rewrite(Files.readString(SHIPPED).replace(weights(10), weights(percent)));
      await().atMost(Duration.ofSeconds(10)).until(() -> canaryPercent() == percent);

      Set<String> now = http.canaryUsers();
      System.out.println("new_checkout_flow at " + percent + "% (Micronaut): " + now.size() + " of "
          + CheckoutHttp.USERS + " users");
      assertThat(now).as("at %d%%, every user of the earlier steps is still in", percent).containsAll(earlier);
      assertThat(now.size()).isBetween(lowest(percent), highest(percent));
      earlier = now;
    }
    assertThat(earlier).hasSize(CheckoutHttp.USERS);
  }

  /** The rollout weights of {@code new_checkout_flow} in the shipped file, for a percentage. */
  private static String weights(int percent) {
    int on = percent * 1000;
    return "{ \"variation\": 1, \"weight\": " + on + " }, { \"variation\": 0, \"weight\": " + (100_000 - on) + " }";
  }

  /** Fewest of the thousand users expected at {@code percent}: 3.5 standard deviations, all at 100%. */
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
    http.checkoutAll(BETA_USERS).forEach(
        (user, checkout) -> assertThat(checkout.get("gateway")).as(user).isEqualTo("beta"));
    assertThat(http.checkout("user-1").get("gateway")).isEqualTo("legacy");
    assertThat(CheckoutHttp.fields(http.post("/checkout/pay?user=beta-user-001", "", null).body()))
        .containsEntry("gateway", "beta").containsEntry("user", "beta-user-001");

    // The kill switch, in the file: off serves the off variation (false) to everyone.
    rewrite(Files.readString(SHIPPED).replace(
        "\"owner\": \"team-payments\",", "\"owner\": \"team-payments\", \"on\": false,"));
    await().atMost(Duration.ofSeconds(10))
        .until(() -> !flags.isEnabled("beta_payment_gateway", EvaluationContext.of("beta-user-001")));

    assertThat(http.checkout("beta-user-001").get("gateway")).isEqualTo("legacy");
    assertThat(CheckoutHttp.fields(http.post("/checkout/pay?user=beta-user-001", "", null).body()))
        .containsEntry("gateway", "legacy");
  }

  @Test
  void theNewLayoutIsADarkPageForTheUsersItPicks() {
    String dark = firstUser("new_ui_layout", true);
    String light = firstUser("new_ui_layout", false);

    assertThat(http.get("/", dark).body()).contains("<body class=\"dark\"");
    assertThat(http.get("/?user=" + light, null).body()).contains("<body class=\"light\"").contains("Hello " + light);
    assertThat(http.checkout(dark).get("layout")).isEqualTo("dark");
  }

  @Test
  void theGuardedNewCheckoutIsNotFoundOutsideTheCanary() {
    assertThat(http.get("/checkout/v2", firstUser("new_checkout_flow", true)).statusCode()).isEqualTo(200);
    assertThat(http.get("/checkout/v2", firstUser("new_checkout_flow", false)).statusCode()).isEqualTo(404);
  }

  @Test
  void theFlagPastItsKillDateIsReportedByTheEndpoint() {
    JsonValue.Obj body = (JsonValue.Obj) CheckoutHttp.json(http.get("/flags", null).body());

    assertThat(((JsonValue.Arr) body.members().get("flags")).elements())
        .filteredOn(f -> ((JsonValue.Obj) f).members().get("stale").equals(JsonValue.TRUE))
        .singleElement()
        .satisfies(f -> assertThat(((JsonValue.Obj) f).members()).containsEntry("key", JsonValue.of("summer_sale_banner")));
    assertThat(flags.staleFlags()).extracting(Flag::key).containsExactly("summer_sale_banner");
  }

  @Test
  void theFileStoreCannotBeWrittenThroughTheEndpoint() {
    assertThat(http.post("/flags/new_checkout_flow", "{\"rolloutPercentage\": 25}", CheckoutRedisTest.OPS_LOGIN)
        .statusCode()).isEqualTo(409);
    assertThat(canaryPercent()).isEqualTo(10);
  }

  @Test
  void theShippedFlagFileIsTheSpringBootExamplesOne() throws IOException {
    assertThat(Files.readString(SHIPPED)).isEqualTo(Files.readString(Path.of("../spring-boot/flags.json")));
  }

  @AfterAll
  void deleteFlagFile() throws IOException {
    Files.deleteIfExists(dir.resolve("flags.json"));
    Files.deleteIfExists(dir);
  }

  private Set<String> canaryAt10Percent() {
    if (canaryAt10 == null) {
      canaryAt10 = http.canaryUsers();
    }
    return canaryAt10;
  }

  private String firstUser(String flagKey, boolean on) {
    return IntStream.rangeClosed(1, 100).mapToObj(i -> "user-" + i)
        .filter(u -> flags.isEnabled(flagKey, EvaluationContext.of(u)) == on)
        .findFirst().orElseThrow();
  }

  /** The canary's share of user-1 … user-1000 as the client sees it, to the nearest 5%. */
  private long canaryPercent() {
    long on = IntStream.rangeClosed(1, CheckoutHttp.USERS)
        .filter(i -> flags.isEnabled("new_checkout_flow", EvaluationContext.of("user-" + i))).count();
    return Math.round(on * 100.0 / CheckoutHttp.USERS / 5) * 5;
  }

  /** Replaces the flag file the way an editor saving it would: a new file moved into place. */
  private void rewrite(String content) throws IOException {
    Path tmp = dir.resolve("flags.json.tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, dir.resolve("flags.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("checkout-micronaut-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
