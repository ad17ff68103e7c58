package dev.flags.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.integration.FlagsRuntime;
import io.micronaut.context.annotation.Executable;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link FlagGuarded} and the request's evaluation context, through a real Netty server. */
@MicronautTest
@Property(name = "spec.name", value = "FlagGuardedTest")
// The test client calls from 127.0.0.1, a trusted proxy by default.
@Property(name = "flags.context.header", value = "X-User-Id")
class FlagGuardedTest {

  static final String TEST_PRINCIPAL_HEADER = "X-Test-Principal";

  @Controller("/guarded")
  @Requires(property = "spec.name", value = "FlagGuardedTest")
  static class GuardedController {
    @Get("/page")
    @FlagGuarded("beta_page")
    String page() {
      return "beta page";
    }

    @Get("/price")
    @FlagGuarded(value = "new_pricing", fallback = "legacyPrice")
    String price() {
      return "new price";
    }

    @Executable
    String legacyPrice() {
      return "legacy price";
    }

    @Get("/limit")
    @FlagGuarded(value = "bigger_limit", defaultValue = "10")
    int limit() {
      return 100;
    }

    @Get("/whoami")
    String whoami(EvaluationContext context) {
      return context.key() + (context.anonymous() ? " (anonymous)" : "");
    }
  }

  @Singleton
  @Requires(property = "spec.name", value = "FlagGuardedTest")
  static class Mailer {
    final AtomicInteger sent = new AtomicInteger();

    @FlagGuarded("emails")
    void send() {
      sent.incrementAndGet();
    }

    @FlagGuarded("emails")
    Optional<String> preview() {
      return Optional.of("preview");
    }

    @FlagGuarded("emails")
    String subject() {
      return "subject";
    }

    @FlagGuarded(value = "emails", fallback = "missing")
    String body() {
      return "body";
    }
  }

  /** Plays micronaut-security: authenticates whoever the test header names. */
  @ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
  @Requires(property = "spec.name", value = "FlagGuardedTest")
  static class TestAuthentication {
    @RequestFilter
    void authenticate(HttpRequest<?> request) {
      String user = request.getHeaders().get(TEST_PRINCIPAL_HEADER);
      if (user != null) {
        request.setUserPrincipal(() -> user);
      }
    }
  }

  @Inject
  @Client("/")
  HttpClient client;

  @Inject FlagsRuntime runtime;
  @Inject Mailer mailer;

  InMemoryFlagStore flags;

  @BeforeEach
  void resetFlags() {
    flags = (InMemoryFlagStore) runtime.store();
    flags.flags().forEach(f -> flags.removeFlag(f.key()));
  }

  private HttpResponse<String> get(String path, String userHeader) {
    HttpRequest<?> request = HttpRequest.GET(path);
    if (userHeader != null) {
      request = ((io.micronaut.http.MutableHttpRequest<?>) request).header("X-User-Id", userHeader);
    }
    try {
      return client.toBlocking().exchange(request, String.class);
    } catch (HttpClientResponseException e) {
      return HttpResponse.<String>status(e.getStatus()).body("");
    }
  }

  private static String text(HttpResponse<String> response) {
    return response.getBody(String.class).orElse("");
  }

  @Test
  void aGuardedControllerAnswers404WhileTheFlagIsOff() {
    assertThat(get("/guarded/page", null).code()).isEqualTo(404);
    flags.set("beta_page", true);
    HttpResponse<String> on = get("/guarded/page", null);
    assertThat(on.code()).isEqualTo(200);
    assertThat(text(on)).isEqualTo("beta page");
    flags.set("beta_page", false);
    assertThat(get("/guarded/page", null).code()).isEqualTo(404);
  }

  @Test
  void theFallbackMethodAnswersWhileTheFlagIsOff() {
    assertThat(text(get("/guarded/price", null))).isEqualTo("legacy price");
    flags.set("new_pricing", true);
    assertThat(text(get("/guarded/price", null))).isEqualTo("new price");
  }

