package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flags.core.Clause;
import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.Rollout;
import dev.flags.core.Rule;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.FlagRecord;
import dev.flags.core.admin.RestorePoint;
import dev.flags.core.admin.StoreUnavailableException;
import dev.flags.core.json.FlagCodec;
import dev.flags.testsupport.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The admin examples of docs/redis.md, run against a real redis-server. */
class RedisAdminDocsExampleTest {

  @Test
  void theChangeFlagsExamplesRun() {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      RedisConnectionSettings redis = RedisConnectionSettings.standalone(server.uri());
      byte[] flagsJson =
          "{\"flags\": {\"summer_sale_banner\": false}}".getBytes(StandardCharsets.UTF_8);
      // tag::redis-admin[]
      try (FlagAdmin admin = RedisFlagAdmin.builder(redis).build()) {
        admin.create(
            Flag.simple("new_checkout_flow", false), Change.by("alice").because("PAY-123"));
        admin.setRolloutPercentage("new_checkout_flow", 10, Change.by("alice"));
        admin.setOn("new_checkout_flow", true, Change.by("alice").because("canary: 10%"));
        admin.addTargets("new_checkout_flow", true, List.of("user-42"), Change.by("alice"));
        admin.setOn("new_checkout_flow", false, Change.by("bob").because("incident 7781"));
        admin
            .audit(AuditQuery.flag("new_checkout_flow")) // newest first
            .forEach(e -> System.out.println(e.time() + " " + e.actor() + ": " + e.reason()));
      }
      // end::redis-admin[]
      try (FlagAdmin admin = RedisFlagAdmin.builder(redis).build()) {
        // tag::redis-admin-seed[]
        FlagSet file = FlagCodec.standard().decodeFlagSet(flagsJson);
        List<String> created =
            admin.createMissing(file, Change.by("deploy-bot").because("seeded from flags.json"));
        // end::redis-admin-seed[]
        assertThat(created).containsExactly("summer_sale_banner");
        assertThat(admin.audit(AuditQuery.flag("new_checkout_flow")))
            .hasSize(5)
            .first()
            .satisfies(e -> assertThat(e.reason()).isEqualTo("incident 7781"));
      }
    }
  }

  @Test
  void aRawKillSwitchIsRestoredFromItsAuditEntry() {
    try (RedisServerProcess server = RedisServerProcess.start();
        FlagAdmin admin =
            RedisFlagAdmin.builder(RedisConnectionSettings.standalone(server.uri())).build()) {
      Flag checkout =
          Flag.builder("new_checkout_flow")
              .rule(Rule.when(Clause.in("country", "DE")).serve(true))
              .fallthroughRollout(Rollout.percentage(25))
              .build();
      admin.create(checkout, Change.by("alice"));
      try (Jedis j = server.jedis()) {
        j.set(
            "feature:new_checkout_flow", "false"); // redis-cli SET feature:new_checkout_flow false
      }
      AtomicReference<String> said = new AtomicReference<>();
      // tag::redis-admin-restore[]
      FlagRecord record = admin.find("new_checkout_flow").orElseThrow();
      if (record.killedByRawEdit()) {
        long before = record.version() - 1; // the version the raw edit replaced
        said.set("killed by a raw edit; restore version " + before);
        admin.restore(
            "new_checkout_flow", RestorePoint.version(before), Change.by("bob").because("undo"));
      }
      // end::redis-admin-restore[]
      assertThat(said.get()).isEqualTo("killed by a raw edit; restore version 1");
      assertThat(admin.get("new_checkout_flow").orElseThrow().flag().toBuilder().version(0).build())
          .isEqualTo(checkout);
    }
  }

  @Test
  void aWriteThatMayHaveBeenAppliedIsReadBeforeItIsRetried() {
    try (RedisServerProcess server = RedisServerProcess.start();
        FlagAdmin admin =
            RedisFlagAdmin.builder(RedisConnectionSettings.standalone(server.uri()))
                .writeTimeout(Duration.ofSeconds(2))
                .build()) {
      admin.create(Flag.simple("new_checkout_flow", true), Change.by("alice"));
      server.kill9();
      AtomicReference<String> outcome = new AtomicReference<>();
      // tag::redis-admin-unavailable[]
      try {
        admin.setOn("new_checkout_flow", false, Change.by("bob").because("incident 7781"));
      } catch (StoreUnavailableException e) {
        if (e.mayHaveBeenApplied()) {
          outcome.set("unknown: read the flag before trying again"); // never retry blindly
        } else {
          outcome.set("not applied: safe to try again"); // e.getMessage() says why
        }
      }
      // end::redis-admin-unavailable[]
      assertThat(outcome.get()).isEqualTo("not applied: safe to try again");
      assertThatThrownBy(() -> admin.get("new_checkout_flow"))
          .isInstanceOf(StoreUnavailableException.class);
    }
  }
}
