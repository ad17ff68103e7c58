package dev.flags.examples.micronaut;

import dev.flags.examples.testsupport.CheckoutDashboardStories;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestAuthenticationProvider;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's people in {@link CheckoutDashboardBrowserTest}: {@value
 * CheckoutDashboardStories#EDITOR} may change flags ({@code FLAGS_EDITOR}), {@value
 * CheckoutDashboardStories#VIEWER} may only look ({@code FLAGS_VIEWER}). micronaut-security asks
 * this provider for the sign-in form's login and for HTTP Basic alike; a real service keeps its
 * users elsewhere (LDAP, OpenID Connect). Only with {@value #SWITCH}{@code =true}.
 *
 * @param <B> the request body type
 */
@Singleton
@Requires(property = DashboardTestUsers.SWITCH, value = "true")
class DashboardTestUsers<B> implements HttpRequestAuthenticationProvider<B> {

  static final String SWITCH = "checkout.test.dashboard-users";

  private static final Map<String, List<String>> USERS =
      Map.of(
          CheckoutDashboardStories.EDITOR + ":" + CheckoutDashboardStories.EDITOR_PASSWORD,
          List.of("FLAGS_EDITOR"),
          CheckoutDashboardStories.VIEWER + ":" + CheckoutDashboardStories.VIEWER_PASSWORD,
          List.of("FLAGS_VIEWER"));

  @Override
  public AuthenticationResponse authenticate(
      @Nullable HttpRequest<B> request, AuthenticationRequest<String, String> credentials) {
    String user = credentials.getIdentity();
    List<String> roles = USERS.get(user + ":" + credentials.getSecret());
    return roles == null
        ? AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH)
        : AuthenticationResponse.success(user, roles);
  }
}
