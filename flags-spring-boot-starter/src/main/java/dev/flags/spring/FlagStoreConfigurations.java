package dev.flags.spring;

import dev.flags.core.FileFlagStore;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.spi.FlagStore;
import dev.flags.spring.FlagsProperties.Store;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/** The store beans that need nothing but flags-core, one configuration per store. */
final class FlagStoreConfigurations {

  private FlagStoreConfigurations() {}

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnFlagStore(Store.PROPERTIES)
  @ConditionalOnMissingBean(FlagStore.class)
  static class PropertiesStoreConfiguration {

    @Bean
    InMemoryFlagStore flagStore(FlagsProperties properties) {
      return StaticFlags.store(properties.getStatic());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnFlagStore(Store.FILE)
  @ConditionalOnMissingBean(FlagStore.class)
  static class FileStoreConfiguration {

    @Bean
    FileFlagStore flagStore(FlagsProperties properties) {
      return fileStore(properties.getFile());
    }
  }

  /** Edits an in-memory store, whoever created it. */
  @Configuration(proxyBeanMethods = false)
  static class InMemoryEditorConfiguration {

    @Bean
    @ConditionalOnBean(InMemoryFlagStore.class)
    @ConditionalOnMissingBean(FlagEditor.class)
    FlagEditor flagEditor(InMemoryFlagStore store) {
      return new InMemoryFlagEditor(store);
    }
  }

  /**
   * flags.store=redis without flags-redis: fail with the fix rather than silently serve defaults.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnFlagStore(Store.REDIS)
  @ConditionalOnMissingBean(FlagStore.class)
  @Conditional(RedisClassesMissing.class)
  static class RedisMissingConfiguration {

    @Bean
    FlagStore flagStore() {
      throw new FlagsConfigurationException(
          "flags.store",
          "redis",
          "needs dev.flags:flags-redis and redis.clients:jedis on the classpath",
          "Add the dependency dev.flags:flags-redis, or choose flags.store=properties or file.");
    }
  }

  /** Either flags-redis or Jedis is missing (both are needed). */
  static final class RedisClassesMissing extends AnyNestedCondition {
    RedisClassesMissing() {
      super(ConfigurationPhase.PARSE_CONFIGURATION);
    }

    @ConditionalOnMissingClass("dev.flags.redis.RedisFlagStore")
    static class FlagsRedisMissing {}

    @ConditionalOnMissingClass("redis.clients.jedis.UnifiedJedis")
    static class JedisMissing {}
  }

  static FileFlagStore fileStore(FlagsProperties.File file) {
    String path = file.getPath();
    if (!StoreChoice.hasText(path)) {
      throw new FlagsConfigurationException(
          "flags.file.path",
          "",
          "is required by flags.store=file",
          "Set flags.file.path to a JSON flag file or directory.");
    }
    FileFlagStore.Builder builder = FileFlagStore.builder();
    if (path.startsWith("classpath:")) {
      builder.classpathResource(path.substring("classpath:".length()));
    } else {
      try {
        builder.path(Path.of(path.startsWith("file:") ? path.substring("file:".length()) : path));
      } catch (InvalidPathException e) {
        throw new FlagsConfigurationException(
            "flags.file.path",
            path,
            "is not a valid path: " + e.getReason(),
            "Set flags.file.path to a JSON flag file or directory.");
      }
      builder.watch(file.isWatch());
    }
    try {
      return builder.pollInterval(file.getPollInterval()).build();
    } catch (IllegalArgumentException e) {
      throw new FlagsConfigurationException(
          "flags.file.poll-interval",
          String.valueOf(file.getPollInterval()),
          e.getMessage(),
          "Set flags.file.poll-interval to 10ms or more.");
    }
  }
}
