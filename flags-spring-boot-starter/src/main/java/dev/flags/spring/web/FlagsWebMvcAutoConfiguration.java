package dev.flags.spring.web;

import dev.flags.core.Flags;
import dev.flags.dashboard.Dashboard;
import dev.flags.integration.AdminApi;
import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.FlagsSettings;
import dev.flags.integration.OfrepApi;
import dev.flags.integration.RequestContextPolicy;
import dev.flags.spring.FlagsAutoConfiguration;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

/**
 * In a Spring MVC (servlet) application: the {@link FlagContextResolver} over flags-integration's
 * request-context policy, the interceptor that enforces {@link FlagGuard}, and, with {@code
 * flags.admin.enabled=true}, the admin HTTP API mounted at {@code flags.admin.path}, and with
 * {@code flags.ofrep.enabled=true} OpenFeature's remote evaluation protocol at {@code
 * flags.ofrep.path}, both behind the application's filters (Spring Security's among them); with
 * {@code flags.guarded-rollouts.enabled=true}, the filter that counts each request as an outcome of
 * the guarded flags it evaluated (docs/guarded-rollouts.md).
 */
@AutoConfiguration(after = FlagsAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({HandlerInterceptor.class, WebMvcConfigurer.class})
@ConditionalOnBean({Flags.class, FlagsSettings.class})
public final class FlagsWebMvcAutoConfiguration {

  /** Spring Security's filter, registered under this name when the application has security. */
  static final String SECURITY_FILTER = "springSecurityFilterChain";

  /** The request-context policy of the settings (logs a random cookie key at INFO). */
  @Bean
  @ConditionalOnMissingBean
  public RequestContextPolicy flagsRequestContextPolicy(FlagsSettings settings) {
    return RequestContextPolicy.of(settings);
  }

  /** The default resolver; define your own {@link FlagContextResolver} bean to replace it. */
  @Bean
  @ConditionalOnMissingBean
  public FlagContextResolver flagContextResolver(RequestContextPolicy policy) {
    return new DefaultFlagContextResolver(policy);
  }

  /** Registers the {@link FlagGuard} interceptor. */
  @Bean
  @ConditionalOnMissingBean(name = "flagGuardWebMvcConfigurer")
  public WebMvcConfigurer flagGuardWebMvcConfigurer(
      Flags flags, FlagContextResolver flagContextResolver, FlagsSettings settings) {
    FlagGuardInterceptor interceptor =
        new FlagGuardInterceptor(flags, flagContextResolver, settings.webGuardStatus());
    return new WebMvcConfigurer() {
      @Override
      public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(interceptor);
      }
    };
  }

  /** The admin HTTP API at {@code flags.admin.path}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "flags.admin.enabled", havingValue = "true")
  @ConditionalOnBean(FlagsRuntime.class)
  static class AdminConfiguration {

    /**
     * The API; without security in the application it refuses to start unless {@code
     * flags.admin.insecure-local-development=true}.
     */
    @Bean
    @ConditionalOnMissingBean
    AdminApi flagsAdminApi(FlagsRuntime runtime, ListableBeanFactory beanFactory) {
      return AdminApi.builder(runtime)
          .securityAvailable(beanFactory.containsBean(SECURITY_FILTER))
          .build();
    }

    /** Every request below the path, any method, to the API. */
    @Bean
    FlagsHttpMount flagsAdminMount(AdminApi flagsAdminApi, FlagsSettings settings) {
      return new FlagsHttpMount(settings.admin().path(), flagsAdminApi);
    }
  }

  /** The dashboard at {@code flags.dashboard.path} (docs/dashboard.md). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "flags.dashboard.enabled", havingValue = "true")
  @ConditionalOnBean(FlagsRuntime.class)
  static class DashboardConfiguration {

    /**
     * The dashboard; without security in the application it refuses to start unless {@code
     * flags.dashboard.insecure-local-development=true}. Behind a servlet context path its links
     * carry it.
     */
    @Bean
    @ConditionalOnMissingBean
    Dashboard flagsDashboard(
        FlagsRuntime runtime, ListableBeanFactory beanFactory, Environment environment) {
      Dashboard.Builder builder =
          Dashboard.builder(runtime).securityAvailable(beanFactory.containsBean(SECURITY_FILTER));
      String contextPath = environment.getProperty("server.servlet.context-path", "");
      if (!contextPath.isEmpty() && !contextPath.equals("/")) {
        builder.mountPath(
            (contextPath.endsWith("/")
                    ? contextPath.substring(0, contextPath.length() - 1)
                    : contextPath)
                + runtime.settings().dashboard().path());
      }
      return builder.build();
    }

    /**
     * Ends the open live-update streams as soon as the context starts closing: the web server's
     * graceful shutdown waits for open requests, and a page's event stream never ends by itself.
     */
    @Bean
    ApplicationListener<ContextClosedEvent> flagsDashboardCloser(Dashboard flagsDashboard) {
      return event -> flagsDashboard.close();
    }

    /** Every request below the path, any method, to the dashboard. */
    @Bean
    FlagsHttpMount flagsDashboardMount(Dashboard flagsDashboard, FlagsSettings settings) {
      return new FlagsHttpMount(settings.dashboard().path(), flagsDashboard);
    }
  }

  /**
   * Counts requests as outcomes of guarded rollouts, unless {@code
   * flags.guarded-rollouts.request-outcomes=false}.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "flags.guarded-rollouts.enabled", havingValue = "true")
  @ConditionalOnBean(FlagsRuntime.class)
  static class RequestOutcomesConfiguration {

    /** The filter, first of all filters (Spring Boot registers a {@code Filter} bean by order). */
    @Bean
    @ConditionalOnProperty(
        name = "flags.guarded-rollouts.request-outcomes",
        havingValue = "true",
        matchIfMissing = true)
    @ConditionalOnMissingBean(name = "flagsRequestOutcomesFilter")
    Filter flagsRequestOutcomesFilter(FlagsRuntime runtime) {
      return new RequestOutcomesFilter(
          runtime
              .requestOutcomes()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "the flags runtime counts no request outcomes although"
                              + " flags.guarded-rollouts.enabled and request-outcomes are true:"
                              + " was it built from other settings?")));
    }
  }

  /** OpenFeature's remote evaluation protocol (OFREP) at {@code flags.ofrep.path}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "flags.ofrep.enabled", havingValue = "true")
  @ConditionalOnBean(FlagsRuntime.class)
  static class OfrepConfiguration {

    /**
     * The API; without security in the application it refuses to start unless {@code
     * flags.ofrep.token} is set.
     */
    @Bean
    @ConditionalOnMissingBean
    OfrepApi flagsOfrepApi(FlagsRuntime runtime, ListableBeanFactory beanFactory) {
      return OfrepApi.builder(runtime)
          .securityAvailable(beanFactory.containsBean(SECURITY_FILTER))
          .build();
    }

    /** Every request below the path, any method, to the API. */
    @Bean
    FlagsHttpMount flagsOfrepMount(OfrepApi flagsOfrepApi, FlagsSettings settings) {
      return new FlagsHttpMount(settings.ofrep().path(), flagsOfrepApi);
    }
  }

  /**
   * One handler mapping serving every {@link FlagsHttpMount} at its path and below, before the
   * application's own controllers; in one mapping the most specific path wins, so the admin API at
   * {@code /flags/api} is reached below the dashboard at {@code /flags}.
   */
  @Bean
  @ConditionalOnBean(FlagsHttpMount.class)
  SimpleUrlHandlerMapping flagsHandlerMapping(ObjectProvider<FlagsHttpMount> mounts) {
    boolean security =
        ClassUtils.isPresent(
            SecurityAuthorities.AUTHENTICATION,
            FlagsWebMvcAutoConfiguration.class.getClassLoader());
    BiPredicate<Principal, String> authorities =
        security ? SecurityAuthorities::holds : (p, r) -> false;
    Function<HttpServletRequest, Optional<Dashboard.HiddenField>> csrf =
        security
                && ClassUtils.isPresent(
                    SecurityAuthorities.CSRF_TOKEN,
                    FlagsWebMvcAutoConfiguration.class.getClassLoader())
            ? SecurityAuthorities::csrf
            : r -> Optional.empty();
    Map<String, Object> urls = new LinkedHashMap<>();
    mounts
        .orderedStream()
        .forEach(
            m -> {
              FlagsHttpRequestHandler mounted =
                  new FlagsHttpRequestHandler(m.path(), m.handler(), authorities, csrf);
              if (urls.containsKey(m.path())) {
                throw new IllegalStateException(
                    "two flags handlers are mounted at " + m.path() + ": give each its own path");
              }
              urls.put(m.path(), mounted);
              urls.put(m.path() + "/**", mounted);
            });
    return new SimpleUrlHandlerMapping(urls, -1);
  }
}
