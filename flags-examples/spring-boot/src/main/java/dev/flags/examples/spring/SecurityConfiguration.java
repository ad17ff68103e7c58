package dev.flags.examples.spring;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The shop is public; the admin API at {@code /flags/api} takes a login (HTTP Basic, the {@code
 * spring.security.user.*} account with the role FLAGS_EDITOR), whose name the audit records as the
 * actor. The API checks the roles itself, so every path is open to the filter chain, which only
 * authenticates.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
        .httpBasic(Customizer.withDefaults())
        // Called by curl and scripts with HTTP Basic, never by a browser holding a session.
        .csrf(csrf -> csrf.ignoringRequestMatchers("/flags/api/**", "/checkout/**"));
    return http.build();
  }
}
