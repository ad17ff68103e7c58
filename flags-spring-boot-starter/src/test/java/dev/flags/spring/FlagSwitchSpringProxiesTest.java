package dev.flags.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.integration.FlagsRuntime;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.TransactionAspectSupport;
import org.springframework.transaction.support.SimpleTransactionStatus;

/**
 * {@link FlagSwitch} between implementations that Spring itself proxies for {@code @Transactional},
 * with JDK (interface) and CGLIB (subclass) proxies: the chosen implementation runs inside its
 * transaction.
 */
class FlagSwitchSpringProxiesTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(FlagsAutoConfiguration.class))
          .withPropertyValues("flags.static.beta_payment_gateway=false");

  @Test
  void switchesBetweenJdkProxiedTransactionalImplementations() {
    runner
        .withUserConfiguration(JdkProxies.class, Gateways.class)
        .run(
            context -> {
              assertThat(AopUtils.isJdkDynamicProxy(context.getBean("stripe"))).isTrue();
              assertSwitchesInsideTransactions(
                  context.getBean(PaymentGateway.class),
                  ((InMemoryFlagStore) context.getBean(FlagsRuntime.class).store()),
                  context.getBean(CountingTransactionManager.class));
            });
  }

  @Test
  void switchesBetweenCglibProxiedTransactionalImplementations() {
    runner
        .withUserConfiguration(CglibProxies.class, Gateways.class)
        .run(
            context -> {
              assertThat(AopUtils.isCglibProxy(context.getBean("stripe"))).isTrue();
              assertSwitchesInsideTransactions(
                  context.getBean(PaymentGateway.class),
                  ((InMemoryFlagStore) context.getBean(FlagsRuntime.class).store()),
                  context.getBean(CountingTransactionManager.class));
            });
  }

  private static void assertSwitchesInsideTransactions(
      PaymentGateway gateway, InMemoryFlagStore store, CountingTransactionManager transactions) {
    assertThat(gateway.charge(1)).isEqualTo("legacy:1 in a transaction");
    store.set("beta_payment_gateway", true);
    assertThat(gateway.charge(2)).isEqualTo("stripe:2 in a transaction");
    assertThat(transactions.committed).hasValue(2);
  }

  interface PaymentGateway {
    String charge(int amount);
  }

  static class StripeGateway implements PaymentGateway {
    @Override
    @Transactional
    public String charge(int amount) {
      return "stripe:" + amount + inTransaction();
    }
  }

  static class LegacyGateway implements PaymentGateway {
    @Override
    @Transactional
    public String charge(int amount) {
      return "legacy:" + amount + inTransaction();
    }
  }

  private static String inTransaction() {
    // Throws when no transactional advice is around the call.
    TransactionAspectSupport.currentTransactionStatus();
    return " in a transaction";
  }

  @Configuration(proxyBeanMethods = false)
  @EnableTransactionManagement(proxyTargetClass = false)
  static class JdkProxies {}

  @Configuration(proxyBeanMethods = false)
  @EnableTransactionManagement(proxyTargetClass = true)
  static class CglibProxies {}

  @Configuration(proxyBeanMethods = false)
  static class Gateways {
    @Bean
    CountingTransactionManager transactionManager() {
      return new CountingTransactionManager();
    }

    @Bean
    StripeGateway stripe() {
      return new StripeGateway();
    }

    @Bean
    LegacyGateway legacy() {
      return new LegacyGateway();
    }

    @Bean
    @Primary
    PaymentGateway paymentGateway(
        Flags flags,
        @Qualifier("stripe") PaymentGateway stripe,
        @Qualifier("legacy") PaymentGateway legacy) {
      return FlagSwitch.of(
          flags,
          "beta_payment_gateway",
          PaymentGateway.class,
          stripe,
          legacy,
          () -> EvaluationContext.of("someone"));
    }
  }

  /** A transaction manager without a resource: counts what the transactional advice asks of it. */
  static final class CountingTransactionManager implements PlatformTransactionManager {
    final AtomicInteger committed = new AtomicInteger();

    @Override
    public TransactionStatus getTransaction(TransactionDefinition definition) {
      return new SimpleTransactionStatus(true);
    }

    @Override
    public void commit(TransactionStatus status) {
      committed.incrementAndGet();
    }

    @Override
    public void rollback(TransactionStatus status) {}
  }
}
