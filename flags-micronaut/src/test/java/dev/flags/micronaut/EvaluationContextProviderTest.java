package dev.flags.micronaut;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Clause;
import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.Rule;
import dev.flags.integration.FlagsRuntime;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

/** A replaced {@link EvaluationContextProvider} adds attributes that guards and arguments see. */
@MicronautTest
@Property(name = "spec.name", value = "EvaluationContextProviderTest")
// The test client calls from 127.0.0.1, a trusted proxy by default.
@Property(name = "flags.context.header", value = "X-User-Id")
class EvaluationContextProviderTest {

  @Singleton
  @Replaces(EvaluationContextProvider.class)
  @Requires(property = "spec.name", value = "EvaluationContextProviderTest")
  static class PlanContexts implements EvaluationContextProvider {
    private final RequestEvaluationContexts requests;

    PlanContexts(RequestEvaluationContexts requests) {
      this.requests = requests;
    }

    @Override
    public EvaluationContext current() {
      EvaluationContext base = requests.current();
      String plan = base.key().startsWith("pro-") ? "pro" : "free";
      return base.toBuilder().set("plan", plan).build();
    }
  }

  @Controller("/plans")
  @Requires(property = "spec.name", value = "EvaluationContextProviderTest")
  static class PlanController {
    @Get("/export")
    @FlagGuarded("export")
    String export() {
      return "exported";
    }

    @Get("/plan")
    String plan(EvaluationContext context) {
      return context.key() + ":" + context.attribute("plan").map(Object::toString).orElse("none");
    }
  }

  @Inject
  @Client("/")
  HttpClient client;

  @Inject FlagsRuntime runtime;

  private int status(String path, String user) {
    try {
      return client
          .toBlocking()
          .exchange(HttpRequest.GET(path).header("X-User-Id", user), String.class)
          .code();
    } catch (HttpClientResponseException e) {
      return e.code();
    }
  }

  @Test
  void guardsAndArgumentsSeeTheReplacementsAttributes() {
    ((InMemoryFlagStore) runtime.store())
        .upsert(
            Flag.builder("export")
                .on(true)
                .fallthrough(false)
                .rule(Rule.when(Clause.in("plan", "pro")).serve(true))
                .build());
    assertThat(status("/plans/export", "pro-42")).isEqualTo(200);
    assertThat(status("/plans/export", "free-7")).isEqualTo(404);
    String plan =
        client.toBlocking().retrieve(HttpRequest.GET("/plans/plan").header("X-User-Id", "pro-42"));
    assertThat(plan).isEqualTo("pro-42:\"pro\"");
  }
}
