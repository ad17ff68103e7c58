package dev.flags.dashboard;

import static dev.flags.dashboard.DashboardTest.ALICE;
import static dev.flags.dashboard.DashboardTest.VICTOR;
import static dev.flags.dashboard.DashboardTest.csrf;
import static dev.flags.dashboard.DashboardTest.get;
import static dev.flags.dashboard.DashboardTest.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Flag;
import dev.flags.core.GuardedRollout;
import dev.flags.core.admin.Change;
import dev.flags.integration.FlagsHttpResponse;
import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.FlagsSettings;
import dev.flags.integration.RolloutPlans;
import dev.flags.integration.SettingsSource;
import dev.flags.redis.GuardedRollouts;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.testsupport.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A flag's guarded rollout on its page, without a browser, over a real redis-server and controller:
 * what viewers and editors see, the confirmation naming the flag, and the refusals.
 */
class DashboardGuardedRolloutTest {

  RedisServerProcess redis;
  FlagsRuntime runtime;
  GuardedRollouts controller;
  Dashboard dashboard;

  @BeforeEach
  void start() {
    redis = RedisServerProcess.start();
    runtime =
        FlagsRuntime.builder(
                FlagsSettings.from(
                    SettingsSource.of(
                        Map.of(
                            "flags.dashboard.enabled", "true",
                            "flags.dashboard.environment", "staging",
                            "flags.redis.url", redis.uri()))))
            .build();
    runtime
        .admin()
        .create(
            Flag.builder("checkout")
                .fallthrough(false)
                .guardedRollout(
                    new GuardedRollout(
                        1,
                        0,
                        List.of(
                            new GuardedRollout.Step(10, Duration.ofMinutes(1), 50),
                            new GuardedRollout.Step(100, Duration.ofMinutes(1), 50)),
                        GuardedRollout.Guard.DEFAULT,
                        GuardedRollout.OnTrip.ROLLBACK))
                .build(),
            Change.by("seed"));
    runtime.admin().create(Flag.simple("plain", true), Change.by("seed"));
    controller =
        GuardedRollouts.builder(RedisConnectionSettings.standalone(redis.uri()))
            .checkInterval(Duration.ofMillis(50))
            .leaseTime(Duration.ofSeconds(2))
            .build();
    dashboard = Dashboard.builder(runtime).rolloutPlans(RolloutPlans.over(controller)).build();
  }

  @AfterEach
  void stop() {
    dashboard.close();
    controller.close();
    runtime.close();
    redis.close();
  }

  private Map<String, String> form(String page, String... more) {
    java.util.Map<String, String> f = new java.util.LinkedHashMap<>();
    f.put(Dashboard.CSRF_FIELD, csrf(page));
    f.put("version", "1");
    for (int i = 0; i < more.length; i += 2) {
      f.put(more[i], more[i + 1]);
    }
    return f;
  }

  @Test
  void viewersSeeThePlanAndEditorsItsActions() {
    String viewer = dashboard.handle(get("/flags/checkout", VICTOR)).body();
    assertThat(viewer)
        .contains("<h2 id=\"h-plan\">Guarded rollout</h2>", "Not started")
        .contains("10% for at least 1 min and 50 requests of on")
        .contains("Rolls back when the error rate of on is significantly above that of off")
        .doesNotContain("plan-pause", "plan-abort");
    String editor = dashboard.handle(get("/flags/checkout", ALICE)).body();
    assertThat(editor)
        .contains("id=\"plan-pause\"", "id=\"plan-abort\"")
        .doesNotContain("plan-resume\"");
    assertThat(dashboard.handle(get("/flags/plain", ALICE)).body()).doesNotContain("h-plan");
  }

