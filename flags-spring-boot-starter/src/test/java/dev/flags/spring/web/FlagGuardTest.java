package dev.flags.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.flags.core.Flag;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.integration.FlagsRuntime;
import dev.flags.spring.FlagsAutoConfiguration;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/**
 * {@link FlagGuard} on plain, CGLIB-proxied and JDK-proxied controllers, through real Spring MVC.
 */
class FlagGuardTest {

  static final AtomicInteger ADVISED = new AtomicInteger();

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  FlagsAutoConfiguration.class, FlagsWebMvcAutoConfiguration.class))
          .withUserConfiguration(Mvc.class, Controllers.class)
          // MockMvc's requests come from 127.0.0.1, a trusted proxy by default.
          .withPropertyValues("flags.context.header=X-User-Id");

  @Test
  void offFlagAnswers404AndOnFlagServes() {
    runner
        .withPropertyValues("flags.static.new_checkout_flow=false")
        .run(
            context -> {
              MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
              mvc.perform(get("/plain/checkout")).andExpect(status().isNotFound());
              ((InMemoryFlagStore) context.getBean(FlagsRuntime.class).store())
                  .set("new_checkout_flow", true);
              mvc.perform(get("/plain/checkout"))
                  .andExpect(status().isOk())
                  .andExpect(content().string("new checkout"));
            });
  }

  @Test
  void unguardedMethodsAreNotAffected() {
    runner
        .withPropertyValues("flags.static.new_checkout_flow=false")
        .run(
            context -> {
              MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
              mvc.perform(get("/plain/open")).andExpect(status().isOk());
            });
  }

  @Test
  void classLevelGuardOnACglibProxiedController() {
    runner
        .withPropertyValues("flags.static.beta_reports=false")
        .run(
            context -> {
              assertThat(AopUtils.isCglibProxy(context.getBean("cglibController"))).isTrue();
              MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
              int before = ADVISED.get();
              mvc.perform(get("/cglib/report")).andExpect(status().isNotFound());
              assertThat(ADVISED.get()).as("the guarded method must not run").isEqualTo(before);
              ((InMemoryFlagStore) context.getBean(FlagsRuntime.class).store())
                  .set("beta_reports", true);
              mvc.perform(get("/cglib/report"))
                  .andExpect(status().isOk())
                  .andExpect(content().string("report"));
              assertThat(ADVISED.get()).isEqualTo(before + 1);
            });
  }

  @Test
  void methodGuardOnTheImplementationOfAJdkProxiedController() {
    runner
        .withPropertyValues("flags.static.new_search=false")
        .run(
            context -> {
              assertThat(AopUtils.isJdkDynamicProxy(context.getBean("jdkController"))).isTrue();
              MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
              mvc.perform(get("/jdk/search")).andExpect(status().isNotFound());
              ((InMemoryFlagStore) context.getBean(FlagsRuntime.class).store())
                  .set("new_search", true);
              mvc.perform(get("/jdk/search"))
                  .andExpect(status().isOk())
                  .andExpect(content().string("search"));
            });
  }

  @Test
  void statusIsConfigurableGloballyAndPerAnnotation() {
    runner
        .withPropertyValues(
            "flags.static.new_checkout_flow=false",
            "flags.static.beta_reports=false",
            "flags.web.guard-status=403")
        .run(
            context -> {
              MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
              mvc.perform(get("/plain/checkout")).andExpect(status().isForbidden());
              mvc.perform(get("/plain/teapot")).andExpect(status().isGone());
            });
  }

  @Test
  void evaluatesForTheCurrentUser() {
    runner
        .withUserConfiguration(TargetedFlag.class)
        .run(
            context -> {
              MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
              mvc.perform(get("/plain/checkout").header("X-User-Id", "someone"))
                  .andExpect(status().isNotFound());
              mvc.perform(get("/plain/checkout").header("X-User-Id", "beta-user"))
                  .andExpect(status().isOk());
            });
  }

  @Configuration(proxyBeanMethods = false)
  @EnableWebMvc
  static class Mvc {}

  @Configuration(proxyBeanMethods = false)
  static class TargetedFlag {
    @Bean
    InMemoryFlagStore flagStore() {
      return InMemoryFlagStore.of(
          Flag.builder("new_checkout_flow").target(true, "beta-user").fallthrough(false).build());
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Controllers {
    @Bean
    PlainController plainController() {
      return new PlainController();
    }

    @Bean
    ReportController cglibController() {
      ProxyFactory factory = new ProxyFactory(new ReportController());
      factory.setProxyTargetClass(true);
      factory.addAdvice(counting());
      return (ReportController) factory.getProxy();
    }

    @Bean
    SearchController jdkController() {
      ProxyFactory factory = new ProxyFactory(new SearchControllerImpl());
      factory.addInterface(SearchController.class);
      factory.addAdvice(counting());
      return (SearchController) factory.getProxy();
    }

    private static MethodInterceptor counting() {
      return invocation -> {
        ADVISED.incrementAndGet();
        return invocation.proceed();
      };
    }
  }

  @RestController
  static class PlainController {
    @FlagGuard("new_checkout_flow")
    @GetMapping("/plain/checkout")
    String checkout() {
      return "new checkout";
    }

    @FlagGuard(value = "beta_reports", status = 410)
    @GetMapping("/plain/teapot")
    String teapot() {
      return "tea";
    }

    @GetMapping("/plain/open")
    String open() {
      return "open";
    }
  }

  /** Guarded at class level; proxied with CGLIB like a @Transactional controller. */
  @RestController
  @FlagGuard("beta_reports")
  public static class ReportController {
    @GetMapping("/cglib/report")
    public String report() {
      return "report";
    }
  }

  /** The mapping lives on the interface, as JDK proxies need; the guard on the implementation. */
  @RestController
  public interface SearchController {
    @GetMapping("/jdk/search")
    String search();
  }

  public static class SearchControllerImpl implements SearchController {
    @Override
    @FlagGuard("new_search")
    public String search() {
      return "search";
    }
  }
}
