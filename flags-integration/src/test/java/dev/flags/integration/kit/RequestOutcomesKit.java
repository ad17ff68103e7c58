package dev.flags.integration.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.Flag;
import dev.flags.core.GuardedRollout;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.spi.LatencyHistogram;
import dev.flags.integration.FlagsConfigurationException;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisFlagAdmin;
import dev.flags.testsupport.RedisServerProcess;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Web requests count as outcomes of guarded rollouts with nothing in the application's code
 * (docs/guarded-rollouts.md): with {@code flags.guarded-rollouts.enabled=true}, a request whose
 * handler evaluated a flag with a plan counts once for the variation it got — an error when it ends
 * with a 5xx or an exception, a success otherwise (a 4xx is the caller's mistake), with its latency
 * — in Redis, where every instance's outcomes meet; a request that evaluated no guarded flag counts
 * nothing; on another store than Redis, the switch stops start-up. Against a real redis-server and
 * the framework's real HTTP server; each test has flags of its own. The controller is off here, so
 * the plans stay where they are.
 */
public abstract class RequestOutcomesKit extends KitBase {

  /** Targeted at the new variation (1) of every guarded flag; everybody else gets 0. */
  static final String NEW_USER = "kit-new-user";

  static final String OLD_USER = "kit-old-user";

  private RedisServerProcess redis;
  private KitApplication app;

  @BeforeAll
  void startRedisAndTheApplication() throws Exception {
    redis = RedisServerProcess.start();
    try (FlagAdmin admin =
        RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build()) {
      for (String key :
          new String[] {
            "kit_5xx", "kit_threw", "kit_ok", "kit_sentinel", "kit_plan", "kit_upper"
          }) {
        admin.create(
            Flag.builder(key)
                .fallthrough(false)
                .target(1, NEW_USER)
                .guardedRollout(GuardedRollout.DEFAULT)
                .build(),
            Change.by("kit").because("a guarded flag"));
      }
      admin.create(
          Flag.builder("kit_plain").fallthrough(false).target(1, NEW_USER).build(),
          Change.by("kit").because("a flag without a plan"));
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("flags.redis.url", redis.uri());
    settings.put("flags.fail-fast-timeout", "10s");
    settings.put("flags.guarded-rollouts.enabled", "true");
    settings.put("flags.guarded-rollouts.controller", "false");
    settings.put("flags.guarded-rollouts.outcome-flush-interval", "50ms");
    settings.put("flags.admin.enabled", "true");
    settings.put("flags.admin.write-enabled", "true");
    app = start(KitOptions.of(settings));
  }

  @AfterAll
  void stopTheApplicationAndRedis() {
    if (app != null) {
      app.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void aRequestThatGotTheNewVariationAndAnswered5xxCountsAnErrorForIt() {
    KitResponse r = probe("kit_5xx", NEW_USER, 503, false);
    assertThat(r.status()).as(r.toString()).isEqualTo(503);
    await().atMost(Duration.ofSeconds(10)).until(() -> count("kit_5xx", 1, "err") == 1);
    assertThat(count("kit_5xx", 1, "ok")).isZero();
    assertThat(count("kit_5xx", 0, "ok") + count("kit_5xx", 0, "err")).isZero();
    assertThat(latencies("kit_5xx", 1)).as("its latency is recorded").isEqualTo(1);
  }

  @Test
  void aRequestWhoseHandlerThrewCountsAnErrorForTheVariationItGot() {
    KitResponse r = probe("kit_threw", OLD_USER, 200, true);
    assertThat(r.status()).as(r.toString()).isEqualTo(500);
    await().atMost(Duration.ofSeconds(10)).until(() -> count("kit_threw", 0, "err") == 1);
    assertThat(count("kit_threw", 0, "ok")).isZero();
    assertThat(count("kit_threw", 1, "ok") + count("kit_threw", 1, "err")).isZero();
  }

  @Test
  void a2xxOrA4xxCountsASuccessOncePerRequest() {
    assertThat(probe("kit_ok", NEW_USER, 200, false).status()).isEqualTo(200);
    assertThat(probe("kit_ok", NEW_USER, 201, false).status()).isEqualTo(201);
    assertThat(probe("kit_ok", OLD_USER, 404, false).status()).isEqualTo(404);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> count("kit_ok", 1, "ok") == 2 && count("kit_ok", 0, "ok") == 1);
    assertThat(count("kit_ok", 1, "err") + count("kit_ok", 0, "err")).isZero();
  }

  @Test
  void aRequestThatEvaluatedNoGuardedFlagRecordsNothing() {
    assertThat(probe("kit_plain", NEW_USER, 500, false).status()).isEqualTo(500);
    assertThat(Kit.send(app, KitUser.NONE, "GET", app.contextProbe(), null).status())
        .isEqualTo(200);
    // A guarded request after them: once its outcome is in Redis, theirs would be too.
    assertThat(probe("kit_sentinel", NEW_USER, 500, false).status()).isEqualTo(500);
    await().atMost(Duration.ofSeconds(10)).until(() -> count("kit_sentinel", 1, "err") == 1);
    try (var jedis = redis.jedis()) {
      assertThat(jedis.keys("feature:#outcomes:kit_plain:*")).isEmpty();
    }
    assertThat(count("kit_sentinel", 1, "err")).as("only the sentinel's own request").isEqualTo(1);
  }

  @Test
  void theAdminApiOfAnInstanceThatDoesNotLeadShowsAndPausesThePlan() {
    // flags.guarded-rollouts.enabled gives the framework's admin API the plans' live side, even
    // with the controller off here: any instance may act on a plan's state in Redis.
    KitResponse pending = get(app, KitUser.VIEWER, "/flags/kit_plan/guarded-rollout");
    assertThat(pending.status()).as(pending.toString()).isEqualTo(200);
    assertThat(pending.text("state")).isEqualTo("pending");
    KitResponse paused =
        admin(
            app,
            KitUser.EDITOR,
            "POST",
            "/flags/kit_plan/guarded-rollout/pause",
            "{\"reason\": \"kit\"}",
            "Content-Type",
            "application/json");
    assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
    assertThat(paused.text("state")).isEqualTo("paused");
    assertThat(get(app, KitUser.VIEWER, "/flags/kit_plan/guarded-rollout").text("state"))
        .isEqualTo("paused");
  }

  @Test
  void guardedRolloutsOnThePropertiesStoreStopStartNamingTheSetting() {
    // A switch that silently did nothing would leave the team believing its canary guarded.
    FlagsConfigurationException e =
        KitStart.configurationError(
            KitStart.failure(
                () -> start(KitOptions.of(Map.of("flags.guarded-rollouts.enabled", "true")))));
    assertThat(e.property()).isEqualTo("flags.guarded-rollouts.enabled");
    assertThat(e.problem()).startsWith("needs the Redis store");
  }

  @Test
  void anUpperCaseTrueSwitchesCountingOnAsTheSettingsBinderReadsIt() throws Exception {
    // The binder reads booleans in any case; a framework condition on the raw property must not
    // disagree with it (Micronaut's @Requires compares values as written).
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("flags.redis.url", redis.uri());
    settings.put("flags.fail-fast-timeout", "10s");
    settings.put("flags.guarded-rollouts.enabled", "TRUE");
    settings.put("flags.guarded-rollouts.controller", "false");
    settings.put("flags.guarded-rollouts.outcome-flush-interval", "50ms");
    KitApplication upper = startForTest(KitOptions.of(settings));
    KitResponse r = probe(upper, "kit_upper", NEW_USER, 503, false);
    assertThat(r.status()).as(r.toString()).isEqualTo(503);
    await().atMost(Duration.ofSeconds(10)).until(() -> count("kit_upper", 1, "err") == 1);
  }

  private KitResponse probe(String flag, String user, int status, boolean fail) {
    return probe(app, flag, user, status, fail);
  }

  private static KitResponse probe(
      KitApplication app, String flag, String user, int status, boolean fail) {
    URI uri =
        URI.create(
            app.outcomeProbe()
                + "?flag="
                + flag
                + "&user="
                + user
                + "&status="
                + status
                + "&fail="
                + fail);
    return Kit.send(app, KitUser.NONE, "GET", uri, null);
  }

  /** A counter ({@code ok}, {@code err}) of a flag's variation in Redis, over every bucket. */
  private long count(String flag, int variation, String counter) {
    return sum(flag, variation + ":" + counter);
  }

  /** How many latencies of a flag's variation Redis holds, over every histogram bucket. */
  private long latencies(String flag, int variation) {
    long n = 0;
    for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
      n += sum(flag, variation + ":lat" + i);
    }
    return n;
  }

  private long sum(String flag, String field) {
    long sum = 0;
    try (var jedis = redis.jedis()) {
      for (String key : jedis.keys("feature:#outcomes:" + flag + ":*")) {
        String v = jedis.hget(key, field);
        sum += v == null ? 0 : Long.parseLong(v);
      }
    }
    return sum;
  }
}
