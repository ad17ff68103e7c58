package dev.flags.examples.spring;

import dev.flags.core.Flags;
import dev.flags.spring.FlagSwitch;
import dev.flags.spring.web.FlagContextResolver;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The checkout service. By default its flags come from {@code
 * flags-examples/spring-boot/flags.json} (edit it while the service runs: changes apply at once);
 * with {@code --flags.store=redis} they come from Redis, seeded from that file, and can be changed
 * through the admin API at /flags/api.
 *
 * <pre>
 * ./mvnw -q -pl flags-examples/spring-boot -am package -DskipTests
 * java -jar flags-examples/spring-boot/target/checkout-spring.jar [--flags.store=redis]
 * </pre>
 */
@SpringBootApplication
public class CheckoutApplication {

  public static void main(String[] args) {
    SpringApplication.run(CheckoutApplication.class, args);
  }

  // tag::spring-quick-start-switch[]
  @Bean
  @Primary // what `PaymentGateway` injection points get: beta or legacy, decided on every call
  PaymentGateway paymentGateway(
      Flags flags,
      FlagContextResolver users,
      BetaPaymentGateway beta,
      LegacyPaymentGateway legacy) {
    return FlagSwitch.of(
        flags, "beta_payment_gateway", PaymentGateway.class, beta, legacy, users::current);
  }
  // end::spring-quick-start-switch[]
}
