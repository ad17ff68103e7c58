package dev.flags.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.flags.core.InMemoryFlagStore;
import dev.flags.integration.FlagsRuntime;
import dev.flags.spring.FlagsAutoConfiguration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.SimpleTransactionStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/**
 * {@link FlagGuard} on controllers that Spring itself proxies: {@code @Transactional} and
 * {@code @PreAuthorize} (method security), each with JDK (interface) and CGLIB (subclass) proxies.
 * The guard answers before the proxy's advice runs, and lets the call through it when on.
 */
class FlagGuardSpringProxiesTest {

  static final AtomicInteger TRANSACTIONS = new AtomicInteger();

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  FlagsAutoConfiguration.class, FlagsWebMvcAutoConfiguration.class))
          .withPropertyValues("flags.static.new_orders=false", "flags.static.beta_reports=false");

  @AfterEach
  void forgetTheUser() {
    SecurityContextHolder.clearContext();
  }

  @Test
  void guardsAJdkProxiedTransactionalController() {
    runner
        .withUserConfiguration(Mvc.class, JdkTransactions.class, TransactionalControllers.class)
        .run(
            context -> {
              assertThat(AopUtils.isJdkDynamicProxy(context.getBean("ordersController"))).isTrue();
              assertGuardsTransactionalOrders(context);
            });
  }

  @Test
  void guardsACglibProxiedTransactionalController() {
    runner
        .withUserConfiguration(Mvc.class, CglibTransactions.class, TransactionalControllers.class)
        .run(
            context -> {
              assertThat(AopUtils.isCglibProxy(context.getBean("ordersController"))).isTrue();
              assertGuardsTransactionalOrders(context);
            });
  }

  @Test
  void guardsAJdkProxiedPreAuthorizeController() {
    runner
        .withUserConfiguration(Mvc.class, JdkMethodSecurity.class, SecuredControllers.class)
        .run(
            context -> {
              assertThat(AopUtils.isJdkDynamicProxy(context.getBean("reportsController"))).isTrue();
              assertGuardsSecuredReports(context);
            });
  }

  @Test
  void guardsACglibProxiedPreAuthorizeController() {
    runner
        .withUserConfiguration(Mvc.class, CglibMethodSecurity.class, SecuredControllers.class)
        .run(
            context -> {
              assertThat(AopUtils.isCglibProxy(context.getBean("reportsController"))).isTrue();
              assertGuardsSecuredReports(context);
            });
  }

  private static void assertGuardsTransactionalOrders(AssertableWebApplicationContext context)
      throws Exception {
    MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
    int before = TRANSACTIONS.get();
    mvc.perform(get("/tx/orders")).andExpect(status().isNotFound());
    assertThat(TRANSACTIONS.get()).as("no transaction for a guarded call").isEqualTo(before);
    ((InMemoryFlagStore) context.getBean(FlagsRuntime.class).store()).set("new_orders", true);
    mvc.perform(get("/tx/orders")).andExpect(status().isOk()).andExpect(content().string("orders"));
    assertThat(TRANSACTIONS.get()).isEqualTo(before + 1);
    mvc.perform(get("/tx/open")).andExpect(status().isOk());
  }

  private static void assertGuardsSecuredReports(AssertableWebApplicationContext context)
      throws Exception {
    MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
    SecurityContextHolder.getContext()
        .setAuthentication(new TestingAuthenticationToken("ops", "pw", "ROLE_OPS"));
    mvc.perform(get("/secured/report")).andExpect(status().isNotFound());
    ((InMemoryFlagStore) context.getBean(FlagsRuntime.class).store()).set("beta_reports", true);
    mvc.perform(get("/secured/report"))
        .andExpect(status().isOk())
        .andExpect(content().string("report"));
    // On, the call reaches the method-security advice, which still decides who may call it.
    SecurityContextHolder.getContext()
        .setAuthentication(new TestingAuthenticationToken("guest", "pw", "ROLE_GUEST"));
    assertThatThrownBy(() -> mvc.perform(get("/secured/report")))
        .hasRootCauseInstanceOf(AccessDeniedException.class);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableWebMvc
  static class Mvc {}

  @Configuration(proxyBeanMethods = false)
  @EnableTransactionManagement(proxyTargetClass = false)
  static class JdkTransactions {}

  @Configuration(proxyBeanMethods = false)
  @EnableTransactionManagement(proxyTargetClass = true)
  static class CglibTransactions {}

  @Configuration(proxyBeanMethods = false)
  @EnableMethodSecurity(proxyTargetClass = false)
  static class JdkMethodSecurity {}

  @Configuration(proxyBeanMethods = false)
  @EnableMethodSecurity(proxyTargetClass = true)
  static class CglibMethodSecurity {}

  @Configuration(proxyBeanMethods = false)
  static class TransactionalControllers {
    @Bean
    PlatformTransactionManager transactionManager() {
      return new PlatformTransactionManager() {
        @Override
        public TransactionStatus getTransaction(TransactionDefinition definition) {
          TRANSACTIONS.incrementAndGet();
          return new SimpleTransactionStatus(true);
        }

        @Override
        public void commit(TransactionStatus status) {}

        @Override
        public void rollback(TransactionStatus status) {}
      };
    }

    @Bean
    OrdersController ordersController() {
      return new OrdersControllerImpl();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class SecuredControllers {
    @Bean
    ReportsController reportsController() {
      return new ReportsControllerImpl();
    }
  }

  /** The mappings live on the interface, as JDK proxies need; the guard on the implementation. */
  @RestController
  public interface OrdersController {
    @GetMapping("/tx/orders")
    String orders();

    @GetMapping("/tx/open")
    String open();
  }

  @Transactional
  public static class OrdersControllerImpl implements OrdersController {
    @Override
    @FlagGuard("new_orders")
    public String orders() {
      return "orders";
    }

    @Override
    public String open() {
      return "open";
    }
  }

  @RestController
  public interface ReportsController {
    @GetMapping("/secured/report")
    String report();
  }

  /** Guarded at class level, secured at method level. */
  @FlagGuard("beta_reports")
  public static class ReportsControllerImpl implements ReportsController {
    @Override
    @PreAuthorize("hasRole('OPS')")
    public String report() {
      return "report";
    }
  }
}
