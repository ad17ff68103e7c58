package dev.flags.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Registers a bean, component or configuration only when a flag has a given value <em>when the
 * application context starts</em>.
 *
 * {@snippet :
 * @Bean
 * @ConditionalOnFlag("new_checkout_flow")
 * CheckoutFlow newCheckoutFlow() { ... }
 * }
 *
 * <p>The decision is taken once: a flag changed later does not add or remove beans (use {@link
 * FlagSwitch} or {@code @FlagGuard} for decisions per call or per request). It does not go through
 * the {@code Flags} bean, which does not exist yet; flags-integration's {@code StartupFlags} reads
 * the store directly, the same way as Micronaut's {@code @RequiresFlag}:
 *
 * <ul>
 *   <li>{@code properties} store: the {@code flags.static.*} value;
 *   <li>{@code file} store: one read of the file(s) of {@code flags.file.path};
 *   <li>{@code redis} store: one {@code GET} of the flag's key, waiting at most {@code
 *       flags.redis.condition-timeout} (500ms); prerequisites and segments are not read, so keep
 *       start-up conditions to plain on/off flags.
 * </ul>
 *
 * What the store holds wins; when the store cannot be read (Redis down), the {@code flags.static.*}
 * value counts, as the client serves it until the store's first load. The flag is evaluated for a
 * context of key {@code flags.condition.context-key} ({@code application}) and kind {@code
 * application}, since no user exists at start-up. A flag that does not exist, cannot be read, or
 * cannot be reached with no static value all mean "missing": the condition then matches exactly
 * when {@link #matchIfMissing()} is true.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(OnFlagCondition.class)
public @interface ConditionalOnFlag {

  /** The flag key. */
  String value();

  /**
   * The value the flag must serve: {@code "true"} by default; for string and number flags, the
   * value's text ({@code "v2"}, {@code "3"}).
   */
  String havingValue() default "true";

  /** Whether to match when the flag is missing or the store cannot be read. */
  boolean matchIfMissing() default false;
}