  @Test
  void pauseAsksFirstNamingTheFlagThenPausesAsTheEditor() {
    String page = dashboard.handle(get("/flags/checkout", ALICE)).body();
    FlagsHttpResponse ask =
        dashboard.handle(post("/flags/checkout/plan-pause", form(page, "reason", "INC-9"), ALICE));
    assertThat(ask.status()).isEqualTo(200);
    assertThat(ask.body())
        .contains("Pause the guarded rollout of checkout in staging?")
        .contains("kept in the plan&#39;s note and the history", "name=\"confirm\" value=\"yes\"");
    assertThat(controller.status("checkout").state()).isEqualTo(GuardedRollouts.State.PENDING);

    FlagsHttpResponse done =
        dashboard.handle(
            post(
                "/flags/checkout/plan-pause",
                form(ask.body(), "reason", "INC-9", "confirm", "yes"),
                ALICE));
    assertThat(done.status()).isEqualTo(303);
    assertThat(done.header("Location")).hasValue("/flags/flags/checkout?plan=pause");
    assertThat(controller.status("checkout").note()).isEqualTo("paused by alice: INC-9");
    String after =
        dashboard
            .handle(
                new dev.flags.integration.FlagsHttpRequest(
                    "GET",
                    "/flags/checkout",
                    Map.of("plan", List.of("pause")),
                    Map.of(),
                    "",
                    java.util.Optional.of(ALICE),
                    "127.0.0.1"))
            .body();
    assertThat(after)
        .contains("Done: the guarded rollout is paused.", "<strong>Paused</strong>")
        .contains("Last: paused by alice: INC-9", "id=\"plan-resume\"")
        .as("in the flag's history, with the reason")
        .contains("<strong>alice</strong> paused the guarded rollout at version", "Why: INC-9")
        .doesNotContain("id=\"plan-pause\"");

    FlagsHttpResponse again =
        dashboard.handle(post("/flags/checkout/plan-pause", form(after, "confirm", "yes"), ALICE));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body()).contains("The guarded rollout is paused now, so it cannot be paused.");
  }

  @Test
  void anEndedPlanOffersRestartWhichAsksFirstThenStartsItAgainAsTheEditor() {
    assertThat(controller.abort("checkout", "bob", "wrong metric")).isTrue();
    String page = dashboard.handle(get("/flags/checkout", ALICE)).body();
    assertThat(page)
        .contains("id=\"plan-restart\"", "Last: aborted by bob: wrong metric")
        .doesNotContain("id=\"plan-pause\"", "id=\"plan-abort\"", "id=\"plan-resume\"");
    FlagsHttpResponse ask =
        dashboard.handle(
            post("/flags/checkout/plan-restart", form(page, "reason", "metric fixed"), ALICE));
    assertThat(ask.status()).isEqualTo(200);
    assertThat(ask.body()).contains("Restart the guarded rollout of checkout in staging?");
    assertThat(controller.status("checkout").state()).isEqualTo(GuardedRollouts.State.ABORTED);

    FlagsHttpResponse done =
        dashboard.handle(
            post(
                "/flags/checkout/plan-restart",
                form(ask.body(), "reason", "metric fixed", "confirm", "yes"),
                ALICE));
    assertThat(done.status()).isEqualTo(303);
    assertThat(done.header("Location")).hasValue("/flags/flags/checkout?plan=restart");
    assertThat(controller.status("checkout").state()).isEqualTo(GuardedRollouts.State.PENDING);
    assertThat(controller.status("checkout").note()).isEqualTo("restarted by alice: metric fixed");

    FlagsHttpResponse again =
        dashboard.handle(
            post("/flags/checkout/plan-restart", form(ask.body(), "confirm", "yes"), ALICE));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body())
        .contains("The guarded rollout is not started now, so it cannot be restarted.");
  }

  @Test
  void viewersAndDashboardsWithoutRedisCannotChangeIt() {
    String page = dashboard.handle(get("/flags/checkout", ALICE)).body();
    FlagsHttpResponse viewer =
        dashboard.handle(post("/flags/checkout/plan-abort", form(page, "confirm", "yes"), VICTOR));
    assertThat(viewer.status()).isEqualTo(403);
    assertThat(controller.status("checkout").state()).isEqualTo(GuardedRollouts.State.PENDING);

    try (Dashboard without = Dashboard.builder(runtime).build()) {
      String plain = without.handle(get("/flags/checkout", ALICE)).body();
      assertThat(plain)
          .contains("Guarded rollout", "this dashboard has no Redis store")
          .doesNotContain("id=\"plan-pause\"");
      FlagsHttpResponse refused =
          without.handle(post("/flags/checkout/plan-pause", form(plain, "confirm", "yes"), ALICE));
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.body()).contains("Guarded rollouts need a Redis store");
    }
  }
}
