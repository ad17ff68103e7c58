package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.Rollout;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.RestorePoint;
import dev.flags.micrometer.FlagMetrics;
import dev.flags.testsupport.RedisServerProcess;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of flags-redis's javadoc, run against a real redis-server. The javadoc shows the
 * regions between {@code @start} and {@code @end} ({@code {@snippet file=… region=…}}, with this
 * source directory as the snippet path); {@code @replace} swaps the test server's URL and temporary
 * files for what a reader would write.
 */
class JavadocExamplesTest {

  @Test
  void storeServesTheFlagsInRedis(@TempDir Path dir) {
    Path snapshot = dir.resolve("flags.json");
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      String redisUrl = redis.uri();
      try (FlagAdmin admin =
          RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redisUrl)).build()) {
        admin.create(Flag.simple("new_checkout_flow", true), Change.by("javadoc"));
      }
      // @start region="store"
      RedisFlagStore store =
          // @replace substring="redisUrl" replacement='"redis://localhost:6379"':
          RedisFlagStore.builder(RedisConnectionSettings.standalone(redisUrl))
              .prefix("feature:")
              // @replace substring="(snapshot)" replacement='(Path.of("/var/cache/flags.json"))':
              .snapshotFile(snapshot)
              .build();
      Flags flags = Flags.builder().store(store).build(); // never blocks on Redis
      // @end
      try (flags) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> flags.isEnabled("new_checkout_flow", EvaluationContext.of("user-42")));
      }
    }
  }

  @Test
  void adminWritesValidatedAuditedFlags() {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      String redisUrl = redis.uri();
      // @start region="admin"
      try (FlagAdmin admin =
          // @replace substring="redisUrl" replacement='"redis://localhost:6379"':
          RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redisUrl)).build()) {
        admin.create(Flag.simple("new_checkout_flow", true), Change.by("alice").because("PAY-12"));
        admin.setRolloutPercentage("new_checkout_flow", 10, Change.by("alice").because("canary"));
        admin.setOn("new_checkout_flow", false, Change.by("bob").because("INC-7")); // kill switch
        admin.restore("new_checkout_flow", RestorePoint.version(2), Change.by("bob")); // undo
      }
      // @end
      try (FlagAdmin admin =
          RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redisUrl)).build()) {
        Flag written = admin.get("new_checkout_flow").orElseThrow().flag();
        assertThat(written.on()).isTrue();
        assertThat(written.fallthrough()).isEqualTo(Rollout.percentage(10));
        assertThat(admin.audit(AuditQuery.flag("new_checkout_flow"))).hasSize(4);
      }
    }
  }

  @Test
  void metricsCountEvaluations() {
    MeterRegistry meterRegistry = new SimpleMeterRegistry();
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      RedisFlagStore store =
          RedisFlagStore.builder(RedisConnectionSettings.standalone(redis.uri())).build();
      // @start region="metrics"
      FlagMetrics metrics = FlagMetrics.create(meterRegistry);
      Flags flags = Flags.builder().store(store).evaluationHook(metrics).build();
      metrics.bind(flags).bind(store);
      // @end
      try (flags) {
        flags.isEnabled("new_checkout_flow", EvaluationContext.of("user-42"));
        assertThat(meterRegistry.find(FlagMetrics.EVALUATIONS).counters()).isNotEmpty();
        assertThat(meterRegistry.find(RedisFlagStore.METER_RECONNECTS).functionCounter())
            .isNotNull();
      }
    }
  }

  @Test
  void connectionSettingsForEachMode() {
    // @start region="settings"
    RedisConnectionSettings standalone =
        RedisConnectionSettings.standalone("rediss://app:secret@redis.internal:6380/2");
    RedisConnectionSettings sentinel =
        RedisConnectionSettings.sentinel("mymaster", List.of("10.0.0.1:26379", "10.0.0.2:26379"))
            .withPassword("secret")
            .withSentinelPassword("sentinel-secret");
    RedisConnectionSettings cluster =
        RedisConnectionSettings.cluster(List.of("10.0.0.1:7000", "10.0.0.2:7000"));
    // @end
    assertThat(List.of(standalone, sentinel, cluster))
        .allSatisfy(settings -> assertThat(settings.toString()).doesNotContain("secret"));
  }
}
