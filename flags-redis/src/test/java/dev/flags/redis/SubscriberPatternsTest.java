package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.Flag;
import dev.flags.core.Segment;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.testsupport.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Regression: the subscriber's keyspace pattern ({@code feature:*}) matched the internal keys too,
 * so every instance was sent, read and dropped a notification for each internal key a write touched
 * ({@code #counter} on every write; with {@code KEA}, {@code #versions}, {@code #audit}, {@code
 * #index}… as well, about eight per admin write). The patterns are checked here against a real
 * server, with every notification class on.
 */
class SubscriberPatternsTest {

  @Test
  void internalKeysAreNotSentToSubscribersButFlagsAndSegmentsAre() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.start("--notify-keyspace-events", "KEA");
        FlagAdmin admin =
            RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build();
        Jedis subscriber = redis.jedis();
        Jedis jedis = redis.jedis()) {
      RedisLayout layout = new RedisLayout(RedisLayout.DEFAULT_PREFIX);
      Queue<String> heard = new ConcurrentLinkedQueue<>();
      JedisPubSub listener =
          new JedisPubSub() {
            @Override
            public void onPMessage(String pattern, String channel, String message) {
              heard.add(channel.substring(channel.indexOf("__:") + 3));
            }
          };
      Thread thread =
          new Thread(
              () ->
                  subscriber.psubscribe(
                      listener, layout.keyspacePattern(0), layout.segmentKeyspacePattern(0)));
      thread.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> listener.getSubscribedChannels() == 2);

      admin.create(Flag.simple("banner", false), Change.by("alice"));
      admin.setOn("banner", true, Change.by("alice"));
      admin.putSegment(Segment.builder("beta").include("user-1").build(), Change.by("alice"));
      jedis.set("feature:raw_flag", "true");
      jedis.set("feature:#segment:raw_segment", "{\"key\":\"raw_segment\"}");
      jedis.incr("feature:#counter");
      jedis.set("feature:zz_last", "true");

      await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("feature:zz_last"));
      listener.punsubscribe();
      thread.join(5000);
      assertThat(heard)
          .allSatisfy(
              key ->
                  assertThat(key.startsWith("feature:#") && !key.startsWith("feature:#segment:"))
                      .as("an internal key was sent: %s", key)
                      .isFalse())
          .containsAll(
              List.of(
                  "feature:banner",
                  "feature:#segment:beta",
                  "feature:raw_flag",
                  "feature:#segment:raw_segment"));
    }
  }
}