  @Test
  void theDefaultValueIsConvertedToTheReturnType() {
    assertThat(text(get("/guarded/limit", null))).isEqualTo("10");
    flags.set("bigger_limit", true);
    assertThat(text(get("/guarded/limit", null))).isEqualTo("100");
  }

  @Test
  void theGuardEvaluatesForTheUserOfTheHeader() {
    flags.upsert(
        Flag.builder("beta_page").on(true).fallthrough(false).target(true, "alice").build());
    assertThat(get("/guarded/page", "alice").code()).isEqualTo(200);
    assertThat(get("/guarded/page", "bob").code()).isEqualTo(404);
  }

  @Test
  void theAuthenticatedPrincipalWinsOverTheHeader() {
    flags.upsert(
        Flag.builder("beta_page").on(true).fallthrough(false).target(true, "alice").build());
    HttpRequest<?> request =
        HttpRequest.GET("/guarded/page")
            .header(TEST_PRINCIPAL_HEADER, "alice")
            .header("X-User-Id", "bob");
    assertThat(client.toBlocking().exchange(request, String.class).code()).isEqualTo(200);
    assertThat(
            client
                .toBlocking()
                .retrieve(
                    HttpRequest.GET("/guarded/whoami").header(TEST_PRINCIPAL_HEADER, "carol")))
        .isEqualTo("carol");
  }

  @Test
  void anAnonymousVisitorGetsAStickyCookie() {
    HttpResponse<String> first =
        client.toBlocking().exchange(HttpRequest.GET("/guarded/whoami"), String.class);
    Optional<Cookie> cookie = first.getCookie("flags_visitor");
    assertThat(cookie).isPresent();
    // <id>.<signature>: flags-integration signs the id (issue 12, difference 8).
    String key = cookie.get().getValue();
    String id = key.substring(0, key.indexOf('.'));
    assertThat(text(first)).isEqualTo(id + " (anonymous)");

    HttpResponse<String> again =
        client
            .toBlocking()
            .exchange(
                HttpRequest.GET("/guarded/whoami").cookie(Cookie.of("flags_visitor", key)),
                String.class);
    assertThat(text(again)).isEqualTo(id + " (anonymous)");
    assertThat(again.getCookie("flags_visitor")).isEmpty();
  }

  @Test
  void guardedServiceMethodsSkipReturnEmptyOrThrowWhileOff() {
    mailer.send();
    assertThat(mailer.sent).hasValue(0);
    assertThat(mailer.preview()).isEmpty();
    assertThatThrownBy(mailer::subject)
        .isInstanceOf(FlagDisabledException.class)
        .hasMessage("flag \"emails\" is off: Mailer.subject is disabled");
    assertThatThrownBy(mailer::body)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "@FlagGuarded(fallback = \"missing\") on Mailer.body: no method missing()");

    flags.set("emails", true);
    mailer.send();
    assertThat(mailer.sent).hasValue(1);
    assertThat(mailer.preview()).contains("preview");
    assertThat(mailer.subject()).isEqualTo("subject");
  }

  @Test
  void theGuardStatusIsConfigurableAndTheAnonymousCookieCanBeTurnedOff() {
    try (io.micronaut.runtime.server.EmbeddedServer server =
            io.micronaut.context.ApplicationContext.run(
                io.micronaut.runtime.server.EmbeddedServer.class,
                java.util.Map.of(
                    "spec.name",
                    "FlagGuardedTest",
                    "flags.web.guard-status",
                    "403",
                    "flags.context.anonymous-cookie.enabled",
                    "false"));
        HttpClient other =
            server.getApplicationContext().createBean(HttpClient.class, server.getURL())) {
      HttpClientResponseException off =
          org.junit.jupiter.api.Assertions.assertThrows(
              HttpClientResponseException.class,
              () -> other.toBlocking().exchange(HttpRequest.GET("/guarded/page"), String.class));
      assertThat(off.code()).isEqualTo(403);
      HttpResponse<String> whoami =
          other.toBlocking().exchange(HttpRequest.GET("/guarded/whoami"), String.class);
      assertThat(text(whoami)).isEqualTo("anonymous (anonymous)");
      assertThat(whoami.getCookie("flags_visitor")).isEmpty();
    }
  }
}
