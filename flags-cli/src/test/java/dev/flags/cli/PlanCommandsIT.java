package dev.flags.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.JsonValue;
import dev.flags.core.json.FlagCodec;
import dev.flags.integration.AdminApi;
import dev.flags.integration.FlagsHttpHandler;
import dev.flags.integration.RolloutPlans;
import dev.flags.integration.jdk.JdkKitApplication;
import dev.flags.integration.kit.KitOptions;
import dev.flags.integration.kit.KitUser;
import dev.flags.redis.GuardedRollouts;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.testsupport.RedisServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flagctl plan} against a real redis-server and a real guarded rollout controller, through
 * the launcher: directly on Redis, and through an admin HTTP API given the plans' state.
 */
class PlanCommandsIT {

  static final String FLAGS =
      """
      {"flags": {
        "checkout": {
          "variations": [false, true], "fallthrough": {"variation": 0},
          "guardedRollout": {"steps": [{"percent": 10, "holdSeconds": 60},
                                       {"percent": 100, "holdSeconds": 60}]}
        },
        "plain": false
      }}
      """;

  @TempDir Path tmp;
  RedisServerProcess redis;
  GuardedRollouts controller;
  Shell sh;

  @BeforeEach
  void seed() throws Exception {
    redis = RedisServerProcess.start();
    controller =
        GuardedRollouts.builder(RedisConnectionSettings.standalone(redis.uri()))
            .checkInterval(Duration.ofMillis(50))
            .leaseTime(Duration.ofSeconds(2))
            .build();
    sh = new Shell(tmp.resolve("shell")).with("FLAGCTL_REDIS_URL", redis.uri());
    sh.write("seed.json", FLAGS);
    Shell.Result r = sh.run("import", "seed.json", "--yes");
    assertThat(r.code()).as(r.both()).isZero();
  }

  @AfterEach
  void stop() {
    controller.close();
    redis.close();
  }

  private static Map<String, JsonValue> json(Shell.Result r) {
    assertThat(r.code()).as(r.both()).isZero();
    return ((JsonValue.Obj) FlagCodec.standard().parse(r.out())).members();
  }

