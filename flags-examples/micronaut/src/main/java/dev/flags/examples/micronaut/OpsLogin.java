package dev.flags.examples.micronaut;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestAuthenticationProvider;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * The one account allowed to change flags through the admin API ({@code checkout.ops.name} and
 * {@code checkout.ops.password}, by default {@code ops}/{@code ops} or {@code $OPS_PASSWORD}), with
 * the role {@value #ROLE} the admin API at {@code /flags/api} asks for. The API records its name as
 * the audit's actor. The Spring Boot example's {@code spring.security.user.*} account, the
 * Micronaut way.
 *
 * @param <B> the request body type
 */
@Singleton
class OpsLogin<B> implements HttpRequestAuthenticationProvider<B> {

  /** The role that may read and change flags through the admin API ({@code flags.admin.*}). */
  static final String ROLE = "FLAGS_EDITOR";

  private final String name;
  private final byte[] password;

  OpsLogin(
      @Value("${checkout.ops.name}") String name,
      @Value("${checkout.ops.password}") String password) {
    this.name = name;
    this.password = password.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public AuthenticationResponse authenticate(
      @Nullable HttpRequest<B> request,
      AuthenticationRequest<String, String> authenticationRequest) {
    boolean nameMatches = name.equals(authenticationRequest.getIdentity());
    // Compared in constant time, so the answer's timing says nothing about the password.
    boolean passwordMatches =
        MessageDigest.isEqual(
            password,
            String.valueOf(authenticationRequest.getSecret()).getBytes(StandardCharsets.UTF_8));
    return nameMatches && passwordMatches
        ? AuthenticationResponse.success(name, List.of(ROLE))
        : AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
  }
}
