package dev.flags.examples.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.examples.testsupport.CheckoutHttp;
import dev.flags.examples.testsupport.NotRedis;
import dev.flags.testsupport.RedisServerProcess;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service on Redis starts whatever Redis does (issue 18, item 6): down, or something else at
 * its address; it serves the callers' defaults meanwhile and seeds Redis once it answers.
 */
class StartsWithoutRedisTest {

  private static EmbeddedServer start(String url) {
    return ApplicationContext.run(
        EmbeddedServer.class,
        Map.of(
            "micronaut.server.port", "-1",
            "flags.store", "redis",
            "flags.redis.url", url,
            "checkout.seed.retry-interval", "200ms"));
  }

  @Test
  void redisDownAtStartUpIsSeededOnceItAnswers() {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      redis.kill9();
      EmbeddedServer server = start(redis.uri());
      try {
        CheckoutHttp http = new CheckoutHttp(server.getPort());
        // The callers' defaults: the classic flow, the legacy gateway.
        assertThat(http.checkout("beta-user-001"))
            .containsEntry("gateway", "legacy")
            .containsEntry("flow", "classic");
        redis.restart();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> http.checkout("beta-user-001").get("gateway").equals("beta"));
      } finally {
        server.getApplicationContext().close();
      }
    }
  }

  @Test
  void somethingElseAtTheRedisAddressDoesNotStopStartUp() throws Exception {
    try (NotRedis notRedis = NotRedis.start()) {
      EmbeddedServer server = start(notRedis.uri());
      try {
        assertThat(new CheckoutHttp(server.getPort()).checkout("beta-user-001"))
            .containsEntry("gateway", "legacy");
        await().atMost(Duration.ofSeconds(10)).until(() -> notRedis.connections() > 0);
      } finally {
        server.getApplicationContext().close();
      }
    }
  }
}
