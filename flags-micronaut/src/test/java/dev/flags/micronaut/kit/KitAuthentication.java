package dev.flags.micronaut.kit;

import dev.flags.integration.kit.KitUser;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestAuthenticationProvider;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The kit's users for micronaut-security's HTTP Basic authentication, each with its role.
 *
 * @param <B> the request body type
 */
@Singleton
@Requires(property = MicronautKitApplication.KIT, value = "true")
@Requires(property = "micronaut.security.enabled", value = "true")
class KitAuthentication<B> implements HttpRequestAuthenticationProvider<B> {

  @Override
  public AuthenticationResponse authenticate(
      @Nullable HttpRequest<B> request, AuthenticationRequest<String, String> credentials) {
    for (KitUser u : KitUser.values()) {
      if (u != KitUser.NONE
          && u.username().equals(credentials.getIdentity())
          && u.password().equals(credentials.getSecret())) {
        return AuthenticationResponse.success(
            u.username(), u.role().isEmpty() ? List.of() : List.of(u.role()));
      }
    }
    return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
  }
}
