package dev.flags.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.Clause;
import dev.flags.core.EvaluationContext;
import dev.flags.core.EvaluationDetail;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.Rule;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.dashboard.Dashboard;
import dev.flags.dashboard.JdkDashboardServer;
import dev.flags.integration.AuditDiff;
import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.FlagsSettings;
import dev.flags.integration.SettingsSource;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real browser (Debian's chromium), signed in through the application's form, on
 * a real store: each story of issue 13 end to end, with axe-core on every page it visits. The
 * subclasses choose the store (Redis, a flag file). Every test works on a flag of its own, so the
 * order does not matter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DashboardBrowserTest {

  static final String ENVIRONMENT = "production";
  static final List<JdkDashboardServer.User> USERS =
      List.of(
          new JdkDashboardServer.User("alice", "alice-pw", "FLAGS_EDITOR"),
          new JdkDashboardServer.User("bob", "bob-pw", "FLAGS_EDITOR"),
          new JdkDashboardServer.User("victor", "victor-pw", "FLAGS_VIEWER"));

  FlagsRuntime runtime;
  JdkDashboardServer server;
  Browser editor;
  Browser watcher;

  /** The store's settings: {@code flags.store} and its address. */
  abstract Map<String, String> storeSettings() throws Exception;

  /** Changes a flag the way an operator would without the SDK: redis-cli SET, a file edit. */
  abstract void rawSetOff(String key) throws Exception;

  /** Whether this run takes the screenshots of docs/dashboard.md (one store does). */
  abstract boolean takesScreenshots();

  @BeforeAll
  void start() throws Exception {
    Map<String, String> settings = new LinkedHashMap<>(storeSettings());
    settings.put("flags.dashboard.enabled", "true");
    settings.put("flags.dashboard.environment", ENVIRONMENT);
    runtime = FlagsRuntime.builder(FlagsSettings.from(SettingsSource.of(settings))).build();
    assertThat(runtime.flags().awaitInitialization(Duration.ofSeconds(10))).isTrue();
    seed(runtime.admin());
    await().until(() -> runtime.flags().allFlags().size() >= SEEDED.size());
    server = JdkDashboardServer.start(Dashboard.builder(runtime).build(), USERS);
    editor = Browser.start();
    editor.signIn(server.baseUri(), "alice", "alice-pw", server.dashboardUri());
    watcher = Browser.start();
    watcher.signIn(server.baseUri(), "victor", "victor-pw", server.dashboardUri());
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {editor, watcher, server, runtime}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // closing what the tests started
      }
    }
  }

  static final List<String> SEEDED =
      List.of(
          "new_checkout_flow",
          "beta_payment_gateway",
          "search_ranking_v2",
          "dark_mode",
          "legacy_banner",
          "recommendations",
          "summer_banner",
          "button_color");

  static void seed(FlagAdmin admin) {
    Change seed = Change.by("seed").because("test set-up");
    admin.create(
        Flag.builder("new_checkout_flow")
            .description("The rewritten checkout, canaried")
            .owner("team-payments")
            .tags("checkout")
            .rule(
                Rule.when(Clause.in("country", "DE", "FR"), Clause.in("plan", "pro"))
                    .serve(true)
                    .withId("pro-eu"))
            .percentageRollout(10)
            .build(),
        seed);
    admin.create(
        Flag.builder("beta_payment_gateway")
            .description("Kill switch of the new payment gateway")
            .owner("team-payments")
            .tags("checkout", "payments")
            .target(true, "beta-tester-1", "beta-tester-2")
            .fallthrough(true)
            .build(),
        seed);
    admin.create(
        Flag.builder("search_ranking_v2").owner("team-search").percentageRollout(5).build(), seed);
    admin.create(Flag.builder("dark_mode").owner("team-web").percentageRollout(50).build(), seed);
    admin.create(Flag.builder("legacy_banner").owner("team-web").fallthrough(true).build(), seed);
    admin.create(
        Flag.builder("recommendations").owner("team-ml").percentageRollout(20).build(), seed);
    admin.create(
        Flag.builder("summer_banner")
            .description("Last summer's banner: remove it from the code")
            .owner("team-web")
            .killDate(Instant.parse("2025-09-30T00:00:00Z"))
            .fallthrough(true)
            .build(),
        seed);
    admin.create(
        Flag.builder("button_color")
            .variations("green", "blue")
            .fallthroughVariation(1)
            .offVariation(0)
            .owner("team-web")
            .build(),
        seed);
  }

  URI page(String path) {
    return URI.create(server.dashboardUri() + path);
  }

  // ---------------------------------------------------------------- stories

  @Test
  void anEditorRampsACanaryAndExactlyTheUsersInTheNewBucketsMove() {
    Flags flags = runtime.flags();
    List<EvaluationContext> users = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      users.add(EvaluationContext.builder("user-" + i).set("country", "US").build());
    }
    Map<String, Boolean> before = new HashMap<>();
    Map<String, Integer> bucket = new HashMap<>();
    for (EvaluationContext u : users) {
      EvaluationDetail<Boolean> d = flags.getBooleanDetail("new_checkout_flow", u, false);
      before.put(u.key(), d.value());
      bucket.put(u.key(), d.reason().bucket().orElseThrow());
    }

    editor.get(page("flags/new_checkout_flow"));
    editor.assertAccessible("flag");
    shot(editor, "flag");
    assertThat(editor.text(By.cssSelector("ol.rules li")))
        .isEqualTo("country in DE, FR and plan = pro → on (pro-eu)");
    WebElement percentage = editor.find(By.id("percentage"));
    percentage.clear();
    percentage.sendKeys("25");
    assertThat(editor.text(By.id("rollout-preview")))
        .as("the slider says who changes before anything is confirmed")
        .startsWith("Adds 15% of users (those placed between 10% and 25%): they start getting on.");
    editor.find(By.id("reason-rollout")).sendKeys("canary healthy for 24 h");
    editor.clickToNextPage(By.cssSelector("form.rollout button[type=submit]"));

    assertThat(editor.text(By.tagName("h1")))
        .isEqualTo("Set the rollout of new_checkout_flow to 25% in production?");
    assertThat(editor.text(By.cssSelector("main"))).contains("Adds 15% of users");
    editor.assertAccessible("confirmation");
    shot(editor, "confirm-rollout");
    editor.clickToNextPage(By.id("confirm"));

    assertThat(editor.text(By.id("notice"))).startsWith("Saved: the flag is now version");
    await()
        .until(
            () ->
                AuditDiff.truePercentage(flags.flag("new_checkout_flow").orElseThrow()).orElse(0.0)
                    == 25.0);
    Set<String> moved = new TreeSet<>();
    Set<String> expected = new TreeSet<>();
    for (EvaluationContext u : users) {
      boolean after = flags.getBooleanDetail("new_checkout_flow", u, false).value();
      if (after != before.get(u.key())) {
        moved.add(u.key());
      }
      int b = bucket.get(u.key());
      if (b >= 10_000 && b < 25_000) {
        expected.add(u.key());
      }
    }
    assertThat(moved)
        .as("the users who moved are exactly those in buckets [10%, 25%)")
        .isEqualTo(expected);
    assertThat(moved).isNotEmpty();
    assertThat(users)
        .allSatisfy(
            u -> {
              if (moved.contains(u.key())) {
                assertThat(before.get(u.key())).as("a ramp up only adds users").isFalse();
              }
            });
    AuditEntry last =
        runtime
            .admin()
            .audit(AuditQuery.builder().flag("new_checkout_flow").limit(1).build())
            .get(0);
    assertThat(last.actor()).as("audited as the signed-in user").isEqualTo("alice");
    assertThat(last.reason()).isEqualTo("canary healthy for 24 h");
    assertThat(AuditDiff.of(last)).contains("rollout: 10% → 25%");
  }

  @Test
  void anEditorKillsAFeatureAfterAConfirmationNamingItAndTheEnvironment() {
    EvaluationContext tester = EvaluationContext.builder("beta-tester-1").build();
    assertThat(runtime.flags().isEnabled("beta_payment_gateway", tester)).isTrue();
    editor.get(page("flags/beta_payment_gateway"));
    editor.find(By.id("reason-state")).sendKeys("INC-7: card errors");
    editor.clickToNextPage(By.cssSelector("form.state button[type=submit]"));
    assertThat(editor.text(By.tagName("h1")))
        .isEqualTo("Turn off beta_payment_gateway in production?");
    assertThat(editor.find(By.id("reason")).getAttribute("value")).isEqualTo("INC-7: card errors");
    shot(editor, "confirm-off");
    editor.clickToNextPage(By.id("confirm"));
    assertThat(editor.text(By.id("state"))).isEqualTo("Off");
    await().until(() -> !runtime.flags().isEnabled("beta_payment_gateway", tester));
    editor.get(page(""));
    assertThat(editor.text(By.cssSelector("#f-beta_payment_gateway .c-state"))).isEqualTo("Off");
    assertThat(editor.text(By.cssSelector("#f-beta_payment_gateway .c-change")))
        .startsWith("alice · ");
  }

  @Test
  void anEditorRestoresAPreviousVersionFromTheHistory() {
    FlagAdmin admin = runtime.admin();
    long v1 = admin.get("search_ranking_v2").orElseThrow().version();
    admin.setRolloutPercentage("search_ranking_v2", 50, Change.by("bob").because("try 50"));
    admin.setRolloutPercentage("search_ranking_v2", 80, Change.by("bob").because("try 80"));
    editor.get(page("flags/search_ranking_v2"));
    List<WebElement> entries = editor.findAll(By.cssSelector("ol.history > li"));
    assertThat(entries).hasSizeGreaterThanOrEqualTo(3);
    assertThat(entries.get(0).getText()).contains("bob", "Why: try 80", "rollout: 50% → 80%");
    WebElement first = entries.get(entries.size() - 1);
    assertThat(first.getText()).contains("seed", "created", "version " + v1);
    editor.clickToNextPage(first.findElement(By.cssSelector("button[type=submit]")));
    assertThat(editor.text(By.tagName("h1")))
        .isEqualTo("Restore an earlier version of search_ranking_v2 in production?");
    editor.clickToNextPage(By.id("confirm"));
    assertThat(editor.text(By.id("notice"))).startsWith("Saved");
    await()
        .until(
            () ->
                AuditDiff.truePercentage(runtime.flags().flag("search_ranking_v2").orElseThrow())
                        .orElse(0.0)
                    == 5.0);
    assertThat(editor.findAll(By.cssSelector("ol.history > li")).get(0).getText())
        .contains("alice", "restored", "rollout: 80% → 5%");
    if (takesScreenshots()) {
      editor.fullScreenshot("flag-full", 1280);
    }
  }

  @Test
  void aViewerSeesNoWayToChangeAndAForgedChangeIsRefused() {
    watcher.get(page("flags/recommendations"));
    watcher.assertAccessible("flag (viewer)");
    assertThat(watcher.findAll(By.cssSelector("form[method=post]"))).isEmpty();
    assertThat(watcher.findAll(By.cssSelector("main button"))).isEmpty();
    assertThat(watcher.text(By.cssSelector("main"))).contains("changing it needs the editor role");
    long version = runtime.admin().get("recommendations").orElseThrow().version();
    Object status =
        watcher.asyncJs(
            "var done = arguments[arguments.length - 1];"
                + "fetch(arguments[0], {method: 'POST', headers: {'Content-Type':"
                + " 'application/x-www-form-urlencoded'}, body: arguments[1]})"
                + ".then(function (r) { done(r.status); }, function (e) { done(String(e)); });",
            page("flags/recommendations/state").toString(),
            "on=false&confirm=yes&version=" + version + "&flags_csrf=forged");
    assertThat(status).isEqualTo(403L);
    assertThat(runtime.admin().get("recommendations").orElseThrow().version()).isEqualTo(version);
    assertThat(runtime.admin().get("recommendations").orElseThrow().flag().on()).isTrue();
  }

  @Test
  void aSecondBrowserSeesEachChangeLive() throws Exception {
    watcher.get(page(""));
    watcher.waitForLive();
    // A change in another browser.
    editor.get(page("flags/dark_mode"));
    editor.clickToNextPage(By.cssSelector("form.state button[type=submit]"));
    editor.clickToNextPage(By.id("confirm"));
    watcher.waitFor(d -> watcher.text(By.cssSelector("#f-dark_mode .c-state")).equals("Off"));
    assertThat(watcher.text(By.cssSelector("#f-dark_mode .c-change"))).startsWith("alice · ");
    // A change through the write API (the CLI, another instance).
    runtime.admin().setRolloutPercentage("dark_mode", 75, Change.by("bob"));
    watcher.waitFor(d -> watcher.text(By.cssSelector("#f-dark_mode .c-rollout")).equals("75%"));
    // A raw change of the store, as redis-cli or a text editor makes it.
    rawSetOff("legacy_banner");
    watcher.waitFor(d -> watcher.text(By.cssSelector("#f-legacy_banner .c-state")).equals("Off"));
    watcher.assertAccessible("all flags (viewer)");
  }

  @Test
  void aChangeMadeMeanwhileIsReportedNotOverwritten() {
    editor.get(page("flags/recommendations"));
    editor.waitForLive();
    runtime.admin().setRolloutPercentage("recommendations", 30, Change.by("bob").because("A/B"));
    editor.waitFor(d -> editor.find(By.id("live-notice")).isDisplayed());
    assertThat(editor.text(By.id("live-notice"))).startsWith("bob changed this flag just now");
    WebElement percentage = editor.find(By.id("percentage"));
    percentage.clear();
    percentage.sendKeys("40");
    editor.clickToNextPage(By.cssSelector("form.rollout button[type=submit]"));
    assertThat(editor.text(By.id("notice")))
        .startsWith("bob changed this flag ")
        .contains("(“A/B”)", "your page showed version", "Nothing was changed: review the flag");
    shot(editor, "conflict");
    assertThat(
            AuditDiff.truePercentage(runtime.admin().get("recommendations").orElseThrow().flag()))
        .contains(30.0);
    // The page now shows bob's version: retrying applies.
    percentage = editor.find(By.id("percentage"));
    percentage.clear();
    percentage.sendKeys("40");
    editor.clickToNextPage(By.cssSelector("form.rollout button[type=submit]"));
    editor.clickToNextPage(By.id("confirm"));
    assertThat(editor.text(By.id("notice"))).startsWith("Saved");
    assertThat(
            AuditDiff.truePercentage(runtime.admin().get("recommendations").orElseThrow().flag()))
        .contains(40.0);
  }

  @Test
  void theKeyboardReachesTheSkipLinkFirstAndItLeadsToTheContent() {
    editor.get(page("flags/new_checkout_flow"));
    editor.find(By.tagName("body")).sendKeys(Keys.TAB);
    assertThat(editor.js("return document.activeElement.className")).isEqualTo("skip");
    editor.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
    editor.waitFor(d -> "main".equals(editor.js("return document.activeElement.id")));
    // From the content, the next stop is its first link, then the first control of a change.
    editor.driver().switchTo().activeElement().sendKeys(Keys.TAB);
    assertThat(editor.js("return document.activeElement.textContent")).isEqualTo("All flags");
    editor.driver().switchTo().activeElement().sendKeys(Keys.TAB);
    assertThat(editor.js("return document.activeElement.id")).isEqualTo("reason-state");
  }

  @Test
  void everyListingPageIsAccessibleAndFitsAPhone() {
    editor.get(page(""));
    editor.assertAccessible("all flags");
    shot(editor, "all-flags");
    editor.find(By.id("q")).sendKeys("checkout");
    editor.waitFor(d -> editor.text(By.id("count")).equals("1 of " + SEEDED.size() + " flags"));
    assertThat(editor.find(By.id("f-new_checkout_flow")).isDisplayed()).isTrue();
    assertThat(editor.findAll(By.id("f-dark_mode"))).isEmpty();
    editor.find(By.id("q")).clear();
    editor.js(
        "var q = document.getElementById('q'); q.value = ''; q.dispatchEvent(new Event('input'));");
    new org.openqa.selenium.support.ui.Select(editor.find(By.id("owner")))
        .selectByVisibleText("team-payments");
    editor.waitFor(d -> editor.text(By.id("count")).equals("2 of " + SEEDED.size() + " flags"));
    editor.get(page("?past=1"));
    assertThat(editor.text(By.id("count"))).isEqualTo("1 of " + SEEDED.size() + " flags");

    editor.get(page("past-kill-date"));
    editor.assertAccessible("past kill date");
    assertThat(editor.text(By.cssSelector("#past-flags tbody")))
        .contains("summer_banner", "2025-09-30");
    shot(editor, "past-kill-date");

    editor.get(page("status"));
    editor.assertAccessible("store status");
    assertThat(editor.text(By.id("store-status"))).isEqualTo("Connected");
    assertThat(editor.text(By.cssSelector("dl.details"))).contains("Flags served", "Instance");
    shot(editor, "status");

    editor.get(page("flags/no_such_flag"));
    editor.assertAccessible("not found");

    editor.size(375, 812);
    try {
      for (String p : List.of("", "flags/new_checkout_flow", "past-kill-date", "status")) {
        editor.get(page(p));
        Object overflow =
            editor.js(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(((Number) overflow).intValue())
            .as("no sideways scrolling at 375 px: /" + p)
            .isLessThanOrEqualTo(0);
        editor.assertAccessible("phone /" + p);
      }
      editor.get(page(""));
      shot(editor, "phone-all-flags");
      editor.get(page("flags/new_checkout_flow"));
      shot(editor, "phone-flag");
    } finally {
      editor.size(1280, 900);
    }
  }

  void shot(Browser b, String name) {
    if (takesScreenshots()) {
      b.screenshot(name);
    }
  }
}
