package dev.flags.micronaut;

import dev.flags.core.admin.FlagAdmin;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisFlagAdmin;
import dev.flags.redis.RedisFlagStore;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;

/**
 * Builds the Redis store and admin from the configuration: the only class of the factory path
 * naming flags-redis types. A bean only when flags-redis is on the classpath, which Micronaut
 * decides from {@code @Requires(classes = …)} (computed at build time for a native image), so
 * nothing here looks a class up at runtime and flags-redis stays optional. Stateless, thread-safe.
 */
@Singleton
@Requires(classes = RedisFlagStore.class)
final class RedisStores {

  /** The name of the Redis store's class, to recognise it without loading flags-redis. */
  static final String STORE_CLASS_NAME = "dev.flags.redis.RedisFlagStore";

  RedisStores() {}

  static RedisConnectionSettings connection(FlagsConfiguration.RedisConfiguration redis) {
    RedisConnectionSettings settings;
    try {
      if (redis.getUrl().filter(u -> !u.isBlank()).isPresent()) {
        settings = RedisConnectionSettings.standalone(redis.getUrl().orElseThrow());
      } else if (!redis.getCluster().getNodes().isEmpty()) {
        settings = RedisConnectionSettings.cluster(redis.getCluster().getNodes());
      } else {
        FlagsConfiguration.RedisConfiguration.SentinelConfiguration sentinel = redis.getSentinel();
        settings =
            RedisConnectionSettings.sentinel(
                sentinel.getMaster().orElseThrow(), sentinel.getNodes());
        // The Sentinels' own credentials, apart from the master's below.
        if (sentinel.getPassword().isPresent()) {
          settings = settings.withSentinelPassword(sentinel.getPassword().get());
        }
        if (sentinel.getUsername().isPresent()) {
          settings = settings.withSentinelUser(sentinel.getUsername().get());
        }
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
      if (redis.isVerifyHostname()) {
        if (!settings.ssl()) {
          throw new ConfigurationException(
              "flags.redis.verify-hostname: checking the host name needs TLS, and this "
                  + "connection is not over TLS; use a rediss:// URL or flags.redis.ssl=true");
        }
        settings = settings.withVerifyHostname(true);
      }
      if (redis.getTimeout().isPresent()) {
        settings = settings.withTimeout(redis.getTimeout().get());
      }
      return settings;
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("flags.redis: " + e.getMessage(), e);
    }
  }

  RedisFlagStore store(FlagsConfiguration.RedisConfiguration redis) {
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

  FlagAdmin admin(FlagsConfiguration.RedisConfiguration redis) {
    RedisFlagAdmin.Builder builder = RedisFlagAdmin.builder(connection(redis));
    redis.getPrefix().ifPresent(builder::prefix);
    return builder.build();
  }
}
