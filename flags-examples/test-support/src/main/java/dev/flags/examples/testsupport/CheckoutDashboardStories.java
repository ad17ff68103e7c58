package dev.flags.examples.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.dashboard.browser.Browser;
import dev.flags.integration.AuditDiff;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard stories of issue 13, end to end in Debian's chromium, against a checkout service
 * (either example) and a dashboard sharing its flags: an editor ramps the canary and the service
 * answers differently for exactly the users who moved; kills a feature; restores a version from the
 * history; a viewer sees no way to change and the API refuses them; a second browser sees each
 * change live; a change made meanwhile is reported, not overwritten; axe-core finds no serious or
 * critical violation on any page visited.
 *
 * <p>A subclass starts the service and the dashboard, with the users {@value #EDITOR} (role {@code
 * FLAGS_EDITOR}, password {@value #EDITOR_PASSWORD}) and {@value #VIEWER} ({@code FLAGS_VIEWER},
 * {@value #VIEWER_PASSWORD}), the dashboard at {@code /flags/} of {@link #base()} named for the
 * environment {@value #ENVIRONMENT}, the admin API at {@code /flags/api} taking HTTP Basic, and a
 * sign-in form at {@code /login} ({@link Browser#signIn}). The service is seeded with the example's
 * flag file. Each story sets up the flag state it needs, so the order does not matter. Not
 * thread-safe: JUnit runs the stories one at a time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class CheckoutDashboardStories {

  public static final String EDITOR = "alice";
  public static final String EDITOR_PASSWORD = "alice-password";
  public static final String VIEWER = "victor";
  public static final String VIEWER_PASSWORD = "victor-password";
  public static final String ENVIRONMENT = "production";

  /** Signed in as {@value #EDITOR}; started before the first story. */
  protected Browser editor;

  /** Signed in as {@value #VIEWER}, the second browser. */
  protected Browser watcher;

  /** Where the dashboard's application answers: {@code http://127.0.0.1:port}. */
  protected abstract URI base();

  /**
   * The admin of the flags the service and the dashboard share, to set up and check the stories.
   */
  protected abstract FlagAdmin admin();

  /** Real HTTP calls to the checkout service. */
  protected abstract CheckoutHttp checkout();

  /** A dashboard page, {@code path} relative to its root ({@code ""} is the all-flags page). */
  protected URI dashboard(String path) {
    return URI.create(base() + "/flags/" + path);
  }

  @BeforeEach
  void signInTheTwoBrowsers() {
    // Here, not in @BeforeAll: a framework's test extension may start the service only then.
    if (editor == null) {
      editor = Browser.start();
      editor.signIn(base(), EDITOR, EDITOR_PASSWORD, dashboard(""));
    }
    if (watcher == null) {
      watcher = Browser.start();
      watcher.signIn(base(), VIEWER, VIEWER_PASSWORD, dashboard(""));
    }
  }

  @AfterAll
  void closeTheBrowsers() {
    for (Browser b : new Browser[] {editor, watcher}) {
      if (b != null) {
        b.close();
      }
    }
  }

  /** The users user-1 … user-1000 a definition serves true, by flags-core's bucketing. */
  public static Set<String> servedTrue(Flag flag) {
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
    setPercentage("new_checkout_flow", 10);
    Flag at10 = admin().get("new_checkout_flow").orElseThrow().flag();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(checkout().canaryUsers())
                    .as("the service at 10%%, as our bucketing says")
                    .isEqualTo(servedTrue(at10)));
    Set<String> before = checkout().canaryUsers();

    editor.get(dashboard("flags/new_checkout_flow"));
    editor.assertAccessible("flag");
    WebElement percentage = editor.find(By.id("percentage"));
    percentage.clear();
    percentage.sendKeys("25");
    assertThat(editor.text(By.id("rollout-preview"))).startsWith("Adds 15% of users");
    editor.find(By.id("reason-rollout")).sendKeys("canary healthy for 24 h");
    editor.clickToNextPage(By.cssSelector("form.rollout button[type=submit]"));
    assertThat(editor.text(By.tagName("h1")))
        .isEqualTo("Set the rollout of new_checkout_flow to 25% in " + ENVIRONMENT + "?");
    editor.assertAccessible("confirmation");
    editor.clickToNextPage(By.id("confirm"));
    assertThat(editor.text(By.id("notice"))).startsWith("Saved: the flag is now version");

    Flag at25 = admin().get("new_checkout_flow").orElseThrow().flag();
    assertThat(AuditDiff.truePercentage(at25)).contains(25.0);
    Set<String> expectedMoved = new TreeSet<>(servedTrue(at25));
    expectedMoved.removeAll(servedTrue(at10));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(checkout().canaryUsers()).isEqualTo(servedTrue(at25)));
    Set<String> after = checkout().canaryUsers();
    Set<String> moved = new TreeSet<>(after);
    moved.removeAll(before);
    assertThat(moved).as("who moved, by the service's answers").isEqualTo(expectedMoved);
    assertThat(moved).hasSizeBetween(100, 200);
    assertThat(after).as("a ramp up only adds users").containsAll(before);
    assertThat(
            admin()
                .audit(AuditQuery.builder().flag("new_checkout_flow").limit(1).build())
                .get(0)
                .actor())
        .isEqualTo(EDITOR);
  }

  @Test
  void anEditorKillsAFeatureAndItDisappearsFromTheService() {
    ensureOn("beta_payment_gateway");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(checkout().checkout("beta-user-250")).containsEntry("gateway", "beta"));
    editor.get(dashboard("flags/beta_payment_gateway"));
    editor.find(By.id("reason-state")).sendKeys("INC-7: card errors");
    editor.clickToNextPage(By.cssSelector("form.state button[type=submit]"));
    assertThat(editor.text(By.tagName("h1")))
        .isEqualTo("Turn off beta_payment_gateway in " + ENVIRONMENT + "?");
    editor.clickToNextPage(By.id("confirm"));
    assertThat(editor.text(By.id("state"))).isEqualTo("Off");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(checkout().checkout("beta-user-250"))
                    .containsEntry("gateway", "legacy"));
  }

  @Test
  void anEditorRestoresAPreviousVersionFromTheHistoryAndTheServiceFollows() {
    ensureOn("beta_payment_gateway");
    admin().setOn("beta_payment_gateway", false, Change.by("bob").because("INC-8"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(checkout().checkout("beta-user-250"))
                    .containsEntry("gateway", "legacy"));
    editor.get(dashboard("flags/beta_payment_gateway"));
    List<WebElement> entries = editor.findAll(By.cssSelector("ol.history > li"));
    assertThat(entries.get(0).getText()).contains("bob", "INC-8");
    // The entry before bob's: the definition that was on.
    editor.clickToNextPage(entries.get(1).findElement(By.cssSelector("button[type=submit]")));
    assertThat(editor.text(By.tagName("h1")))
        .isEqualTo("Restore an earlier version of beta_payment_gateway in " + ENVIRONMENT + "?");
    editor.clickToNextPage(By.id("confirm"));
    assertThat(editor.text(By.id("notice"))).startsWith("Saved");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(checkout().checkout("beta-user-250")).containsEntry("gateway", "beta"));
    assertThat(editor.findAll(By.cssSelector("ol.history > li")).get(0).getText())
        .contains(EDITOR, "restored");
  }

  @Test
  void aViewerSeesNoWayToChangeAndTheApplicationRefusesTheirChanges() throws Exception {
    watcher.get(dashboard("flags/new_ui_layout"));
    watcher.assertAccessible("flag (viewer)");
    assertThat(watcher.findAll(By.cssSelector("form[method=post]"))).isEmpty();
    assertThat(watcher.findAll(By.cssSelector("main button"))).isEmpty();
    long version = admin().get("new_ui_layout").orElseThrow().version();
    Object status =
        watcher.asyncJs(
            "var done = arguments[arguments.length - 1];"
                + "fetch(arguments[0], {method: 'POST', headers: {'Content-Type':"
                + " 'application/x-www-form-urlencoded'}, body: arguments[1]})"
                + ".then(function (r) { done(r.status); }, function (e) { done(String(e)); });",
            dashboard("flags/new_ui_layout/state").toString(),
            "on=false&confirm=yes&version=" + version + "&flags_csrf=forged");
    assertThat(status).as("a forged dashboard form, posted by the viewer").isEqualTo(403L);
    HttpResponse<String> api = viewerApiWrite("flags/new_ui_layout/off");
    assertThat(api.statusCode()).as(api.body()).isEqualTo(403);
    assertThat(admin().get("new_ui_layout").orElseThrow().version()).isEqualTo(version);
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
        .startsWith(EDITOR + " · ");
    // A change from somewhere else: another instance, flagctl.
    admin().setRolloutPercentage("new_ui_layout", 75, Change.by("bob"));
    watcher.waitFor(d -> watcher.text(By.cssSelector("#f-new_ui_layout .c-rollout")).equals("75%"));
    watcher.assertAccessible("all flags (viewer)");
  }

  @Test
  void aChangeMadeMeanwhileIsReportedNotOverwritten() {
    admin().setRolloutPercentage("new_ui_layout", 50, Change.by("bob").because("reset"));
    editor.get(dashboard("flags/new_ui_layout"));
    editor.waitForLive();
    admin().setRolloutPercentage("new_ui_layout", 30, Change.by("bob").because("A/B"));
    editor.waitFor(d -> editor.find(By.id("live-notice")).isDisplayed());
    WebElement percentage = editor.find(By.id("percentage"));
    percentage.clear();
    percentage.sendKeys("40");
    editor.clickToNextPage(By.cssSelector("form.rollout button[type=submit]"));
    assertThat(editor.text(By.id("notice")))
        .startsWith("bob changed this flag ")
        .contains("Nothing was changed: review the flag");
    assertThat(AuditDiff.truePercentage(admin().get("new_ui_layout").orElseThrow().flag()))
        .contains(30.0);
  }

  @Test
  void everyPageIsAccessible() {
    for (String page : List.of("", "past-kill-date", "status", "flags/no_such_flag")) {
      editor.get(dashboard(page));
      editor.assertAccessible("/" + page);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Turns the flag on (as set-up, not through the dashboard) unless it is. */
  protected void ensureOn(String key) {
    if (!admin().get(key).orElseThrow().flag().on()) {
      admin().setOn(key, true, Change.by("test").because("set-up"));
    }
  }

  /** Sets the flag's rollout (as set-up) unless it is already {@code percent}. */
  protected void setPercentage(String key, double percent) {
    if (!AuditDiff.truePercentage(admin().get(key).orElseThrow().flag())
        .equals(java.util.Optional.of(percent))) {
      admin().setRolloutPercentage(key, percent, Change.by("test").because("set-up"));
    }
  }

  /** {@code POST /flags/api/{path}} with the viewer's HTTP Basic login. */
  protected HttpResponse<String> viewerApiWrite(String path)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(dashboard("api/" + path))
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                (VIEWER + ":" + VIEWER_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
