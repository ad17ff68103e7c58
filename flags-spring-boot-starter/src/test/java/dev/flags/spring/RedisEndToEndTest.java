package dev.flags.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.Clause;
import dev.flags.core.Flag;
import dev.flags.core.Rollout;
import dev.flags.core.Rule;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisFlagAdmin;
import dev.flags.spring.web.FlagContextResolver;
import dev.flags.spring.web.FlagGuard;
import dev.flags.testsupport.RedisServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The whole starter in a running application: a real redis-server, real HTTP, Spring Security.
 * Changing a flag through the admin HTTP API, or with a raw {@code SET} in Redis, changes what the
 * running endpoints answer.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = RedisEndToEndTest.App.class,
    properties = {
      "flags.store=redis",
      "flags.redis.keyspace-notifications=true",
      "flags.admin.enabled=true",
      "flags.admin.write-enabled=true",
      "flags.context.header=X-User-Id",
      "management.endpoints.web.exposure.include=health,metrics",
      "management.endpoint.health.show-details=always",
      "spring.security.user.name=ops",
      "spring.security.user.password=secret",
      "spring.security.user.roles=FLAGS_EDITOR"
    })
@DirtiesContext // close the store before the next test class, not at JVM exit
class RedisEndToEndTest {

  static RedisServerProcess redis;

  @BeforeAll
  static void startRedisWithFlags() {
    redis = RedisServerProcess.start();
    try (FlagAdmin admin = admin()) {
      admin.create(Flag.simple("new_checkout_flow", false), Change.by("setup").because("test"));
      admin.create(
          Flag.builder("beta_payment_gateway").fallthrough(false).build(),
          Change.by("setup").because("test"));
      admin.create(
          Flag.builder("pricing_v2")
              .rule(Rule.when(Clause.in("country", "DE")).serve(true).withId("de"))
              .fallthroughRollout(Rollout.percentage(50))
              .build(),
          Change.by("setup").because("test"));
      admin.create(
          Flag.builder("ramp").fallthrough(false).build(), Change.by("setup").because("test"));
    }
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @DynamicPropertySource
  static void redisUrl(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.host", () -> redis.host());
    registry.add("spring.data.redis.port", () -> redis.port());
  }

  static FlagAdmin admin() {
    return RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build();
  }

  @Autowired Environment environment;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void anAdminWriteTurnsAGuardedEndpointOnAndARawSetTurnsItOff() throws Exception {
    assertThat(get("/checkout", "user-1").statusCode()).isEqualTo(404);

    HttpResponse<String> unauthenticated =
        post("/flags/api/flags/new_checkout_flow/on", "{}", false);
    assertThat(unauthenticated.statusCode()).isEqualTo(401);

    Instant before = Instant.now().minusSeconds(1);
    HttpResponse<String> write =
        post("/flags/api/flags/new_checkout_flow/on", "{\"reason\": \"launch\"}", true);
    assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
    assertThat(write.body()).contains("\"actor\":\"ops\"");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              HttpResponse<String> checkout = get("/checkout", "user-1");
              assertThat(checkout.statusCode()).isEqualTo(200);
              assertThat(checkout.body()).isEqualTo("new checkout for user-1");
            });
    try (FlagAdmin admin = admin()) {
      List<AuditEntry> audit =
          admin.audit(AuditQuery.builder().flag("new_checkout_flow").from(before).build());
      assertThat(audit)
          .first()
          .satisfies(
              e -> {
                assertThat(e.actor()).isEqualTo("ops");
                assertThat(e.reason()).isEqualTo("launch");
              });
    }

