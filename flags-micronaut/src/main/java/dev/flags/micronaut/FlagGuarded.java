package dev.flags.micronaut;

import io.micronaut.aop.Around;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated method only while a boolean flag is on for the current caller, <em>decided on
 * every call</em> (compile-time around advice, no reflection). The caller is {@link
 * EvaluationContextProvider#current()}: the HTTP request's user, header or anonymous cookie.
 *
 * <pre>{@code
 * @Singleton
 * class Checkout {
 *   @FlagGuarded(value = "new_checkout_flow", fallback = "legacyTotal")
 *   public Money total(Cart cart) { ... }
 *
 *   @Executable                       // the fallback is called through a compile-time handle
 *   public Money legacyTotal(Cart cart) { ... }
 *
 *   @FlagGuarded(value = "discounts", defaultValue = "0")
 *   public int discountPercent(Cart cart) { ... }
 * }
 *
 * @Controller("/beta")
 * class BetaController {
 *   @Get @FlagGuarded("beta_page")     // 404 Not Found while the flag is off
 *   String page() { ... }
 * }
 * }</pre>
 *
 * <p>When the flag is off (or unknown, or not boolean), in this order: the {@link #fallback()}
 * method is called with the same arguments; else {@link #defaultValue()} is converted to the return
 * type and returned; else, on a {@code @Controller}, the request gets a 404; else a {@code void}
 * method does nothing and an {@code Optional} method returns empty; else {@link
 * FlagDisabledException} is thrown. The class must not be final (Micronaut subclasses it). For a
 * method returning a {@code Publisher} or {@code CompletionStage}, the flag is evaluated when the
 * method is called, not when the result is subscribed to.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Around
public @interface FlagGuarded {

  /** The key of the boolean flag. */
  String value();

  /**
   * A method of the same bean, with the same parameters and return type, called when the flag is
   * off; it must be annotated {@code @io.micronaut.context.annotation.Executable} (so it is invoked
   * through generated code).
   */
  String fallback() default "";

  /**
   * The value returned when the flag is off, converted to the return type by Micronaut's conversion
   * service ({@code "0"}, {@code "false"}, {@code "n/a"}); unset by default. One element at most.
   */
  String[] defaultValue() default {};
}
