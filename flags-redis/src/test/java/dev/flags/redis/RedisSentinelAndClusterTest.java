package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.StoreUnavailableException;
import dev.flags.testsupport.RedisClusterSetup;
import dev.flags.testsupport.RedisSentinelSetup;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.exceptions.JedisException;

/** The store and the admin on Sentinel and on Cluster, with real processes. */
class RedisSentinelAndClusterTest {

  private static final EvaluationContext USER = EvaluationContext.of("user-1");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void readsContinueThroughASentinelFailoverAndWritesResumeAfterIt() throws Exception {
    try (RedisSentinelSetup sentinel = RedisSentinelSetup.start()) {
      RedisConnectionSettings settings =
          RedisConnectionSettings.sentinel(
              RedisSentinelSetup.MASTER_NAME, sentinel.sentinelNodes());
      try (FlagAdmin admin = RedisFlagAdmin.builder(settings).build();
          Flags flags =
              Flags.builder()
                  .store(
                      RedisFlagStore.builder(settings)
                          .maxReconnectDelay(Duration.ofMillis(200))
                          .build())
                  .build()) {
        admin.create(Flag.simple("alpha", true), Change.by("alice"));
        await()
            .atMost(WAIT)
            .until(() -> flags.status() == StoreStatus.OK && flags.isEnabled("alpha", USER));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong wrong = new AtomicLong();
        Thread reader =
            new Thread(
                () -> {
                  while (!stop.get()) {
                    if (!flags.isEnabled("alpha", USER)) {
                      wrong.incrementAndGet();
                    }
                  }
                });
        reader.start();
        try {
          sentinel.initialMaster().kill9();
          sentinel.failover();
        } finally {
          stop.set(true);
          reader.join();
        }
        assertThat(wrong.get()).as("evaluations that lost the value during the failover").isZero();

        await()
            .atMost(WAIT)
            .ignoreExceptionsMatching(
                e -> e instanceof StoreUnavailableException || e instanceof JedisException)
            .until(
                () ->
                    admin.setOn("alpha", false, Change.by("alice").because("after failover"))
                        != null);

        await()
            .atMost(WAIT)
            .until(() -> !flags.isEnabled("alpha", USER) && flags.status() == StoreStatus.OK);
      }
    }
  }

  @Test
  void onAClusterTheStoreLoadsEvaluatesAndIsInvalidatedByWritesAndRawEdits() {
    try (RedisClusterSetup cluster = RedisClusterSetup.start("--notify-keyspace-events", "K$g")) {
      RedisConnectionSettings settings = RedisConnectionSettings.cluster(cluster.nodes());
      try (FlagAdmin admin = RedisFlagAdmin.builder(settings).build()) {
        assertThat(admin.description()).endsWith("prefix {feature}:");
        for (int i = 0; i < 50; i++) {
          admin.create(Flag.simple("flag_" + i, i % 2 == 0), Change.by("alice"));
        }
        Set<HostAndPort> seedNodes = Set.of(RedisConnections.hostAndPort(cluster.nodes().get(0)));
        try (JedisCluster raw = new JedisCluster(seedNodes)) {
          raw.set("{feature}:raw_only", "true"); // written with redis-cli -c, never indexed
        }
        try (Flags flags =
            Flags.builder().store(RedisFlagStore.builder(settings).build()).build()) {
          assertThat(flags.awaitInitialization(WAIT)).isTrue();
          assertThat(flags.isEnabled("raw_only", USER)).isTrue(); // adopted by the start-up scan
          await().atMost(WAIT).until(() -> flags.status() == StoreStatus.OK);
          assertThat(flags.allFlags()).hasSize(51);
          assertThat(flags.isEnabled("flag_0", USER)).isTrue();
          assertThat(flags.isEnabled("flag_1", USER)).isFalse();

          admin.setOn("flag_1", true, Change.by("alice"));
          await().atMost(WAIT).until(() -> flags.isEnabled("flag_1", USER));

          Set<HostAndPort> seeds = Set.of(RedisConnections.hostAndPort(cluster.nodes().get(0)));
          try (JedisCluster raw = new JedisCluster(seeds)) {
            raw.set("{feature}:flag_0", "false");
          }
          await().atMost(WAIT).until(() -> !flags.isEnabled("flag_0", USER));
        }
      }
    }
  }

  @Test
  void aClusterPrefixWithoutAHashTagIsRejected() {
    RedisConnectionSettings settings = RedisConnectionSettings.cluster(List.of("127.0.0.1:7000"));

    assertThatThrownBy(() -> RedisFlagStore.builder(settings).prefix("feature:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hash tag")
        .hasMessageContaining("{feature}:");
  }
}
