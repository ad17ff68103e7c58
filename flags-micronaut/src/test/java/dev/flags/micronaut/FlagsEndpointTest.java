package dev.flags.micronaut;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Clause;
import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.Rule;
import dev.flags.core.spi.FlagStore;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code flags} endpoint and the health indicator, over real HTTP. Not a
 * {@code @MicronautTest}: each test starts its own server, because the tests differ in
 * configuration that is read once at start-up ({@code flags.endpoint.write-enabled}, the store,
 * {@code flags.health.fail-on-unavailable}) and some change the store's flags.
 */
class FlagsEndpointTest {

  record Answer(int status, String body) {}

  static final class App implements AutoCloseable {
    final EmbeddedServer server;
    final HttpClient client;
    final JsonMapper json;

    App(Map<String, Object> properties) {
      Map<String, Object> all = new HashMap<>(properties);
      all.put("endpoints.flags.sensitive", "false");
      all.put("endpoints.health.details-visible", "ANONYMOUS");
      server = ApplicationContext.run(EmbeddedServer.class, all);
      client = server.getApplicationContext().createBean(HttpClient.class, server.getURL());
      json = server.getApplicationContext().getBean(JsonMapper.class);
    }

    <T> T bean(Class<T> type) {
      return server.getApplicationContext().getBean(type);
    }

    Answer send(HttpRequest<?> request) {
      try {
        HttpResponse<String> r = client.toBlocking().exchange(request, String.class);
        return new Answer(r.code(), r.getBody(String.class).orElse(""));
      } catch (HttpClientResponseException e) {
        return new Answer(e.code(), e.getResponse().getBody(String.class).orElse(""));
      }
    }

    Map<String, Object> getJson(String path) throws IOException {
      Answer a = send(HttpRequest.GET(path));
      assertThat(a.status()).as(a.body()).isEqualTo(200);
      return json.readValue(a.body(), Argument.mapOf(String.class, Object.class));
    }

    @Override
    public void close() {
      client.close();
      server.getApplicationContext().close();
    }
  }

  private static App withCheckoutFlag(Map<String, Object> properties) {
    App app = new App(properties);
    ((InMemoryFlagStore) app.bean(FlagStore.class))
        .upsert(
            Flag.builder("new_checkout_flow")
                .on(true)
                .fallthrough(false)
                .rule(Rule.when(Clause.in("country", "DE")).serve(true).withId("de-customers"))
                .owner("team-payments")
                .tags("checkout")
                .build());
    return app;
  }