  @Test
  void statusShowsThePlanTheCurrentStepAndTheGuardsNumbers() throws Exception {
    Shell.Result pending = sh.run("plan", "status", "checkout");
    assertThat(pending.code()).as(pending.both()).isZero();
    assertThat(pending.out())
        .startsWith("checkout: guarded rollout pending, step 1 of 2 (10%)\n")
        .contains("serves     0% of users", "STEP", "MIN REQUESTS", "10%", "100%")
        .contains("guard      error rate of true against false: alpha 0.05")
        .contains("on trip: roll back");

    controller.start();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                json(sh.run("plan", "status", "checkout", "--json")).get("lastVerdict")
                    instanceof JsonValue.Obj);
    Shell.Result running = sh.run("plan", "status", "checkout");
    assertThat(running.out())
        .startsWith("checkout: guarded rollout running, step 1 of 2 (10%) since ")
        .contains("serves     10% of users (those its targets and rules do not decide)")
        .containsPattern("> 1 +10% +60 s +100")
        .contains("verdict    WAITING", "new variation 1: 0 errors of 0");
    Map<String, JsonValue> doc = json(sh.run("plan", "status", "checkout", "--json"));
    assertThat(doc.get("state")).isEqualTo(JsonValue.of("running"));
    assertThat(doc.get("percent")).isEqualTo(JsonValue.of(10.0));
    assertThat(FlagCodec.standard().write(doc.get("plan"))).contains("\"holdSeconds\":60");
  }

  @Test
  void pauseResumeAbortAndRestartAsTheActorWithTheReason() throws Exception {
    Shell.Result pause = sh.run("plan", "pause", "checkout", "-m", "INC-9: latency");
    assertThat(pause.code()).as(pause.both()).isZero();
    assertThat(pause.err()).startsWith("flagctl: no profile: redis ");
    assertThat(pause.out())
        .isEqualTo(
            "checkout: guarded rollout paused at step 1 of 2 (10%): paused by alice: INC-9:"
                + " latency\nundo: flagctl plan resume checkout\n");
    assertThat(controller.status("checkout").state()).isEqualTo(GuardedRollouts.State.PAUSED);

    Shell.Result again = sh.run("plan", "pause", "checkout");
    assertThat(again.code()).isEqualTo(Exit.CONFLICT);
    assertThat(again.errorLine())
        .isEqualTo(
            "flagctl: the guarded rollout of \"checkout\" is paused; only a running or pending"
                + " plan can be paused; nothing was changed");

    Map<String, JsonValue> resumed =
        json(sh.run("plan", "resume", "checkout", "--actor", "bob", "--json"));
    assertThat(resumed.get("state")).isEqualTo(JsonValue.of("running"));
    assertThat(resumed.get("note")).isEqualTo(JsonValue.of("resumed by bob"));
    assertThat(resumed.get("action")).isEqualTo(JsonValue.of("resume"));

    Shell.Result refused = sh.run("plan", "abort", "checkout");
    assertThat(refused.code()).as("no terminal, no --yes").isEqualTo(Exit.REFUSED);
    assertThat(controller.status("checkout").state()).isEqualTo(GuardedRollouts.State.RUNNING);
    Shell.Result abort = sh.run("plan", "abort", "checkout", "--yes", "-m", "superseded");
    assertThat(abort.out()).contains("guarded rollout aborted", "aborted by alice: superseded");
    assertThat(controller.status("checkout").state()).isEqualTo(GuardedRollouts.State.ABORTED);

    Map<String, JsonValue> restarted =
        json(sh.run("plan", "restart", "checkout", "-m", "v2 out", "--json"));
    assertThat(restarted.get("state")).isEqualTo(JsonValue.of("pending"));
    assertThat(restarted.get("note")).isEqualTo(JsonValue.of("restarted by alice: v2 out"));
    assertThat(controller.status("checkout").state()).isEqualTo(GuardedRollouts.State.PENDING);
    Shell.Result twice = sh.run("plan", "restart", "checkout");
    assertThat(twice.code()).isEqualTo(Exit.CONFLICT);
    assertThat(twice.errorLine())
        .isEqualTo(
            "flagctl: the guarded rollout of \"checkout\" is pending; only a plan that ended"
                + " (done, rolled back or aborted) can be restarted; nothing was changed");
  }

  @Test
  void planActionsAreInTheAuditAndUndoPassesOverThem() throws Exception {
    Shell.Result off = sh.run("off", "checkout", "--yes", "-m", "INC-9");
    assertThat(off.code()).as(off.both()).isZero();
    assertThat(sh.run("plan", "pause", "checkout", "-m", "INC-9: latency").code()).isZero();

    Shell.Result audit = sh.run("audit", "checkout");
    assertThat(audit.code()).as(audit.both()).isZero();
    assertThat(audit.out()).contains("plan-pause", "INC-9: latency");

    // Regression: undo took the newest entry, the pause, and found nothing to restore.
    Shell.Result undo = sh.run("restore", "checkout");
    assertThat(undo.code()).as(undo.both()).isZero();
    assertThat(undo.out()).contains("on: false -> true");
  }

  @Test
  void watchPrintsAnOperatorsPlanActionsThoughTheyChangeNoVersion() throws Exception {
    // Regression: watch followed versions only, and a plan action takes none.
    assertThat(sh.run("plan", "pause", "checkout", "-m", "before the watch").code()).isZero();
    try (Watcher w = new Watcher(sh, "checkout")) {
      assertThat(sh.run("plan", "resume", "checkout", "-m", "INC-9: fixed").code()).isZero();
      String line = w.awaitLine(l -> l.contains("plan-resume"));
      assertThat(line).contains("checkout", "guarded rollout resumed", "\"INC-9: fixed\"");
      assertThat(w.out()).as("entries from before the watch").noneMatch(l -> l.contains("pause"));
    }
  }

  @Test
  void aFlagWithoutAPlanAFileAndAnUnreachableRedisSayWhatIsWrong() throws Exception {
    Shell.Result plain = sh.run("plan", "status", "plain");
    assertThat(plain.code()).isEqualTo(Exit.NOT_FOUND);
    assertThat(plain.errorLine()).contains("flag \"plain\" has no guarded rollout plan");

    Shell file = new Shell(tmp.resolve("file"));
    file.write("flags.json", FLAGS);
    Shell.Result onFile = file.run("plan", "pause", "checkout", "--file", "flags.json");
    assertThat(onFile.code()).isEqualTo(Exit.UNREACHABLE);
    assertThat(onFile.errorLine()).contains("guarded rollouts need Redis");

    Shell.Result unknown = sh.run("plan", "status", "nope");
    assertThat(unknown.code()).isEqualTo(Exit.NOT_FOUND);

    redis.kill9();
    Shell.Result down = sh.run("plan", "status", "checkout");
    assertThat(down.code()).as(down.both()).isEqualTo(Exit.UNREACHABLE);
  }

  @Test
  void throughTheAdminApiTheServerRecordsItsUser() throws Exception {
    try (JdkKitApplication app =
        JdkKitApplication.start(
            KitOptions.of(
                Map.of(
                    "flags.admin.enabled", "true",
                    "flags.admin.write-enabled", "true",
                    "flags.redis.url", redis.uri())),
            runtime ->
                Map.<String, FlagsHttpHandler>of(
                    "/rollouts/api",
                    AdminApi.builder(runtime)
                        .rolloutPlans(RolloutPlans.over(controller))
                        .build()))) {
      Shell http =
          new Shell(tmp.resolve("http"))
              .with("FLAGCTL_SERVER", app.baseUri() + "/rollouts/api")
              .with("FLAGCTL_SERVER_USER", KitUser.EDITOR.username())
              .with("FLAGCTL_SERVER_PASSWORD", KitUser.EDITOR.password());
      Shell.Result pause;
      try (Watcher w = new Watcher(http, "--json")) {
        pause = http.run("plan", "pause", "checkout", "-m", "INC-9");
        assertThat(w.awaitLine(l -> l.contains("plan-pause")))
            .contains("\"actor\":\"" + KitUser.EDITOR.username() + "\"", "\"reason\":\"INC-9\"");
      }
      assertThat(pause.code()).as(pause.both()).isZero();
      assertThat(pause.out()).contains("paused by " + KitUser.EDITOR.username() + ": INC-9");
      assertThat(http.run("plan", "pause", "checkout").code()).isEqualTo(Exit.CONFLICT);
      assertThat(http.run("plan", "status", "checkout").out())
          .startsWith("checkout: guarded rollout paused, step 1 of 2 (10%)");
      assertThat(http.run("plan", "pause", "checkout", "--actor", "bob").code())
          .as("the server records its user")
          .isEqualTo(Exit.INVALID);
      assertThat(http.run("plan", "abort", "checkout", "--yes").code()).isZero();
      Shell.Result restart = http.run("plan", "restart", "checkout", "-m", "fixed");
      assertThat(restart.code()).as(restart.both()).isZero();
      assertThat(restart.out()).contains("restarted by " + KitUser.EDITOR.username() + ": fixed");
      assertThat(http.run("plan", "restart", "checkout").code()).isEqualTo(Exit.CONFLICT);

      Shell.Result without =
          http.with("FLAGCTL_SERVER", app.baseUri() + "/flags/api")
              .run("plan", "status", "checkout");
      assertThat(without.code()).as(without.both()).isEqualTo(Exit.UNREACHABLE);
      assertThat(without.errorLine()).contains("guarded rollouts need a Redis store");
    }
  }
}
