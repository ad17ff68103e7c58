package dev.flags.micronaut;

import io.micronaut.aop.Introduction;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.DefaultScope;
import jakarta.inject.Singleton;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes an interface a switch between two implementations, <em>decided on every call</em> by a
 * boolean flag for the current caller ({@link EvaluationContextProvider#current()}). Micronaut
 * writes the implementation at compile time (introduction advice): no proxy, no reflection.
 *
 * <pre>{@code
 * public interface Pricing { Money price(Cart cart); }
 *
 * @Singleton class LegacyPricing implements Pricing { ... }
 * @Singleton class NewPricing implements Pricing { ... }
 *
 * @Primary                                  // so that `@Inject Pricing` gets the switch
 * @FlagSwitch(value = "new_pricing", on = NewPricing.class, off = LegacyPricing.class)
 * public interface PricingSwitch extends Pricing {}
 * }</pre>
 *
 * <p>While the flag is on for the caller, calls go to the {@link #on()} bean, else (off, unknown,
 * not boolean) to the {@link #off()} bean. Both must be beans implementing the annotated
 * interface's methods; they are looked up once.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Introduction
@Bean
@DefaultScope(Singleton.class)
public @interface FlagSwitch {

  /** The key of the boolean flag. */
  String value();

  /** The bean type serving calls while the flag is on. */
  Class<?> on();

  /** The bean type serving calls while the flag is off. */
  Class<?> off();
}