  @Test
  @SuppressWarnings("unchecked")
  void listsTheFlagsAndTheStoreStatus() throws IOException {
    try (App app = withCheckoutFlag(Map.of("flags.static.dark_mode", "false"))) {
      Map<String, Object> list = app.getJson("/flags");
      assertThat(list)
          .containsEntry("status", "OK")
          .containsEntry("initialized", true)
          .containsEntry("writeEnabled", false);
      List<Map<String, Object>> flags = (List<Map<String, Object>>) list.get("flags");
      assertThat(flags)
          .extracting(f -> f.get("key"))
          .containsExactly("dark_mode", "new_checkout_flow");
      assertThat(flags.get(1))
          .containsEntry("on", true)
          .containsEntry("owner", "team-payments")
          .containsEntry("tags", List.of("checkout"))
          .containsEntry("stale", false);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void explainsAnEvaluationWithItsRule() throws IOException {
    try (App app = withCheckoutFlag(Map.of())) {
      Map<String, Object> explained =
          app.getJson("/flags/new_checkout_flow?key=user-7&attributes=country:DE,plan:pro");
      assertThat(explained)
          .containsEntry("flag", "new_checkout_flow")
          .containsEntry("value", true)
          .containsEntry("variation", 1);
      assertThat((Map<String, Object>) explained.get("reason"))
          .containsEntry("kind", "RULE_MATCH")
          .containsEntry("ruleIndex", 0)
          .containsEntry("ruleId", "de-customers");
      assertThat((Map<String, Object>) explained.get("context"))
          .containsEntry("key", "user-7")
          .containsEntry("attributes", Map.of("country", "DE", "plan", "pro"));
      assertThat((Map<String, Object>) explained.get("definition"))
          .containsEntry("key", "new_checkout_flow");

      Map<String, Object> other =
          app.getJson("/flags/new_checkout_flow?key=user-8&attributes=country:FR");
      assertThat(other).containsEntry("value", false);
      assertThat((Map<String, Object>) other.get("reason")).containsEntry("kind", "FALLTHROUGH");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void explainsTheBucketOfARollout() throws IOException {
    try (App app = new App(Map.of())) {
      ((InMemoryFlagStore) app.bean(FlagStore.class))
          .upsert(Flag.builder("new_search").on(true).percentageRollout(50).build());
      Map<String, Object> explained = app.getJson("/flags/new_search?key=user-1");
      assertThat((Map<String, Object>) explained.get("reason")).containsKey("bucket");
    }
  }

  @Test
  void anUnknownFlagIs404() {
    try (App app = new App(Map.of())) {
      assertThat(app.send(HttpRequest.GET("/flags/nope")).status()).isEqualTo(404);
    }
  }

  @Test
  void writesAreRefusedByDefault() {
    try (App app = withCheckoutFlag(Map.of())) {
      Answer answer =
          app.send(
              HttpRequest.POST("/flags/new_checkout_flow", Map.of("on", false))
                  .contentType(MediaType.APPLICATION_JSON_TYPE));
      assertThat(answer.status()).isEqualTo(403);
      assertThat(answer.body()).contains("flags.endpoint.write-enabled");
      assertThat(app.bean(Flags.class).flag("new_checkout_flow").orElseThrow().on()).isTrue();
    }
  }

  @Test
  void writesChangeTheFlagWhenEnabled() {
    try (App app = withCheckoutFlag(Map.of("flags.endpoint.write-enabled", "true"))) {
      Flags flags = app.bean(Flags.class);
      EvaluationContext german = EvaluationContext.builder("u").set("country", "DE").build();
      assertThat(flags.isEnabled("new_checkout_flow", german)).isTrue();

      Answer off =
          app.send(
              HttpRequest.POST("/flags/new_checkout_flow", Map.of("on", false, "actor", "ops")));
      assertThat(off.status()).as(off.body()).isEqualTo(200);
      assertThat(flags.isEnabled("new_checkout_flow", german)).isFalse();

      Answer targets = app.send(HttpRequest.POST("/flags/new_checkout_flow", Map.of("on", true)));
      assertThat(targets.status()).isEqualTo(200);
      Answer add =
          app.send(
              HttpRequest.POST(
                  "/flags/new_checkout_flow",
                  Map.of("addTargets", List.of("vip-1"), "variation", 1)));
      assertThat(add.status()).as(add.body()).isEqualTo(200);
      assertThat(flags.isEnabled("new_checkout_flow", EvaluationContext.of("vip-1"))).isTrue();

      Answer two =
          app.send(
              HttpRequest.POST(
                  "/flags/new_checkout_flow", Map.of("on", true, "rolloutPercentage", 5)));
      assertThat(two.status()).isEqualTo(400);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void healthReportsTheStoreStatus() throws IOException {
    try (App app = new App(Map.of("flags.static.a", "true"))) {
      Answer answer = app.send(HttpRequest.GET("/health"));
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      Map<String, Object> health =
          app.json.readValue(answer.body(), Argument.mapOf(String.class, Object.class));
      Map<String, Object> flags =
          (Map<String, Object>) ((Map<String, Object>) health.get("details")).get("flags");
      assertThat(flags).containsEntry("status", "UP");
      assertThat((Map<String, Object>) flags.get("details"))
          .containsEntry("status", "OK")
          .containsEntry("initialized", true)
          .containsEntry("flags", 1);
    }
  }

  @Test
  void anUnavailableStoreIsUpByDefaultAndDownWhenAsked() {
    Map<String, Object> redisDown =
        Map.of("flags.store", "redis", "flags.redis.url", "redis://127.0.0.1:1");
    try (App app = new App(redisDown)) {
      FlagsHealthIndicator indicator = app.bean(FlagsHealthIndicator.class);
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(app.bean(Flags.class).status())
                      .isIn(dev.flags.core.StoreStatus.UNAVAILABLE));
      assertThat(indicator.result().getStatus().getName()).isEqualTo("UP");
    }
    Map<String, Object> strict = new HashMap<>(redisDown);
    strict.put("flags.health.fail-on-unavailable", "true");
    try (App app = new App(strict)) {
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(app.bean(Flags.class).status())
                      .isIn(dev.flags.core.StoreStatus.UNAVAILABLE));
      assertThat(app.send(HttpRequest.GET("/health")).status()).isEqualTo(503);
    }
  }
}
