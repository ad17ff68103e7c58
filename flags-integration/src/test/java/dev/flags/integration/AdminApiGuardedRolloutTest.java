package dev.flags.integration;

import static dev.flags.integration.AdminApiTest.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flags.core.JsonValue;
import dev.flags.core.admin.StoreUnavailableException;
import dev.flags.core.json.FlagCodec;
import dev.flags.redis.GuardedRollouts;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.testsupport.RedisServerProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /flags/{key}/guarded-rollout} over a real redis-server and a real {@link GuardedRollouts}
 * controller, through {@link RolloutPlans} ({@link RedisStores#rolloutPlans}): the plan with its
 * live state and the guard's numbers, pause, resume and abort as the caller, and the problems.
 */
class AdminApiGuardedRolloutTest {

  private static final FlagCodec CODEC = FlagCodec.standard();
  private static final FlagsHttpRequest.Caller VIEWER =
      new FlagsHttpRequest.Caller("victor", r -> r.equals("FLAGS_VIEWER"));
  private static final String PLANNED =
      "{\"key\":\"checkout\",\"variations\":[false,true],\"fallthrough\":{\"variation\":0},"
          + "\"guardedRollout\":{\"steps\":[{\"percent\":10,\"holdSeconds\":60},"
          + "{\"percent\":100,\"holdSeconds\":60}]}}";

  private RedisServerProcess redis;
  private FlagsRuntime runtime;
  private GuardedRollouts controller;

  @BeforeEach
  void start() {
    redis = RedisServerProcess.start();
    runtime = runtime(true);
    controller =
        GuardedRollouts.builder(RedisConnectionSettings.standalone(redis.uri()))
            .checkInterval(Duration.ofMillis(50))
            .leaseTime(Duration.ofSeconds(2))
            .build();
  }

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.close();
    }
    if (runtime != null) {
      runtime.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private FlagsRuntime runtime(boolean writes) {
    Map<String, String> m = new HashMap<>();
    m.put("flags.admin.enabled", "true");
    m.put("flags.admin.write-enabled", Boolean.toString(writes));
    m.put("flags.redis.url", redis.uri());
    return FlagsRuntime.builder(FlagsSettings.from(SettingsSource.of(m))).build();
  }

  private AdminApi api() {
    return AdminApi.builder(runtime).rolloutPlans(RedisStores.rolloutPlans(controller)).build();
  }

  private static Map<String, JsonValue> json(FlagsHttpResponse r) {
    return ((JsonValue.Obj) CODEC.parse(r.body())).members();
  }

  private static String text(FlagsHttpResponse r, String member) {
    return ((JsonValue.Str) json(r).get(member)).value();
  }

  @Test
  void showsThePlanItsStateAndTheGuardsNumbers() {
    AdminApi api = api();
    assertThat(call(api, "POST", "/flags", PLANNED).status()).isEqualTo(201);
    FlagsHttpResponse pending = call(api, "GET", "/flags/checkout/guarded-rollout", null);
    assertThat(pending.status()).isEqualTo(200);
    assertThat(text(pending, "state")).isEqualTo("pending");
    assertThat(json(pending).get("percent")).isEqualTo(JsonValue.of(0.0));
    assertThat(CODEC.write(json(pending).get("plan")))
        .contains("\"percent\":10", "\"holdSeconds\":60", "\"onTrip\":\"rollback\"");
    assertThat(CODEC.write(json(pending).get("actions"))).isEqualTo("[\"pause\",\"abort\"]");
    assertThat(pending.header("ETag"))
        .as("the flag's version")
        .contains("\"" + CODEC.write(json(pending).get("version")) + "\"");

    controller.start();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                json(call(api, "GET", "/flags/checkout/guarded-rollout", null)).get("lastVerdict")
                    instanceof JsonValue.Obj);
    FlagsHttpResponse running = call(api, "GET", "/flags/checkout/guarded-rollout", null);
    assertThat(text(running, "state")).isEqualTo("running");
    assertThat(json(running).get("percent")).isEqualTo(JsonValue.of(10.0));
    assertThat(json(running).get("stepPercent")).isEqualTo(JsonValue.of(10));
    assertThat(text(running, "stepStartedAt")).matches("\\d{4}-.*Z");
    Map<String, JsonValue> verdict = ((JsonValue.Obj) json(running).get("lastVerdict")).members();
    assertThat(verdict.get("outcome")).isEqualTo(JsonValue.of("WAITING"));
    assertThat(((JsonValue.Str) verdict.get("detail")).value())
        .as("no outcomes arrived: the guard waits, with its numbers")
        .contains("new variation 1: 0 errors of 0", "waiting for 100 outcomes of each");
    assertThat(
            call(api, VIEWER, "192.0.2.1", "GET", "/flags/checkout/guarded-rollout", null).status())
        .as("viewers read it")
        .isEqualTo(200);
  }

  @Test
  void pauseResumeAbortAndRestartAsTheCallerWithAReason() {
    AdminApi api = api();
    call(api, "POST", "/flags", PLANNED);
    FlagsHttpResponse paused =
        call(
            api,
            "POST",
            "/flags/checkout/guarded-rollout/pause",
            "{\"reason\":\"waiting for the release notes\"}");
    assertThat(paused.status()).isEqualTo(200);
    assertThat(text(paused, "state")).isEqualTo("paused");
    assertThat(text(paused, "note")).isEqualTo("paused by erin: waiting for the release notes");
    assertThat(CODEC.write(json(paused).get("actions"))).isEqualTo("[\"resume\",\"abort\"]");
    assertThat(controller.status("checkout").state()).isEqualTo(GuardedRollouts.State.PAUSED);

    FlagsHttpResponse again = call(api, "POST", "/flags/checkout/guarded-rollout/pause", null);
    assertThat(again.status()).isEqualTo(409);
    assertThat(text(again, "type")).isEqualTo("urn:flags:problem:rollout-state");
    assertThat(text(again, "state")).isEqualTo("paused");
    assertThat(text(again, "detail")).contains("is paused", "only a running or pending plan");

    FlagsHttpResponse resumed = call(api, "POST", "/flags/checkout/guarded-rollout/resume", "");
    assertThat(text(resumed, "state")).isEqualTo("running");
    assertThat(text(resumed, "note")).isEqualTo("resumed by erin");

    FlagsHttpResponse aborted =
        call(api, "POST", "/flags/checkout/guarded-rollout/abort", "{\"reason\":\"superseded\"}");
    assertThat(text(aborted, "state")).isEqualTo("aborted");
    assertThat(text(aborted, "note")).isEqualTo("aborted by erin: superseded");
    assertThat(CODEC.write(json(aborted).get("actions"))).isEqualTo("[\"restart\"]");
    assertThat(call(api, "POST", "/flags/checkout/guarded-rollout/resume", null).status())
        .isEqualTo(409);

    FlagsHttpResponse restarted =
        call(api, "POST", "/flags/checkout/guarded-rollout/restart", "{\"reason\":\"v2 out\"}");
    assertThat(restarted.status()).isEqualTo(200);
    assertThat(text(restarted, "state")).isEqualTo("pending");
    assertThat(text(restarted, "note")).isEqualTo("restarted by erin: v2 out");
    assertThat(CODEC.write(json(restarted).get("actions"))).isEqualTo("[\"pause\",\"abort\"]");
    assertThat(controller.status("checkout").state()).isEqualTo(GuardedRollouts.State.PENDING);
    FlagsHttpResponse twice = call(api, "POST", "/flags/checkout/guarded-rollout/restart", null);
    assertThat(twice.status()).isEqualTo(409);
    assertThat(text(twice, "detail")).contains("is pending", "only a plan that ended");
  }

  @Test
  void writesKeepTheAdminApisRules() {
    AdminApi api = api();
    call(api, "POST", "/flags", PLANNED);
    FlagsHttpResponse viewer =
        call(api, VIEWER, "192.0.2.1", "POST", "/flags/checkout/guarded-rollout/abort", null);
    assertThat(viewer.status()).isEqualTo(403);
    assertThat(
            call(api, "POST", "/flags/checkout/guarded-rollout/pause", "{\"why\":\"x\"}").status())
        .as("unknown body members are refused")
        .isEqualTo(400);
    assertThat(controller.status("checkout").state()).isEqualTo(GuardedRollouts.State.PENDING);

    runtime.close();
    runtime = runtime(false);
    FlagsHttpResponse disabled = call(api(), "POST", "/flags/checkout/guarded-rollout/pause", null);
    assertThat(disabled.status()).isEqualTo(405);
    assertThat(text(disabled, "type")).isEqualTo("urn:flags:problem:writes-disabled");
    assertThat(controller.status("checkout").state()).isEqualTo(GuardedRollouts.State.PENDING);
  }

  @Test
  void aFlagWithoutAPlanOrNoFlagIsNotFound() {
    AdminApi api = api();
    call(
        api,
        "POST",
        "/flags",
        "{\"key\":\"plain\",\"variations\":[false,true],\"fallthrough\":{\"variation\":0}}");
    FlagsHttpResponse plain = call(api, "GET", "/flags/plain/guarded-rollout", null);
    assertThat(plain.status()).isEqualTo(404);
    assertThat(text(plain, "detail")).contains("has no guarded rollout plan");
    assertThat(call(api, "POST", "/flags/plain/guarded-rollout/pause", null).status())
        .isEqualTo(404);
    assertThat(call(api, "GET", "/flags/nothing/guarded-rollout", null).status()).isEqualTo(404);
  }

  @Test
  void withoutRolloutPlansTheApiSaysTheyNeedRedis() {
    AdminApi api = AdminApi.builder(runtime).build();
    call(api, "POST", "/flags", PLANNED);
    for (String[] call :
        new String[][] {
          {"GET", "/flags/checkout/guarded-rollout"},
          {"POST", "/flags/checkout/guarded-rollout/abort"}
        }) {
      FlagsHttpResponse r = call(api, call[0], call[1], null);
      assertThat(r.status()).as(call[1]).isEqualTo(409);
      assertThat(text(r, "type")).isEqualTo("urn:flags:problem:rollouts-unavailable");
      assertThat(text(r, "detail")).contains("need a Redis store", "flags.store=redis");
    }
  }

  @Test
  void theRuntimeMayHandOverTheControllerWithoutNamingItsType() {
    AutoCloseable held = controller; // how code outside RedisStores keeps it
    AdminApi api = AdminApi.builder(runtime).rolloutPlans(RedisStores.rolloutPlans(held)).build();
    call(api, "POST", "/flags", PLANNED);
    assertThat(call(api, "POST", "/flags/checkout/guarded-rollout/pause", null).status())
        .isEqualTo(200);
    assertThat(controller.status("checkout").state()).isEqualTo(GuardedRollouts.State.PAUSED);
    assertThatThrownBy(() -> RedisStores.rolloutPlans((AutoCloseable) () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a GuardedRollouts");
  }

  @Test
  void redisDownIsUnavailableNotAnError() {
    AdminApi api = api();
    call(api, "POST", "/flags", PLANNED);
    RolloutPlans plans = RedisStores.rolloutPlans(controller);
    redis.kill9();
    assertThatThrownBy(() -> plans.status("checkout"))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("cannot be reached");
    assertThatThrownBy(() -> plans.pause("checkout", "erin", ""))
        .isInstanceOfSatisfying(
            StoreUnavailableException.class, e -> assertThat(e.mayHaveBeenApplied()).isTrue());
    assertThat(call(api, "GET", "/flags/checkout/guarded-rollout", null).status()).isEqualTo(503);
    assertThat(call(api, "POST", "/flags/checkout/guarded-rollout/pause", null).status())
        .isEqualTo(503);
  }
}
