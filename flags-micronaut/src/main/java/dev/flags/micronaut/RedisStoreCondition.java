package dev.flags.micronaut;

import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;
import io.micronaut.context.exceptions.ConfigurationException;

/**
 * Whether the flags come from Redis, decided by {@link FlagsConfiguration#storeKind()}, the one
 * place that decides: {@code flags.store=redis} in any case, or no {@code flags.store} and a Redis
 * address ({@code flags.redis.url}, {@code flags.redis.sentinel.*} or {@code
 * flags.redis.cluster.nodes}). A configuration error does not match here; the {@code Flags} bean
 * reports it at start-up.
 */
final class RedisStoreCondition implements Condition {

  @Override
  @SuppressWarnings("rawtypes") // Micronaut's Condition declares the raw type
  public boolean matches(ConditionContext context) {
    ConditionContext<?> typed = context;
    FlagsConfiguration config = typed.getBean(FlagsConfiguration.class);
    try {
      if (config.storeKind() == FlagsConfiguration.StoreKind.REDIS) {
        return true;
      }
      context.fail("the flags come from the " + config.storeKind() + " store, not Redis");
      return false;
    } catch (ConfigurationException e) {
      context.fail(e.getMessage());
      return false;
    }
  }
}
