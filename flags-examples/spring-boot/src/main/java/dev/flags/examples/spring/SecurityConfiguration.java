package dev.flags.examples.spring;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The shop is public; changing flags through the actuator takes a login (HTTP Basic, the {@code
 * spring.security.user.*} account), whose name the audit records as the actor.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(HttpMethod.POST, "/actuator/**")
                    .hasRole("OPS")
                    .anyRequest()
                    .permitAll())
        .httpBasic(Customizer.withDefaults())
        // Called by curl and scripts with HTTP Basic, never by a browser holding a session.
        .csrf(csrf -> csrf.ignoringRequestMatchers("/actuator/**", "/checkout/**"));
    return http.build();
  }
}
