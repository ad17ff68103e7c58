package dev.flags.spring;

import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.spi.FlagStore;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisFlagAdmin;
import dev.flags.redis.RedisFlagStore;
import dev.flags.spring.FlagsProperties.Store;
import java.nio.file.Path;
import java.util.Collection;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The Redis store, its admin (for the actuator's writes) and an editor over it, when flags-redis
 * and Jedis are on the classpath and the store is {@code redis}. Class names, not literals, in the
 * condition: this class is only loaded once they are known to be present.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {"dev.flags.redis.RedisFlagStore", "redis.clients.jedis.UnifiedJedis"})
@ConditionalOnFlagStore(Store.REDIS)
class FlagsRedisConfiguration {

  @Bean
  @ConditionalOnMissingBean
  RedisConnectionSettings flagsRedisConnectionSettings(Environment environment) {
    return RedisSettingsResolver.resolve(Binder.get(environment));
  }

  @Bean
  @ConditionalOnMissingBean(FlagStore.class)
  RedisFlagStore flagStore(
      RedisConnectionSettings flagsRedisConnectionSettings, FlagsProperties properties) {
    FlagsProperties.Redis redis = properties.getRedis();
    RedisFlagStore.Builder builder = RedisFlagStore.builder(flagsRedisConnectionSettings);
    try {
      if (StoreChoice.hasText(redis.getPrefix())) {
        builder.prefix(redis.getPrefix());
      }
    } catch (IllegalArgumentException e) {
      throw new FlagsConfigurationException(
          "flags.redis.prefix",
          redis.getPrefix(),
          e.getMessage(),
          "Set flags.redis.prefix to a prefix such as feature: (on a Cluster, with a hash tag: {feature}:).");
    }
    try {
      if (redis.getSyncInterval() != null) {
        builder.syncInterval(redis.getSyncInterval());
      }
    } catch (IllegalArgumentException e) {
      throw new FlagsConfigurationException(
          "flags.redis.sync-interval",
          String.valueOf(redis.getSyncInterval()),
          e.getMessage(),
          "Set flags.redis.sync-interval to 10ms or more, such as 30s.");
    }
    if (redis.getKeyspaceNotifications() != null) {
      builder.enableKeyspaceNotifications(redis.getKeyspaceNotifications());
    }
    if (StoreChoice.hasText(redis.getSnapshotFile())) {
      builder.snapshotFile(Path.of(redis.getSnapshotFile()));
    }
    return builder.build();
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  FlagAdmin flagAdmin(
      RedisConnectionSettings flagsRedisConnectionSettings, FlagsProperties properties) {
    RedisFlagAdmin.Builder builder = RedisFlagAdmin.builder(flagsRedisConnectionSettings);
    if (StoreChoice.hasText(properties.getRedis().getPrefix())) {
      builder.prefix(properties.getRedis().getPrefix());
    }
    return builder.build();
  }

  @Bean
  @ConditionalOnMissingBean(FlagEditor.class)
  FlagEditor redisFlagEditor(FlagAdmin flagAdmin) {
    return new FlagEditor() {
      @Override
      public void setOn(String flagKey, boolean on, String actor, String reason) {
        flagAdmin.setOn(flagKey, on, Change.by(actor).because(reason));
      }

      @Override
      public void setRolloutPercentage(
          String flagKey, double percent, String actor, String reason) {
        flagAdmin.setRolloutPercentage(flagKey, percent, Change.by(actor).because(reason));
      }

      @Override
      public void addTargets(
          String flagKey,
          boolean value,
          Collection<String> contextKeys,
          String actor,
          String reason) {
        flagAdmin.addTargets(flagKey, value, contextKeys, Change.by(actor).because(reason));
      }
    };
  }
}
