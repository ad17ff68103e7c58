package dev.flags.spring.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Guards a Spring MVC controller, or one of its handler methods, by a boolean flag evaluated for
 * the current user ({@link FlagContextResolver}) on every request: when the flag is off (or
 * missing), the request is answered with {@code flags.web.guard-status} (404 by default, as if the
 * endpoint did not exist) or with {@link #status()}.
 *
 * {@snippet :
 * @RestController
 * class CheckoutController {
 *   @FlagGuard("new_checkout_flow")
 *   @PostMapping("/checkout/v2")
 *   Receipt checkout(@RequestBody Cart cart) { ... }
 * }
 * }
 *
 * <p>A method's annotation wins over its class's. The annotation is found on the controller's own
 * class even when the bean is a CGLIB or JDK proxy ({@code @Transactional}, {@code @Validated},
 * method security), and on interfaces it implements.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
public @interface FlagGuard {

  /** The flag key. */
  String value();

  /**
   * The status when the flag is off; {@code 0} (the default) means {@code flags.web.guard-status}.
   */
  int status() default 0;
}
