package dev.flags.server;

import dev.flags.integration.FlagsSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may use the server. Two filter chains:
 *
 * <ul>
 *   <li>the admin API ({@code flags.admin.path}) for scripts and flagctl: HTTP Basic with the
 *       configured users, no session; a write that a browser sends (with an {@code Origin}) is
 *       refused, as a browser may send remembered Basic credentials by itself;
 *   <li>everything else for browsers: the sign-in page at {@value #LOGIN}, a session, Spring
 *       Security's CSRF protection (its token rides in every dashboard form, beside the dashboard's
 *       own), and OpenID Connect login when {@code spring.security.oauth2.client.registration.*} is
 *       configured.
 * </ul>
 *
 * Both only authenticate: the dashboard and the API check the viewer and editor roles themselves.
 * Users come from {@code flags.server.users.*} (bcrypt); there is never a default password (Spring
 * Boot's generated one is replaced by this user list, empty or not).
 */
@Configuration(proxyBeanMethods = false)
class ServerSecurity {

  static final String LOGIN = "/login";

  @Bean
  ServerUsers serverUsers(Environment environment) {
    return ServerUsers.from(environment);
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    return new BCryptPasswordEncoder(HashPassword.STRENGTH);
  }

  /** The configured users, each with the role its entry names (an editor may also view). */
  @Bean
  UserDetailsService flagsServerUsers(ServerUsers users, FlagsSettings settings) {
    List<UserDetails> details = new ArrayList<>();
    for (ServerUsers.User u : users.users().values()) {
      details.add(
          User.withUsername(u.name())
              .password(u.hash())
              .roles(
                  u.editor()
                      ? new String[] {settings.admin().editorRole(), settings.admin().viewerRole()}
                      : new String[] {settings.admin().viewerRole()})
              .build());
    }
    return new InMemoryUserDetailsManager(details);
  }

  @Bean
  @Order(1)
  SecurityFilterChain adminApi(HttpSecurity http, FlagsSettings settings) throws Exception {
    String api = settings.admin().path();
    return http.securityMatcher(api, api + "/**")
        .authorizeHttpRequests(r -> r.anyRequest().permitAll())
        .httpBasic(Customizer.withDefaults())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        // Scripts send no Origin; a browser does, on every cross-site write — and it may send
        // Basic credentials it remembers by itself. So a write from a browser needs a CSRF token,
        // which no other site can have: refused (403).
        .csrf(c -> c.requireCsrfProtectionMatcher(ServerSecurity::browserWrite))
        .build();
  }

  /**
   * OFREP ({@code flags.ofrep.enabled}): called by services, not browsers. OfrepApi checks the
   * bearer token itself (or, without one, the caller HTTP Basic authenticated); an evaluation
   * changes nothing, so there is no session and no CSRF token. Disabled, nothing is mounted there.
   */
  @Bean
  @Order(0)
  SecurityFilterChain ofrep(HttpSecurity http, FlagsSettings settings) throws Exception {
    String path = settings.ofrep().path();
    return http.securityMatcher(path, path + "/**")
        .authorizeHttpRequests(r -> r.anyRequest().permitAll())
        .httpBasic(Customizer.withDefaults())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(c -> c.disable())
        .build();
  }

  /** A request that changes something, sent by a browser (it names its origin). */
  static boolean browserWrite(HttpServletRequest request) {
    return !SAFE_METHODS.contains(request.getMethod())
        && (request.getHeader("Origin") != null || request.getHeader("Sec-Fetch-Site") != null);
  }

  private static final List<String> SAFE_METHODS = List.of("GET", "HEAD", "OPTIONS", "TRACE");

  @Bean
  @Order(2)
  SecurityFilterChain browsers(
      HttpSecurity http,
      FlagsSettings settings,
      Environment environment,
      ObjectProvider<ClientRegistrationRepository> oidc)
      throws Exception {
    String dashboard = settings.dashboard().path();
    http.authorizeHttpRequests(
            r ->
                r.requestMatchers(LOGIN, dashboard + "/assets/**", "/error")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .formLogin(f -> f.loginPage(LOGIN).defaultSuccessUrl(dashboard + "/", false))
        .logout(l -> l.logoutSuccessUrl(LOGIN + "?signed-out"))
        .headers(h -> h.frameOptions(f -> f.deny()));
    if (oidc.getIfAvailable() != null) {
      Binder binder = Binder.get(environment);
      OidcRoles roles =
          new OidcRoles(
              binder.bind("flags.server.oidc.role-claim", String.class).orElse("groups"),
              binder
                  .bind("flags.server.oidc.editor-values", Bindable.listOf(String.class))
                  .orElse(List.of()),
              binder
                  .bind("flags.server.oidc.viewer-values", Bindable.listOf(String.class))
                  .orElse(List.of()),
              settings.admin().editorRole(),
              settings.admin().viewerRole());
      http.oauth2Login(
          o ->
              o.loginPage(LOGIN)
                  .defaultSuccessUrl(dashboard + "/", false)
                  .userInfoEndpoint(u -> u.userAuthoritiesMapper(roles)));
    }
    return http.build();
  }
}
