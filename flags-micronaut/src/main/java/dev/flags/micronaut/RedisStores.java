package dev.flags.micronaut;

import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisFlagAdmin;
import dev.flags.redis.RedisFlagStore;
import io.micronaut.context.exceptions.ConfigurationException;

/**
 * The Redis parts of the configuration. The only class of the factory path naming flags-redis
 * types, and loaded only when {@code flags.store=redis}, so flags-redis stays optional.
 */
final class RedisStores {

  /** A class whose presence says flags-redis is on the classpath. */
  static final String MARKER = "dev.flags.redis.RedisFlagStore";

  private RedisStores() {}

  static RedisConnectionSettings connection(FlagsConfiguration.RedisConfiguration redis) {
    RedisConnectionSettings settings;
    try {
      if (redis.getUrl().filter(u -> !u.isBlank()).isPresent()) {
        settings = RedisConnectionSettings.standalone(redis.getUrl().orElseThrow());
      } else if (!redis.getCluster().getNodes().isEmpty()) {
        settings = RedisConnectionSettings.cluster(redis.getCluster().getNodes());
      } else {
        settings = RedisConnectionSettings.sentinel(
            redis.getSentinel().getMaster().orElseThrow(), redis.getSentinel().getNodes());
      }
      if (redis.getPassword().isPresent()) {
        settings = settings.withPassword(redis.getPassword().get());
      }
      if (redis.getUsername().isPresent()) {
        settings = settings.withUser(redis.getUsername().get());
      }
      if (redis.getSsl().isPresent()) {
        settings = settings.withSsl(redis.getSsl().get());
      }
      if (redis.getTimeout().isPresent()) {
        settings = settings.withTimeout(redis.getTimeout().get());
      }
      return settings;
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("flags.redis: " + e.getMessage(), e);
    }
  }

  static RedisFlagStore store(FlagsConfiguration.RedisConfiguration redis) {
    RedisFlagStore.Builder builder = RedisFlagStore.builder(connection(redis));
    try {
      redis.getPrefix().ifPresent(builder::prefix);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("flags.redis.prefix: " + e.getMessage(), e);
    }
    try {
      redis.getSyncInterval().ifPresent(builder::syncInterval);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("flags.redis.sync-interval: " + e.getMessage(), e);
    }
    redis.getSnapshotFile().ifPresent(builder::snapshotFile);
    return builder.enableKeyspaceNotifications(redis.isKeyspaceNotifications()).build();
  }

  static RedisFlagAdmin admin(FlagsConfiguration.RedisConfiguration redis) {
    RedisFlagAdmin.Builder builder = RedisFlagAdmin.builder(connection(redis));
    redis.getPrefix().ifPresent(builder::prefix);
    return builder.build();
  }
}
