package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.StoreUnavailableException;
import dev.flags.testsupport.RedisSentinelSetup;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Sentinels that require a password of their own, apart from the data nodes', with real processes.
 */
class RedisSentinelCredentialsTest {

  private static final EvaluationContext USER = EvaluationContext.of("user-1");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String DATA_PASSWORD = "data-secret";
  private static final String SENTINEL_PASSWORD = "sentinel-secret";

  @Test
  void withTheSentinelPasswordTheStoreLoadsAndFollowsAFailover() {
    try (RedisSentinelSetup sentinel =
        RedisSentinelSetup.startWithPasswords(DATA_PASSWORD, SENTINEL_PASSWORD)) {
      RedisConnectionSettings settings =
          RedisConnectionSettings.sentinel(RedisSentinelSetup.MASTER_NAME, sentinel.sentinelNodes())
              .withPassword(DATA_PASSWORD)
              .withSentinelPassword(SENTINEL_PASSWORD);
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

        sentinel.failover();

        // The new master is found through the password-protected Sentinels, for writes and reads.
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
  void aSentinelAclUserLogsInAsThatUser() {
    try (RedisSentinelSetup sentinel =
        RedisSentinelSetup.startWithSentinelAclUser(
            DATA_PASSWORD, SENTINEL_PASSWORD, "watcher", "watcher-secret")) {
      RedisConnectionSettings settings =
          RedisConnectionSettings.sentinel(RedisSentinelSetup.MASTER_NAME, sentinel.sentinelNodes())
              .withPassword(DATA_PASSWORD)
              .withSentinelUser("watcher")
              .withSentinelPassword("watcher-secret");
      try (FlagAdmin admin = RedisFlagAdmin.builder(settings).build();
          Flags flags = Flags.builder().store(RedisFlagStore.builder(settings).build()).build()) {
        admin.create(Flag.simple("alpha", true), Change.by("alice"));

        // watcher-secret is only watcher's password: the default user's is SENTINEL_PASSWORD.
        await()
            .atMost(WAIT)
            .until(() -> flags.status() == StoreStatus.OK && flags.isEnabled("alpha", USER));
      }
    }
  }

  @Test
  void withoutTheSentinelPasswordTheStoreStaysUnavailableWithoutThrowing() {
    try (RedisSentinelSetup sentinel =
        RedisSentinelSetup.startWithPasswords(DATA_PASSWORD, SENTINEL_PASSWORD)) {
      RedisConnectionSettings settings =
          RedisConnectionSettings.sentinel(RedisSentinelSetup.MASTER_NAME, sentinel.sentinelNodes())
              .withPassword(DATA_PASSWORD);
      RedisFlagStore store =
          RedisFlagStore.builder(settings).maxReconnectDelay(Duration.ofMillis(200)).build();
      try (Flags flags = Flags.builder().store(store).build()) {
        await()
            .atMost(WAIT)
            .during(Duration.ofSeconds(1))
            .until(() -> store.status() == StoreStatus.UNAVAILABLE);
        assertThat(flags.isEnabled("alpha", USER)).isFalse();
      }
    }
  }
}
