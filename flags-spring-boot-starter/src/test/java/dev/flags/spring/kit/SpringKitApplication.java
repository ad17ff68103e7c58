package dev.flags.spring.kit;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import dev.flags.core.JsonValue;
import dev.flags.integration.FlagsSettings;
import dev.flags.integration.kit.Kit;
import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitHealth;
import dev.flags.integration.kit.KitOptions;
import dev.flags.integration.kit.KitUser;
import dev.flags.spring.web.FlagContextResolver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A real Spring Boot application for the parity kit: embedded Tomcat on a loopback port, the
 * starter's auto-configuration, Spring Security with HTTP Basic users ({@link KitUser}, each with
 * its role as {@code ROLE_<role>}), the actuator's health at {@code /actuator/health/flags}, and a
 * context probe and an outcome probe. Without security ({@link KitOptions#withoutSecurity()})
 * Spring Security's auto-configuration is excluded, so the application has none at all.
 */
public final class SpringKitApplication implements KitApplication {

  /** Spring Security's auto-configuration, on Spring Boot 4 and 3.5; an absent name is ignored. */
  private static final List<String> SECURITY =
      List.of(
          "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
          "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
          "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
          "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
          "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
          "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
          "org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration",
          "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
          "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration");

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final ConfigurableApplicationContext context;
  private final URI base;

  private SpringKitApplication(ConfigurableApplicationContext context) {
    this.context = context;
    this.base =
        URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
  }

  /** Starts an application; the parity kit's starter. */
  public static SpringKitApplication start(KitOptions options) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("server.port", "0");
    properties.put("server.address", "127.0.0.1");
    properties.put("spring.main.banner-mode", "off");
    properties.put("logging.level.root", "WARN");
    properties.put("management.endpoints.web.exposure.include", "health");
    properties.put("management.endpoint.health.show-details", "always");
    if (!options.securityAvailable()) {
      properties.put("spring.autoconfigure.exclude", String.join(",", SECURITY));
    }
    // Highest precedence, as a command line would be: what the kit asks for wins.
    List<String> args = new ArrayList<>();
    options.settings().forEach((k, v) -> args.add("--" + k + "=" + v));
    SpringApplicationBuilder builder =
        new SpringApplicationBuilder(options.securityAvailable() ? SecuredApp.class : OpenApp.class)
            .properties(properties);
    options
        .admin()
        .ifPresent(
            admin ->
                builder.initializers(
                    c -> c.getBeanFactory().registerSingleton("kitFlagAdmin", admin)));
    return new SpringKitApplication(builder.run(args.toArray(String[]::new)));
  }

  @Override
  public URI baseUri() {
    return base;
  }

  @Override
  public URI contextProbe() {
    return URI.create(base + "/kit/context");
  }

  @Override
  public KitHealth health() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/actuator/health/flags")).build(),
            HttpResponse.BodyHandlers.ofString());
    JsonValue json = Kit.CODEC.parse(r.body());
    return new KitHealth(
        Kit.text(Kit.at(json, "status")).equals("UP"), (JsonValue.Obj) Kit.at(json, "details"));
  }

  @Override
  public FlagsSettings boundSettings() {
    return context.getBean(FlagsSettings.class);
  }

  @Override
  public void close() {
    context.close();
  }

  /** The application without security. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({ContextProbe.class, OutcomeProbe.class})
  static class OpenApp {}

  /** The application with Spring Security: HTTP Basic, every path open to anyone. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({ContextProbe.class, OutcomeProbe.class})
  static class SecuredApp {

    @Bean
    SecurityFilterChain kitSecurity(HttpSecurity http) throws Exception {
      // The admin API checks its roles itself (401/403 problems); the application's security
      // only authenticates. Scripts call it with HTTP Basic, never a browser session: no CSRF.
      return http.authorizeHttpRequests(r -> r.anyRequest().permitAll())
          .httpBasic(Customizer.withDefaults())
          .csrf(c -> c.disable())
          .build();
    }

    @Bean
    UserDetailsService kitUsers() {
      List<UserDetails> users = new ArrayList<>();
      for (KitUser u : KitUser.values()) {
        if (u == KitUser.NONE) {
          continue;
        }
        User.UserBuilder b = User.withUsername(u.username()).password("{noop}" + u.password());
        users.add(u.role().isEmpty() ? b.roles().build() : b.roles(u.role()).build());
      }
      return new InMemoryUserDetailsManager(users);
    }
  }

  /** {@code GET /kit/context}: the context the starter resolved for the request. */
  @RestController
  static class ContextProbe {
    private final FlagContextResolver users;

    ContextProbe(FlagContextResolver users) {
      this.users = users;
    }

    @GetMapping(value = "/kit/context", produces = "application/json")
    String context() {
      var c = users.current();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("key", c.key());
      body.put("kind", c.kind());
      body.put("anonymous", c.anonymous());
      return Kit.json(body);
    }
  }

  /** {@code GET /kit/outcome}: evaluates a flag, then answers a status or throws. */
  @RestController
  static class OutcomeProbe {
    private final Flags flags;

    OutcomeProbe(Flags flags) {
      this.flags = flags;
    }

    @GetMapping(value = "/kit/outcome", produces = "application/json")
    ResponseEntity<String> outcome(
        @RequestParam String flag,
        @RequestParam String user,
        @RequestParam(defaultValue = "200") int status,
        @RequestParam(defaultValue = "false") boolean fail) {
      boolean value = flags.isEnabled(flag, EvaluationContext.of(user));
      if (fail) {
        throw new IllegalStateException("the kit's probe fails, as asked");
      }
      return ResponseEntity.status(status).body(Kit.json(Map.of("value", value)));
    }
  }
}
