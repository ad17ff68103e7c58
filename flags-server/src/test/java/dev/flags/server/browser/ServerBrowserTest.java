package dev.flags.server.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.dashboard.browser.Browser;
import dev.flags.examples.testsupport.CheckoutHttp;
import dev.flags.integration.AuditDiff;
import dev.flags.server.FlagsServer;
import dev.flags.testsupport.RedisServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The control plane end to end, in Debian's chromium: flags-server and the example checkout service
 * (flags-examples/spring-boot) share one real redis-server; people sign in to the server, change
 * flags in its dashboard, and the service's HTTP answers follow. axe-core checks the sign-in page
 * and every page visited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerBrowserTest {

  static final BCryptPasswordEncoder FAST = new BCryptPasswordEncoder(4);

  /**
   * The example checkout service, as its build packages it (a reactor dependency of this module).
   */
  static final Path SERVICE_JAR =
      Path.of("../flags-examples/spring-boot/target/checkout-spring.jar");

  RedisServerProcess redis;
  Process service;
  ConfigurableApplicationContext server;
  CheckoutHttp checkout;
  FlagAdmin admin;
  Browser editor;
  Browser watcher;

  @BeforeAll
  void start() throws Exception {
    redis = RedisServerProcess.start("--notify-keyspace-events", "KEA");
    service = startService(redis.uri());
    server =
        FlagsServer.start(
            "--server.port=0",
            "--server.address=127.0.0.1",
            "--logging.level.root=WARN",
            "--flags.store=redis",
            "--flags.redis.url=" + redis.uri(),
            "--flags.redis.keyspace-notifications=true",
            "--flags.dashboard.environment=production",
            "--flags.server.users.alice=editor:" + FAST.encode("alice-password"),
            "--flags.server.users.bob=editor:" + FAST.encode("bob-password"),
            "--flags.server.users.victor=viewer:" + FAST.encode("victor-password"));
    admin = server.getBean(FlagAdmin.class);
    // The service seeds Redis from its flag file; the server serves what it finds there.
    await().atMost(Duration.ofSeconds(30)).until(() -> admin.get("new_checkout_flow").isPresent());
    editor = Browser.start();
    editor.signIn(base(), "alice", "alice-password", dashboard(""));
    watcher = Browser.start();
    watcher.signIn(base(), "victor", "victor-password", dashboard(""));
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.destroy();
      try {
        service.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      service.destroyForcibly();
    }
    for (AutoCloseable c : new AutoCloseable[] {editor, watcher, server, redis}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // closing what the tests started
      }
    }
  }

  /**
   * Starts the example service as its own JVM, {@code java -jar checkout-spring.jar} on Redis, and
   * returns once it answers.
   */
  Process startService(String redisUri) throws Exception {
    if (!Files.isRegularFile(SERVICE_JAR)) {
      org.assertj.core.api.Assertions.fail(
          SERVICE_JAR.toAbsolutePath()
              + " is missing: build the example first (./mvnw -pl flags-examples/spring-boot -am"
              + " package -DskipTests), or run this module with -am");
    }
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path log = Path.of("target/example-service.log");
    Files.createDirectories(log.getParent());
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                SERVICE_JAR.toString(),
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--flags.store=redis",
                "--flags.redis.url=" + redisUri,
                "--spring.main.banner-mode=off")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    checkout = new CheckoutHttp(port);
    HttpClient probe = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              if (!p.isAlive()) {
                throw new IllegalStateException(
                    "the example service stopped: " + Files.readString(log));
              }
              return probe
                      .send(
                          HttpRequest.newBuilder(
                                  URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                              .build(),
                          HttpResponse.BodyHandlers.discarding())
                      .statusCode()
                  == 200;
            });
    return p;
  }

  static int port(ConfigurableApplicationContext c) {
    return Integer.parseInt(c.getEnvironment().getProperty("local.server.port"));
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + port(server));
  }

  URI dashboard(String path) {
    return URI.create(base() + "/flags/" + path);
  }

  /** The users user-1 … user-1000 a definition serves true, by flags-core's bucketing. */
  static Set<String> servedTrue(Flag flag) {
    Set<String> in = new TreeSet<>();
    try (Flags flags = Flags.builder().store(InMemoryFlagStore.of(flag)).build()) {
      IntStream.rangeClosed(1, CheckoutHttp.USERS)
          .mapToObj(i -> "user-" + i)
          .filter(u -> flags.isEnabled(flag.key(), EvaluationContext.builder(u).build()))
          .forEach(in::add);
    }
    return in;
  }

  // ---------------------------------------------------------------- stories

  @Test
  void anEditorRampsTheCanaryAndTheServiceAnswersDifferentlyForExactlyTheUsersWhoMoved() {
    Flag at10 = admin.get("new_checkout_flow").orElseThrow().flag();
    assertThat(AuditDiff.truePercentage(at10)).contains(10.0);
    Set<String> before = checkout.canaryUsers();
    assertThat(before).as("the service at 10%%, as our bucketing says").isEqualTo(servedTrue(at10));

    editor.get(dashboard("flags/new_checkout_flow"));
    editor.assertAccessible("flag");
    WebElement percentage = editor.find(By.id("percentage"));
    percentage.clear();
    percentage.sendKeys("25");
    assertThat(editor.text(By.id("rollout-preview"))).startsWith("Adds 15% of users");
    editor.find(By.id("reason-rollout")).sendKeys("canary healthy for 24 h");
    editor.clickToNextPage(By.cssSelector("form.rollout button[type=submit]"));
    assertThat(editor.text(By.tagName("h1")))
        .isEqualTo("Set the rollout of new_checkout_flow to 25% in production?");
    editor.assertAccessible("confirmation");
    editor.clickToNextPage(By.id("confirm"));
    assertThat(editor.text(By.id("notice"))).startsWith("Saved: the flag is now version");

    Flag at25 = admin.get("new_checkout_flow").orElseThrow().flag();
    assertThat(AuditDiff.truePercentage(at25)).contains(25.0);
    Set<String> expectedMoved = new TreeSet<>(servedTrue(at25));
    expectedMoved.removeAll(servedTrue(at10));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(checkout.canaryUsers()).isEqualTo(servedTrue(at25)));
    Set<String> after = checkout.canaryUsers();
    Set<String> moved = new TreeSet<>(after);
    moved.removeAll(before);
    assertThat(moved).as("who moved, by the service's answers").isEqualTo(expectedMoved);
    assertThat(moved).hasSizeBetween(100, 200);
    assertThat(after).as("a ramp up only adds users").containsAll(before);
    assertThat(
            admin
                .audit(
                    dev.flags.core.admin.AuditQuery.builder()
                        .flag("new_checkout_flow")
                        .limit(1)
                        .build())
                .get(0)
                .actor())
        .isEqualTo("alice");
  }

  @Test
  void anEditorKillsAFeatureAndItDisappearsFromTheService() {
    ensureOn("beta_payment_gateway");
    await()
        .untilAsserted(
            () -> assertThat(checkout.checkout("beta-user-250")).containsEntry("gateway", "beta"));
    editor.get(dashboard("flags/beta_payment_gateway"));
    editor.find(By.id("reason-state")).sendKeys("INC-7: card errors");
    editor.clickToNextPage(By.cssSelector("form.state button[type=submit]"));
    assertThat(editor.text(By.tagName("h1")))
        .isEqualTo("Turn off beta_payment_gateway in production?");
    editor.clickToNextPage(By.id("confirm"));
    assertThat(editor.text(By.id("state"))).isEqualTo("Off");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(checkout.checkout("beta-user-250")).containsEntry("gateway", "legacy"));
  }

  @Test
  void anEditorRestoresAPreviousVersionFromTheHistoryAndTheServiceFollows() {
    ensureOn("beta_payment_gateway");
    admin.setOn("beta_payment_gateway", false, Change.by("bob").because("INC-8"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(checkout.checkout("beta-user-250")).containsEntry("gateway", "legacy"));
    editor.get(dashboard("flags/beta_payment_gateway"));
    List<WebElement> entries = editor.findAll(By.cssSelector("ol.history > li"));
    assertThat(entries.get(0).getText()).contains("bob", "INC-8");
    // The entry before bob's: the definition that was on.
    editor.clickToNextPage(entries.get(1).findElement(By.cssSelector("button[type=submit]")));
    assertThat(editor.text(By.tagName("h1")))
        .isEqualTo("Restore an earlier version of beta_payment_gateway in production?");
    editor.clickToNextPage(By.id("confirm"));
    assertThat(editor.text(By.id("notice"))).startsWith("Saved");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(checkout.checkout("beta-user-250")).containsEntry("gateway", "beta"));
    assertThat(editor.findAll(By.cssSelector("ol.history > li")).get(0).getText())
        .contains("alice", "restored");
  }

  @Test
  void aViewerSeesNoWayToChangeAndTheServerRefusesTheirChanges() throws Exception {
    watcher.get(dashboard("flags/new_ui_layout"));
    watcher.assertAccessible("flag (viewer)");
    assertThat(watcher.findAll(By.cssSelector("form[method=post]"))).isEmpty();
    assertThat(watcher.findAll(By.cssSelector("main button"))).isEmpty();
    long version = admin.get("new_ui_layout").orElseThrow().version();
    Object status =
        watcher.asyncJs(
            "var done = arguments[arguments.length - 1];"
                + "fetch(arguments[0], {method: 'POST', headers: {'Content-Type':"
                + " 'application/x-www-form-urlencoded'}, body: arguments[1]})"
                + ".then(function (r) { done(r.status); }, function (e) { done(String(e)); });",
            dashboard("flags/new_ui_layout/state").toString(),
            "on=false&confirm=yes&version=" + version + "&flags_csrf=forged");
    assertThat(status).isEqualTo(403L);
    HttpResponse<String> api =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base() + "/flags/api/flags/new_ui_layout/off"))
                    .header(
                        "Authorization",
                        "Basic "
                            + Base64.getEncoder()
                                .encodeToString(
                                    "victor:victor-password".getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(api.statusCode()).as(api.body()).isEqualTo(403);
    assertThat(admin.get("new_ui_layout").orElseThrow().version()).isEqualTo(version);
  }

  @Test
  void aSecondBrowserSeesEachChangeLive() {
    watcher.get(dashboard(""));
    watcher.waitForLive();
    editor.get(dashboard("flags/summer_sale_banner"));
    String before = editor.text(By.id("state"));
    editor.clickToNextPage(By.cssSelector("form.state button[type=submit]"));
    editor.clickToNextPage(By.id("confirm"));
    String after = before.equals("On") ? "Off" : "On";
    watcher.waitFor(
        d -> watcher.text(By.cssSelector("#f-summer_sale_banner .c-state")).equals(after));
    assertThat(watcher.text(By.cssSelector("#f-summer_sale_banner .c-change")))
        .startsWith("alice · ");
    // A change from somewhere else: another instance, flagctl.
    admin.setRolloutPercentage("new_ui_layout", 75, Change.by("bob"));
    watcher.waitFor(d -> watcher.text(By.cssSelector("#f-new_ui_layout .c-rollout")).equals("75%"));
    watcher.assertAccessible("all flags (viewer)");
  }

  @Test
  void aChangeMadeMeanwhileIsReportedNotOverwritten() {
    admin.setRolloutPercentage("new_ui_layout", 50, Change.by("bob").because("reset"));
    editor.get(dashboard("flags/new_ui_layout"));
    editor.waitForLive();
    admin.setRolloutPercentage("new_ui_layout", 30, Change.by("bob").because("A/B"));
    editor.waitFor(d -> editor.find(By.id("live-notice")).isDisplayed());
    WebElement percentage = editor.find(By.id("percentage"));
    percentage.clear();
    percentage.sendKeys("40");
    editor.clickToNextPage(By.cssSelector("form.rollout button[type=submit]"));
    assertThat(editor.text(By.id("notice")))
        .startsWith("bob changed this flag ")
        .contains("Nothing was changed: review the flag");
    assertThat(AuditDiff.truePercentage(admin.get("new_ui_layout").orElseThrow().flag()))
        .contains(30.0);
  }

  @Test
  void theSignInPageAndEveryPageAreAccessible() throws Exception {
    try (Browser visitor = Browser.start()) {
      visitor.get(URI.create(base() + "/flags/"));
      assertThat(visitor.driver().getCurrentUrl()).endsWith("/login");
      visitor.assertAccessible("sign-in");
      screenshot(visitor, "server-login");
      visitor.find(By.id("username")).sendKeys("alice");
      visitor.find(By.id("password")).sendKeys("wrong-password");
      visitor.clickToNextPage(By.id("sign-in"));
      assertThat(visitor.text(By.cssSelector("main"))).contains("Wrong user or password");
      visitor.assertAccessible("sign-in (failed)");
    }
    for (String page : List.of("", "past-kill-date", "status", "flags/no_such_flag")) {
      editor.get(dashboard(page));
      editor.assertAccessible("/" + page);
    }
    editor.get(dashboard(""));
    screenshot(editor, "server-all-flags");
  }

  // ---------------------------------------------------------------- helpers

  void ensureOn(String key) {
    if (!admin.get(key).orElseThrow().flag().on()) {
      admin.setOn(key, true, Change.by("test").because("set-up"));
    }
  }

  /** target/screenshots/{name}.png, and docs/images/{name}.png with -Dflags.screenshots=docs. */
  static void screenshot(Browser b, String name) throws Exception {
    Path shots = Path.of("target/screenshots");
    Files.createDirectories(shots);
    Path file = shots.resolve(name + ".png");
    Files.write(
        file, ((org.openqa.selenium.TakesScreenshot) b.driver()).getScreenshotAs(OutputType.BYTES));
    if ("docs".equals(System.getProperty("flags.screenshots"))) {
      Files.copy(
          file,
          Path.of("../docs/images").resolve(name + ".png"),
          StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
