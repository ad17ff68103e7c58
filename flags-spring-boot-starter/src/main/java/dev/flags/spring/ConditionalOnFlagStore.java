package dev.flags.spring;

import dev.flags.spring.FlagsProperties.Store;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/** Matches when the configuration asks for this store ({@link StoreChoice}). */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(OnFlagStoreCondition.class)
@interface ConditionalOnFlagStore {
  Store value();
}
