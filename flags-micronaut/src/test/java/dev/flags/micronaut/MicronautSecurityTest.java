package dev.flags.micronaut;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.EvaluationContext;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestAuthenticationProvider;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

/** With micronaut-security, the authenticated user is the evaluation context's key. */
@MicronautTest
@Property(name = "spec.name", value = "MicronautSecurityTest")
// The test client calls from 127.0.0.1, a trusted proxy by default.
@Property(name = "flags.context.header", value = "X-User-Id")
@Property(name = "micronaut.security.enabled", value = "true")
class MicronautSecurityTest {

  @Singleton
  @Requires(property = "spec.name", value = "MicronautSecurityTest")
  static class Passwords<B> implements HttpRequestAuthenticationProvider<B> {
    @Override
    public AuthenticationResponse authenticate(
        @Nullable HttpRequest<B> request,
        AuthenticationRequest<String, String> authenticationRequest) {
      return "secret".equals(authenticationRequest.getSecret())
          ? AuthenticationResponse.success(authenticationRequest.getIdentity())
          : AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
    }
  }

  @Controller("/secure")
  @Secured(SecurityRule.IS_ANONYMOUS)
  @Requires(property = "spec.name", value = "MicronautSecurityTest")
  static class WhoAmI {
    @Get
    String whoami(EvaluationContext context) {
      return context.key() + (context.anonymous() ? " (anonymous)" : "");
    }
  }

  @Inject
  @Client("/")
  HttpClient client;

  @Test
  void theAuthenticatedUserWinsOverTheHeader() {
    String answer =
        client
            .toBlocking()
            .retrieve(
                HttpRequest.GET("/secure").basicAuth("alice", "secret").header("X-User-Id", "bob"));
    assertThat(answer).isEqualTo("alice");
  }

  @Test
  void withoutAuthenticationTheHeaderDecides() {
    assertThat(client.toBlocking().retrieve(HttpRequest.GET("/secure").header("X-User-Id", "bob")))
        .isEqualTo("bob");
  }
}
