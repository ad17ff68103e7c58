package dev.flags.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flags.testsupport.RedisServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** The server started as {@code java -jar} starts it, in-process, over real HTTP. */
class FlagsServerTest {

  static final BCryptPasswordEncoder FAST = new BCryptPasswordEncoder(4);
  static final String ALICE = "--flags.server.users.alice=editor:" + FAST.encode("alice-password");
  static final String VICTOR =
      "--flags.server.users.victor=viewer:" + FAST.encode("victor-password");

  static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @TempDir Path dir;

  final List<ConfigurableApplicationContext> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(ConfigurableApplicationContext::close);
  }

  ConfigurableApplicationContext start(String... more) {
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    args.add("--server.address=127.0.0.1");
    args.add("--logging.level.root=WARN");
    args.addAll(List.of(more));
    ConfigurableApplicationContext c = FlagsServer.start(args.toArray(String[]::new));
    started.add(c);
    return c;
  }

  static URI uri(ConfigurableApplicationContext c, String path) {
    return URI.create(
        "http://127.0.0.1:" + c.getEnvironment().getProperty("local.server.port") + path);
  }

  static HttpResponse<String> send(
      ConfigurableApplicationContext c, String method, String path, String body, String basic)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(c, path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (basic != null) {
      b.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesAFlagFileItCreatesWithTheAuditBesideIt() throws Exception {
    Path file = dir.resolve("flags.json");
    ConfigurableApplicationContext c = start("--flags.file.path=" + file, ALICE);
    assertThat(file).exists();
    HttpResponse<String> created =
        send(
            c,
            "POST",
            "/flags/api/flags",
            "{\"key\": \"new_search\", \"variations\": [false, true], \"reason\": \"try it\"}",
            "alice:alice-password");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(Files.readString(file)).contains("new_search");
    Path audit = dir.resolve("flags.json.audit.jsonl");
    assertThat(audit).exists();
    assertThat(Files.readString(audit)).contains("\"alice\"").contains("new_search");
  }

  @Test
  void withoutAnyUserNobodySignsInAndTheSignInPageSaysHowToCreateOne() throws Exception {
    ConfigurableApplicationContext c = start("--flags.file.path=" + dir.resolve("flags.json"));
    HttpResponse<String> login = send(c, "GET", "/login", null, null);
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.body())
        .contains("No user is configured")
        .contains("java -jar flags-server.jar hash-password")
        .doesNotContain("id=\"password\"");
    HttpResponse<String> page = send(c, "GET", "/flags/", null, null);
    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
    assertThat(send(c, "POST", "/flags/api/flags", "{\"key\": \"x\"}", "user:user").statusCode())
        .isEqualTo(401);
    // Spring Boot's generated password never exists: the user list replaces it, empty or not.
    assertThat(c.getBeansOfType(UserDetailsService.class).keySet())
        .containsExactly("flagsServerUsers");
  }

  @Test
  void servesOfrepToServicesWithItsTokenWhenEnabled() throws Exception {
    String token = "server-ofrep-token-0123456789";
    ConfigurableApplicationContext c =
        start(
            "--flags.file.path=" + dir.resolve("flags.json"),
            "--flags.ofrep.enabled=true",
            "--flags.ofrep.token=" + token,
            ALICE);
    assertThat(
            send(
                    c,
                    "POST",
                    "/flags/api/flags",
                    "{\"key\": \"new_search\", \"variations\": [false, true], \"on\": true,"
                        + " \"fallthrough\": {\"variation\": 1}}",
                    "alice:alice-password")
                .statusCode())
        .isEqualTo(201);
    String context = "{\"context\": {\"targetingKey\": \"user-1\"}}";
    // The client sees the written file once its watcher reads it: a moment after the write.
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              HttpResponse<String> evaluated =
                  HTTP.send(
                      HttpRequest.newBuilder(uri(c, "/ofrep/v1/evaluate/flags/new_search"))
                          .header("Authorization", "Bearer " + token)
                          .header("Content-Type", "application/json")
                          .POST(HttpRequest.BodyPublishers.ofString(context))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              assertThat(evaluated.statusCode()).as(evaluated.body()).isEqualTo(200);
              assertThat(evaluated.body().replace(" ", "")).contains("\"value\":true");
            });
    HttpResponse<String> anonymous =
        HTTP.send(
            HttpRequest.newBuilder(uri(c, "/ofrep/v1/evaluate/flags/new_search"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(context))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  @Test
  void aViewerReadsButCannotWriteThroughTheApi() throws Exception {
    ConfigurableApplicationContext c =
        start("--flags.file.path=" + dir.resolve("flags.json"), ALICE, VICTOR);
    assertThat(send(c, "GET", "/flags/api/flags", null, "victor:victor-password").statusCode())
        .isEqualTo(200);
    assertThat(
            send(c, "POST", "/flags/api/flags", "{\"key\": \"x\"}", "victor:victor-password")
                .statusCode())
        .isEqualTo(403);
    assertThat(send(c, "GET", "/flags/api/flags", null, "victor:wrong").statusCode())
        .isEqualTo(401);
  }

  @Test
  void aWriteToTheApiFromABrowserIsRefusedEvenWithRememberedCredentials() throws Exception {
    ConfigurableApplicationContext c =
        start("--flags.file.path=" + dir.resolve("flags.json"), ALICE);
    HttpRequest.Builder forged =
        HttpRequest.newBuilder(uri(c, "/flags/api/flags"))
            .header("Origin", "https://evil.example")
            .header("Content-Type", "text/plain")
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString("alice:alice-password".getBytes(StandardCharsets.UTF_8)))
            .POST(HttpRequest.BodyPublishers.ofString("{\"key\": \"evil\"}"));
    assertThat(HTTP.send(forged.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(403);
    assertThat(Files.readString(dir.resolve("flags.json"))).doesNotContain("evil");
  }

  @Test
  void aPasswordInsteadOfAHashStopsStartWithoutShowingIt() {
    assertThatThrownBy(
            () ->
                start(
                    "--flags.file.path=" + dir.resolve("flags.json"),
                    "--flags.server.users.bob=editor:plain-text-secret"))
        .rootCause()
        .hasMessageContaining("flags.server.users.bob")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("plain-text-secret"));
  }

  @Test
  void servesRedisWhenGivenItsAddress() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      ConfigurableApplicationContext c = start("--flags.redis.url=" + redis.uri(), VICTOR);
      HttpResponse<String> status =
          send(c, "GET", "/flags/api/status", null, "victor:victor-password");
      assertThat(status.statusCode()).isEqualTo(200);
      assertThat(status.body()).contains("redis");
      assertThat(dir.resolve("flags.json")).doesNotExist();
      c.close();
    }
  }
}
