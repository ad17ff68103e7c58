package dev.flags.micronaut;

import dev.flags.core.admin.FlagAdmin;
import dev.flags.redis.RedisFlagAdmin;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * With the Redis store ({@code flags.store=redis}, or only a Redis address set; {@link
 * RedisStoreCondition}): a {@link FlagAdmin} ({@link RedisFlagAdmin}) on the same Redis and prefix,
 * for the endpoint's writes and the application's own admin code. Created on first use, closed with
 * the context.
 */
@Factory
@Requires(classes = RedisFlagAdmin.class)
@Requires(condition = RedisStoreCondition.class)
@Requires(property = FlagsFactory.ENABLED, notEquals = "false")
class RedisFactory {

  /** The admin API on the configured Redis. */
  @Singleton
  @Bean(preDestroy = "close")
  public FlagAdmin redisFlagAdmin(FlagsConfiguration config, RedisStores stores) {
    return stores.admin(config.getRedis());
  }
}
