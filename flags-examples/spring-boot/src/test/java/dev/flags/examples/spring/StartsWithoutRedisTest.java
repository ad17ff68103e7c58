package dev.flags.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.examples.testsupport.CheckoutHttp;
import dev.flags.examples.testsupport.NotRedis;
import dev.flags.testsupport.RedisServerProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service on Redis starts whatever Redis does (issue 18, item 6): down, or something else at
 * its address; it serves the callers' defaults meanwhile and seeds Redis once it answers.
 */
class StartsWithoutRedisTest {

  private static ConfigurableApplicationContext start(String url) {
    return new SpringApplicationBuilder(CheckoutApplication.class)
        .run(
            "--server.port=0",
            "--flags.store=redis",
            "--flags.redis.url=" + url,
            "--checkout.seed.retry-interval=200ms");
  }

  private static CheckoutHttp http(ConfigurableApplicationContext context) {
    return new CheckoutHttp(
        context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
  }

  @Test
  void redisDownAtStartUpIsSeededOnceItAnswers() {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      redis.kill9();
      try (ConfigurableApplicationContext context = start(redis.uri())) {
        CheckoutHttp http = http(context);
        // The callers' defaults: the classic flow, the legacy gateway.
        assertThat(http.checkout("beta-user-001"))
            .containsEntry("gateway", "legacy")
            .containsEntry("flow", "classic");
        redis.restart();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> http.checkout("beta-user-001").get("gateway").equals("beta"));
      }
    }
  }

  @Test
  void somethingElseAtTheRedisAddressDoesNotStopStartUp() throws Exception {
    try (NotRedis notRedis = NotRedis.start();
        ConfigurableApplicationContext context = start(notRedis.uri())) {
      assertThat(http(context).checkout("beta-user-001")).containsEntry("gateway", "legacy");
      await().atMost(Duration.ofSeconds(10)).until(() -> notRedis.connections() > 0);
    }
  }
}
