package dev.flags.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.GuardedRollout;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisFlagAdmin;
import dev.flags.testsupport.RedisServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * An asynchronous Spring MVC request (a {@code DeferredResult} completed by another thread after
 * the servlet's thread has returned) counts when it completes, by its final status: what its
 * handler evaluated on the request's thread, as an error when it ends with a 5xx. Real Tomcat, real
 * Redis; the parity kit covers the synchronous cases in both frameworks.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = RequestOutcomesAsyncTest.App.class,
    properties = {
      "flags.store=redis",
      "flags.fail-fast-timeout=10s",
      "flags.guarded-rollouts.enabled=true",
      "flags.guarded-rollouts.controller=false",
      "flags.guarded-rollouts.outcome-flush-interval=50ms"
    })
@DirtiesContext // close the client before the redis-server goes
class RequestOutcomesAsyncTest {

  static RedisServerProcess redis;

  @BeforeAll
  static void startRedisWithAGuardedFlag() {
    redis = RedisServerProcess.start();
    try (FlagAdmin admin =
        RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build()) {
      admin.create(
          Flag.builder("async_checkout")
              .fallthrough(false)
              .target(1, "new-user")
              .guardedRollout(GuardedRollout.DEFAULT)
              .build(),
          Change.by("test").because("a guarded flag"));
    }
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @DynamicPropertySource
  static void redisUrl(DynamicPropertyRegistry registry) {
    registry.add("flags.redis.url", () -> redis.uri());
  }

  @LocalServerPort int port;

  @Test
  void anAsynchronousRequestCountsWhenItCompletesByItsFinalStatus() throws Exception {
    HttpResponse<String> later =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/later?user=new-user&status=503"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(later.statusCode()).isEqualTo(503);
    await().atMost(Duration.ofSeconds(10)).until(() -> count("1:err") == 1);
    assertThat(count("1:ok")).isZero();
  }

  private static long count(String field) {
    long sum = 0;
    try (var jedis = redis.jedis()) {
      for (String key : jedis.keys("feature:#outcomes:async_checkout:*")) {
        String v = jedis.hget(key, field);
        sum += v == null ? 0 : Long.parseLong(v);
      }
    }
    return sum;
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Later.class)
  static class App {
    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(r -> r.anyRequest().permitAll())
          .csrf(c -> c.disable())
          .build();
    }
  }

  /** Evaluates on the request's thread, answers from another one a moment later. */
  @RestController
  static class Later {
    private final Flags flags;

    Later(Flags flags) {
      this.flags = flags;
    }

    @GetMapping("/later")
    DeferredResult<ResponseEntity<String>> later(
        @RequestParam String user, @RequestParam int status) {
      boolean value = flags.isEnabled("async_checkout", EvaluationContext.of(user));
      DeferredResult<ResponseEntity<String>> result = new DeferredResult<>();
      CompletableFuture.runAsync(
          () -> result.setResult(ResponseEntity.status(status).body("value " + value)),
          CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
      return result;
    }
  }
}
