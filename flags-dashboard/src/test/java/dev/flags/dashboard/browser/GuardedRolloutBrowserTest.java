package dev.flags.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Flag;
import dev.flags.core.GuardedRollout;
import dev.flags.core.admin.Change;
import dev.flags.dashboard.Dashboard;
import dev.flags.dashboard.JdkDashboardServer;
import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.FlagsSettings;
import dev.flags.integration.RolloutPlans;
import dev.flags.integration.SettingsSource;
import dev.flags.redis.GuardedRollouts;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.testsupport.RedisServerProcess;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A flag's guarded rollout on its page, in Debian's chromium, over a real redis-server and a real
 * controller: a viewer sees the plan without buttons and sees the controller's first step arrive
 * live; an editor pauses and aborts a plan after confirmations naming the flag and the environment.
 * axe-core checks each page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuardedRolloutBrowserTest {

  static final List<JdkDashboardServer.User> USERS =
      List.of(
          new JdkDashboardServer.User("alice", "alice-pw", "FLAGS_EDITOR"),
          new JdkDashboardServer.User("victor", "victor-pw", "FLAGS_VIEWER"));

  RedisServerProcess redis;
  FlagsRuntime runtime;
  GuardedRollouts controller;
  JdkDashboardServer server;
  Browser editor;
  Browser viewer;

  static Flag planned(String key) {
    return Flag.builder(key)
        .fallthrough(false)
        .guardedRollout(
            new GuardedRollout(
                1,
                0,
                List.of(
                    new GuardedRollout.Step(10, Duration.ofMinutes(10), 100),
                    new GuardedRollout.Step(100, Duration.ofMinutes(10), 100)),
                GuardedRollout.Guard.DEFAULT,
                GuardedRollout.OnTrip.ROLLBACK))
        .build();
  }

  @BeforeAll
  void start() throws Exception {
    redis = RedisServerProcess.start();
    runtime =
        FlagsRuntime.builder(
                FlagsSettings.from(
                    SettingsSource.of(
                        Map.of(
                            "flags.store", "redis",
                            "flags.redis.url", redis.uri(),
                            "flags.dashboard.enabled", "true",
                            "flags.dashboard.environment", "production"))))
            .build();
    assertThat(runtime.flags().awaitInitialization(Duration.ofSeconds(10))).isTrue();
    runtime.admin().create(planned("checkout"), Change.by("seed"));
    runtime.admin().create(planned("search_v2"), Change.by("seed"));
    controller =
        GuardedRollouts.builder(RedisConnectionSettings.standalone(redis.uri()))
            .checkInterval(Duration.ofMillis(100))
            .leaseTime(Duration.ofSeconds(2))
            .build();
    server =
        JdkDashboardServer.start(
            Dashboard.builder(runtime).rolloutPlans(RolloutPlans.over(controller)).build(), USERS);
    editor = Browser.start();
    editor.signIn(server.baseUri(), "alice", "alice-pw", server.dashboardUri());
    viewer = Browser.start();
    viewer.signIn(server.baseUri(), "victor", "victor-pw", server.dashboardUri());
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c :
        new AutoCloseable[] {editor, viewer, server, controller, runtime, redis}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // closing what the tests started
      }
    }
  }

  URI page(String path) {
    return URI.create(server.dashboardUri() + path);
  }

  @Test
  void aViewerSeesThePlanWithoutButtonsAndItsFirstStepLive() {
    viewer.get(page("flags/checkout"));
    viewer.waitForLive();
    assertThat(viewer.text(By.id("h-plan"))).isEqualTo("Guarded rollout");
    assertThat(viewer.text(By.id("plan-state"))).isEqualTo("Not started.");
    assertThat(viewer.text(By.id("plan-percent"))).isEqualTo("0%");
    assertThat(viewer.findAll(By.cssSelector("ol.plan-steps li")))
        .extracting(e -> e.getText())
        .containsExactly(
            "10% for at least 10 min and 100 requests of on",
            "100% for at least 10 min and 100 requests of on");
    assertThat(viewer.findAll(By.cssSelector(".plan-actions button"))).isEmpty();
    viewer.assertAccessible("flag with a guarded rollout");

    controller.start(); // the plan starts: its first step (10%) is written to the flag
    viewer.waitFor(d -> viewer.text(By.id("plan-percent")).equals("10%"));
    assertThat(viewer.text(By.id("plan-moved")))
        .startsWith("The plan changed the flag just now: guarded rollout: step 1 of 2, 10%");
    viewer.get(page("flags/checkout"));
    assertThat(viewer.text(By.id("plan-state"))).startsWith("Running at step 1 of 2 (10%)");
    assertThat(viewer.text(By.cssSelector("ol.plan-steps li[aria-current=step]")))
        .startsWith("10%");
  }

  @Test
  void anEditorPausesAbortsAndRestartsAfterConfirmationsNamingTheFlag() {
    editor.get(page("flags/search_v2"));
    editor.assertAccessible("flag with a guarded rollout, editor");
    editor.clickToNextPage(By.id("plan-pause"));
    assertThat(editor.text(By.tagName("h1")))
        .isEqualTo("Pause the guarded rollout of search_v2 in production?");
    editor.assertAccessible("pause confirmation");
    editor.find(By.id("reason")).sendKeys("error budget spent");
    editor.clickToNextPage(By.id("confirm"));
    assertThat(editor.text(By.id("notice"))).isEqualTo("Done: the guarded rollout is paused.");
    assertThat(editor.text(By.id("plan-state"))).startsWith("Paused");
    assertThat(editor.text(By.id("plan-note")))
        .isEqualTo("Last: paused by alice: error budget spent");
    assertThat(editor.findAll(By.id("plan-pause"))).isEmpty();
    assertThat(controller.status("search_v2").state()).isEqualTo(GuardedRollouts.State.PAUSED);

    editor.clickToNextPage(By.id("plan-abort"));
    assertThat(editor.text(By.tagName("h1")))
        .isEqualTo("Abort the guarded rollout of search_v2 in production?");
    editor.clickToNextPage(By.id("confirm"));
    assertThat(editor.text(By.id("plan-state"))).startsWith("Aborted");
    assertThat(editor.findAll(By.cssSelector(".plan-actions button")))
        .as("an ended plan can only be restarted")
        .extracting(WebElement::getText)
        .containsExactly("Restart…");
    assertThat(controller.status("search_v2").state()).isEqualTo(GuardedRollouts.State.ABORTED);

    editor.clickToNextPage(By.id("plan-restart"));
    assertThat(editor.text(By.tagName("h1")))
        .isEqualTo("Restart the guarded rollout of search_v2 in production?");
    editor.assertAccessible("restart confirmation");
    editor.find(By.id("reason")).sendKeys("budget back");
    editor.clickToNextPage(By.id("confirm"));
    assertThat(editor.text(By.id("notice"))).isEqualTo("Done: the guarded rollout is restarted.");
    assertThat(editor.text(By.id("plan-note"))).isEqualTo("Last: restarted by alice: budget back");
    assertThat(controller.status("search_v2").state()).isEqualTo(GuardedRollouts.State.PENDING);
  }
}
