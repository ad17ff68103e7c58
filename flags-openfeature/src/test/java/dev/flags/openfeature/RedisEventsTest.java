package dev.flags.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.Flags;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisFlagStore;
import dev.flags.testsupport.RedisServerProcess;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvent;
import dev.openfeature.sdk.ProviderState;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * With flags in a real Redis (a redis-server process of this test), OpenFeature users get change
 * events and the provider's state follows Redis: what LaunchDarkly's provider cannot do with a
 * persistent store.
 */
class RedisEventsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aFlagChangedInRedisIsAnOpenFeatureEventAndAnOutageIsStaleThenReady() {
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    EventRecorder recorder = new EventRecorder(api);
    try (RedisServerProcess redis =
            RedisServerProcess.start(
                "--appendonly", "yes", "--appendfsync", "always"); // restarts with its data
        Flags flags =
            Flags.builder()
                .store(
                    RedisFlagStore.builder(RedisConnectionSettings.standalone(redis.uri()))
                        .enableKeyspaceNotifications(true)
                        .maxReconnectDelay(Duration.ofMillis(200))
                        .build())
                .build()) {
      try (Jedis j = redis.jedis()) {
        j.set("feature:new_checkout_flow", "false");
      }
      api.setProviderAndWait(
          FlagsProvider.builder(flags).initializationTimeout(Duration.ofSeconds(20)).build());
      Client client = api.getClient();
      ImmutableContext alice = new ImmutableContext("alice");
      assertThat(client.getBooleanValue("new_checkout_flow", true, alice)).isFalse();

      // the on-call engineer's switch, the other way round: a raw SET in Redis
      long before = System.nanoTime();
      try (Jedis j = redis.jedis()) {
        j.set("feature:new_checkout_flow", "true");
      }
      await().atMost(WAIT).until(() -> recorder.changedSince("new_checkout_flow", before));
      await().atMost(WAIT).until(() -> client.getBooleanValue("new_checkout_flow", false, alice));

      redis.kill9();
      await()
          .atMost(WAIT)
          .until(
              () ->
                  client.getProviderState() == ProviderState.STALE
                      || client.getProviderState() == ProviderState.ERROR);
      assertThat(
              recorder.has(ProviderEvent.PROVIDER_STALE)
                  || recorder.has(ProviderEvent.PROVIDER_ERROR))
          .isTrue();
      assertThat(client.getBooleanValue("new_checkout_flow", false, alice))
          .as("last known value while Redis is down")
          .isTrue();

      recorder.clear();
      redis.restart();
      await().atMost(WAIT).until(() -> client.getProviderState() == ProviderState.READY);
      assertThat(recorder.has(ProviderEvent.PROVIDER_READY)).isTrue();
    } finally {
      api.shutdown();
    }
  }
}
