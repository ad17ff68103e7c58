package dev.flags.micronaut;

import io.micronaut.context.annotation.Requires;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Creates the annotated bean (class, factory method) only when a flag has a value <em>at
 * start-up</em>:
 *
 * <pre>{@code
 * @Singleton
 * @RequiresFlag("new_checkout_flow")
 * class NewCheckoutScheduler { ... }
 * }</pre>
 *
 * <p><b>Decided once, from configuration, when the context first resolves the bean</b> (at start-up
 * for controllers, {@code @Context} beans and eagerly-initialised singletons): later changes to the
 * flag do not create or destroy the bean. For decisions per call use {@link FlagGuarded} or {@link
 * FlagSwitch}.
 *
 * <p>How the flag is read: flags-integration's {@code StartupFlags}, as Spring's
 * {@code @ConditionalOnFlag} does, before the {@code Flags} bean exists (a condition must not
 * initialise beans): {@code flags.static.*} for the properties store, one read of the file for the
 * file store, one {@code GET} per key for Redis (waiting at most {@code
 * flags.redis.condition-timeout}, 500ms). What the store holds wins; when the store cannot be read,
 * the {@code flags.static.*} value counts. The flag is evaluated for the context {@code {key:
 * <flags.condition.context-key, "application">, kind: "application"}}. When the flag is missing
 * (unknown, unreadable, or the store unreachable with no static value), {@link #matchIfMissing()}
 * decides.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Requires(condition = FlagCondition.class)
public @interface RequiresFlag {

  /** The flag key. */
  String value();

  /**
   * The value the flag must serve: {@code "true"} by default; for a string or number flag, its
   * value as text ({@code "v2"}, {@code "3"}); for a JSON flag, its compact JSON.
   */
  String havingValue() default "true";

  /** Whether to create the bean when the flag is unknown or could not be read. */
  boolean matchIfMissing() default false;
}
