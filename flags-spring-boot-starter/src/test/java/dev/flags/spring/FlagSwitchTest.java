package dev.flags.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;

class FlagSwitchTest {

  interface PaymentGateway {
    String charge(int cents);
  }

  /** A class-based implementation, like a @Transactional service proxied with CGLIB. */
  static class StripeGateway implements PaymentGateway {
    @Override
    public String charge(int cents) {
      return "stripe:" + cents;
    }
  }

  static class LegacyGateway implements PaymentGateway {
    @Override
    public String charge(int cents) {
      if (cents < 0) {
        throw new IllegalArgumentException("negative amount");
      }
      return "legacy:" + cents;
    }
  }

  private final InMemoryFlagStore store =
      InMemoryFlagStore.of(
          Flag.builder("beta_payment_gateway")
              .target(true, "beta-user")
              .fallthrough(false)
              .build());
  private final Flags flags = Flags.builder().store(store).build();
  private final AtomicReference<EvaluationContext> user =
      new AtomicReference<>(EvaluationContext.of("someone"));
  private final AtomicInteger advised = new AtomicInteger();

  @AfterEach
  void close() {
    flags.close();
  }

  @Test
  void choosesPerCallAndFollowsFlagChanges() {
    PaymentGateway gateway =
        FlagSwitch.of(
            flags,
            "beta_payment_gateway",
            PaymentGateway.class,
            new StripeGateway(),
            new LegacyGateway(),
            user::get);
    assertThat(gateway.charge(100)).isEqualTo("legacy:100");
    user.set(EvaluationContext.of("beta-user"));
    assertThat(gateway.charge(100)).isEqualTo("stripe:100");
    user.set(EvaluationContext.of("someone"));
    store.set("beta_payment_gateway", true);
    assertThat(gateway.charge(5)).isEqualTo("stripe:5");
  }

  @Test
  void worksWithCglibProxiedImplementationsAndRunsTheirAdvice() {
    PaymentGateway stripe = proxy(new StripeGateway(), true);
    PaymentGateway legacy = proxy(new LegacyGateway(), true);
    assertThat(AopUtils.isCglibProxy(stripe)).isTrue();
    PaymentGateway gateway =
        FlagSwitch.of(
            flags, "beta_payment_gateway", PaymentGateway.class, stripe, legacy, user::get);
    assertThat(gateway.charge(1)).isEqualTo("legacy:1");
    store.set("beta_payment_gateway", true);
    assertThat(gateway.charge(2)).isEqualTo("stripe:2");
    assertThat(advised).hasValue(2);
  }

  @Test
  void worksWithJdkProxiedImplementations() {
    PaymentGateway stripe = proxy(new StripeGateway(), false);
    PaymentGateway legacy = proxy(new LegacyGateway(), false);
    assertThat(AopUtils.isJdkDynamicProxy(legacy)).isTrue();
    PaymentGateway gateway =
        FlagSwitch.of(
            flags, "beta_payment_gateway", PaymentGateway.class, stripe, legacy, user::get);
    assertThat(gateway.charge(3)).isEqualTo("legacy:3");
    store.set("beta_payment_gateway", true);
    assertThat(gateway.charge(4)).isEqualTo("stripe:4");
    assertThat(advised).hasValue(2);
  }

  @Test
  void missingFlagUsesTheOffImplementation() {
    PaymentGateway gateway =
        FlagSwitch.of(
            flags,
            "no_such_flag",
            PaymentGateway.class,
            new StripeGateway(),
            new LegacyGateway(),
            user::get);
    assertThat(gateway.charge(7)).isEqualTo("legacy:7");
  }

  @Test
  void exceptionsReachTheCallerUnwrapped() {
    PaymentGateway gateway =
        FlagSwitch.of(
            flags,
            "beta_payment_gateway",
            PaymentGateway.class,
            new StripeGateway(),
            proxy(new LegacyGateway(), true),
            user::get);
    assertThatThrownBy(() -> gateway.charge(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("negative amount");
  }

  @Test
  void objectMethodsAreTheSwitchsOwn() {
    PaymentGateway gateway =
        FlagSwitch.of(
            flags,
            "beta_payment_gateway",
            PaymentGateway.class,
            new StripeGateway(),
            new LegacyGateway(),
            user::get);
    assertThat(gateway.toString()).contains("PaymentGateway").contains("beta_payment_gateway");
    // Calls equals itself: AssertJ's isEqualTo(gateway) would see the same reference and never
    // reach the proxy's equals.
    Object same = gateway;
    PaymentGateway twin =
        FlagSwitch.of(
            flags,
            "beta_payment_gateway",
            PaymentGateway.class,
            new StripeGateway(),
            new LegacyGateway(),
            user::get);
    assertThat(gateway.equals(same)).isTrue();
    assertThat(gateway.equals(twin)).isFalse();
    assertThat(gateway.equals(new StripeGateway())).isFalse();
    assertThat(gateway.hashCode()).isEqualTo(System.identityHashCode(gateway));
  }

  @Test
  void rejectsAClassType() {
    assertThatThrownBy(
            () ->
                FlagSwitch.of(
                    flags,
                    "beta_payment_gateway",
                    StripeGateway.class,
                    new StripeGateway(),
                    new StripeGateway(),
                    user::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interface");
  }

  private PaymentGateway proxy(PaymentGateway target, boolean cglib) {
    ProxyFactory factory = new ProxyFactory(target);
    factory.setProxyTargetClass(cglib);
    if (!cglib) {
      factory.addInterface(PaymentGateway.class);
    }
    factory.addAdvice(
        (MethodInterceptor)
            invocation -> {
              advised.incrementAndGet();
              return invocation.proceed();
            });
    return (PaymentGateway) factory.getProxy();
  }
}