    try (var jedis = redis.jedis()) {
      jedis.set("feature:new_checkout_flow", "false");
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(get("/checkout", "user-1").statusCode()).isEqualTo(404));
  }

  @Test
  void adminTargetsSwitchTheImplementationForOneUser() throws Exception {
    assertThat(get("/pay", "user-7").body()).isEqualTo("legacy");
    HttpResponse<String> write =
        post(
            "/flags/api/flags/beta_payment_gateway/targets",
            "{\"value\": true, \"add\": [\"user-7\", \"user-9\"]}",
            true);
    assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(get("/pay", "user-7").body()).isEqualTo("new"));
    assertThat(get("/pay", "user-9").body()).isEqualTo("new");
    assertThat(get("/pay", "user-8").body()).isEqualTo("legacy");
  }

  @Test
  void adminRolloutRampsAFlagUp() throws Exception {
    assertThat(get("/flags/api/flags/ramp/explain?key=u-1", "ops").body())
        .contains("\"value\":false");
    HttpResponse<String> write =
        send("PUT", "/flags/api/flags/ramp/rollout", "{\"percentage\": 100}", true);
    assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(get("/flags/api/flags/ramp/explain?key=u-1", "ops").body())
                    .contains("\"value\":true", "\"reason\":\"FALLTHROUGH\"")
                    .containsPattern("\"bucket\":\\d+"));
  }

  @Test
  void explainSaysWhichRuleMatchedAndTheBucket() throws Exception {
    HttpResponse<String> de =
        get("/flags/api/flags/pricing_v2/explain?key=user-1&attr.country=DE", "ops");
    assertThat(de.statusCode()).as(de.body()).isEqualTo(200);
    assertThat(de.body())
        .contains(
            "\"reason\":\"RULE_MATCH\"",
            "\"ruleIndex\":0",
            "\"ruleId\":\"de\"",
            "\"country\":\"DE\"");
    HttpResponse<String> us =
        get("/flags/api/flags/pricing_v2/explain?key=user-1&attr.country=US", "ops");
    assertThat(us.body()).contains("\"reason\":\"FALLTHROUGH\"").containsPattern("\"bucket\":\\d+");
  }

  @Test
  void listsFlagsAndReportsHealth() throws Exception {
    HttpResponse<String> list = get("/flags/api/flags", "ops");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body())
        .contains("\"status\":\"OK\"", "\"key\":\"pricing_v2\"", "\"key\":\"new_checkout_flow\"");
    HttpResponse<String> health = get("/actuator/health", null);
    assertThat(health.body()).contains("\"flags\":{").contains("\"status\":\"OK\"");
  }

  @Test
  void metricsCountEvaluations() throws Exception {
    get("/checkout", "user-3");
    HttpResponse<String> metric =
        get("/actuator/metrics/flags.evaluations?tag=flag:new_checkout_flow", null);
    assertThat(metric.statusCode()).as(metric.body()).isEqualTo(200);
    assertThat(metric.body()).contains("\"name\":\"flags.evaluations\"");
    // The Redis store's own meters, bound through MeasuredStore.
    HttpResponse<String> reconnects = get("/actuator/metrics/flags.store.reconnects", null);
    assertThat(reconnects.statusCode()).as(reconnects.body()).isEqualTo(200);
    HttpResponse<String> status =
        get("/actuator/metrics/flags.store.status?tag=source:redis&tag=status:OK", null);
    assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
    assertThat(status.body()).contains("\"value\":1.0");
  }

  @Test
  void badWritesAreProblemsWithTheReason() throws Exception {
    HttpResponse<String> unknown = post("/flags/api/flags/no_such_flag/on", "{}", true);
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
    assertThat(unknown.body()).contains("no_such_flag");
    HttpResponse<String> tooMuch =
        send("PUT", "/flags/api/flags/ramp/rollout", "{\"percentage\": 150}", true);
    assertThat(tooMuch.statusCode()).as(tooMuch.body()).isEqualTo(400);
    assertThat(tooMuch.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
  }

  /** A GET as {@code user}: the X-User-Id header, or for "ops" the ops login. */
  private HttpResponse<String> get(String path, String user) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
    if ("ops".equals(user)) {
      request.header("Authorization", basic());
    } else if (user != null) {
      request.header("X-User-Id", user);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String json, boolean authenticated)
      throws Exception {
    return send("POST", path, json, authenticated);
  }

  private HttpResponse<String> send(String method, String path, String json, boolean authenticated)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json));
    if (authenticated) {
      request.header("Authorization", basic());
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic() {
    return "Basic "
        + Base64.getEncoder().encodeToString("ops:secret".getBytes(StandardCharsets.UTF_8));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port") + path);
  }

  public interface PaymentGateway {
    String charge();
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
          .httpBasic(Customizer.withDefaults())
          .csrf(csrf -> csrf.disable())
          .build();
    }

    @Bean
    PaymentGateway paymentGateway(dev.flags.core.Flags flags, FlagContextResolver users) {
      return FlagSwitch.of(
          flags,
          "beta_payment_gateway",
          PaymentGateway.class,
          () -> "new",
          () -> "legacy",
          users::current);
    }

    @Bean
    Shop shop(PaymentGateway paymentGateway, FlagContextResolver users) {
      return new Shop(paymentGateway, users);
    }
  }

  @RestController
  static class Shop {
    private final PaymentGateway gateway;
    private final FlagContextResolver users;

    Shop(PaymentGateway gateway, FlagContextResolver users) {
      this.gateway = gateway;
      this.users = users;
    }

    @FlagGuard("new_checkout_flow")
    @GetMapping("/checkout")
    String checkout() {
      return "new checkout for " + users.current().key();
    }

    @GetMapping("/pay")
    String pay() {
      return gateway.charge();
    }
  }
}
