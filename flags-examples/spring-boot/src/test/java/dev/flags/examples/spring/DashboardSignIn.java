package dev.flags.examples.spring;

import dev.flags.examples.testsupport.CheckoutDashboardStories;
import dev.flags.examples.testsupport.SignInPage;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * How people sign in to the dashboard in {@link CheckoutDashboardBrowserTest}: the example's own
 * security (shop open, HTTP Basic for the admin API) plus Spring Security's form login, whose page
 * this class serves at {@code /login}, and the stories' people: {@value
 * CheckoutDashboardStories#EDITOR} may change flags ({@code FLAGS_EDITOR}), {@value
 * CheckoutDashboardStories#VIEWER} may only look ({@code FLAGS_VIEWER}). The dashboard has no
 * sign-in of its own: the application's security provides it, as here; a real service keeps its
 * users elsewhere (LDAP, OpenID Connect).
 */
@TestConfiguration(proxyBeanMethods = false)
class DashboardSignIn {

  /**
   * For the sign-in page and everything under {@code /flags}, before the example's own chain (which
   * keeps the rest): the example's rules with form login added.
   */
  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  SecurityFilterChain dashboardSignInChain(HttpSecurity http) throws Exception {
    http.securityMatcher("/login", "/flags/**")
        .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
        .httpBasic(Customizer.withDefaults())
        .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/flags/", true))
        .csrf(csrf -> csrf.ignoringRequestMatchers("/flags/api/**"));
    return http.build();
  }

  @Bean
  UserDetailsService dashboardPeople() {
    return new InMemoryUserDetailsManager(
        User.withUsername(CheckoutDashboardStories.EDITOR)
            .password("{noop}" + CheckoutDashboardStories.EDITOR_PASSWORD)
            .roles("FLAGS_EDITOR")
            .build(),
        User.withUsername(CheckoutDashboardStories.VIEWER)
            .password("{noop}" + CheckoutDashboardStories.VIEWER_PASSWORD)
            .roles("FLAGS_VIEWER")
            .build());
  }

  /** With {@value}{@code =true}, the sign-in page is served (a test's property). */
  static final String SWITCH = "checkout.test.dashboard-sign-in";

  /**
   * The sign-in form; Spring Security's form login takes its {@code POST /login}. Component
   * scanning finds it in every test of this package: it answers only where {@value #SWITCH} is
   * true.
   */
  @RestController
  @ConditionalOnProperty(name = SWITCH, havingValue = "true")
  static final class LoginPage {
    @GetMapping(path = "/login", produces = MediaType.TEXT_HTML_VALUE)
    String page(HttpServletRequest request) {
      CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
      String token =
          csrf == null
              ? ""
              : "<input type=\"hidden\" name=\""
                  + HtmlUtils.htmlEscape(csrf.getParameterName())
                  + "\" value=\""
                  + HtmlUtils.htmlEscape(csrf.getToken())
                  + "\">";
      return SignInPage.html(token);
    }
  }
}
