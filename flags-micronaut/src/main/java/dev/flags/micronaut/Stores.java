package dev.flags.micronaut;

import dev.flags.core.FileFlagStore;
import dev.flags.core.FlagSet;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.spi.FlagStore;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import java.nio.file.Path;

/** Builds the store {@code flags.store} names; shared by the factory and the start-up condition. */
final class Stores {

  private Stores() {}

  /**
   * A new, not yet started store.
   *
   * @param redis the Redis store builder, {@code null} when flags-redis is not on the classpath
   * @throws ConfigurationException naming the property at fault
   */
  static FlagStore create(FlagsConfiguration config, @Nullable RedisStores redis) {
    config.validate();
    return switch (config.storeKind()) {
      case PROPERTIES -> Validation.staticValues(config.getStatic());
      case FILE -> file(config.getFile());
      case REDIS -> {
        if (redis == null) {
          throw new ConfigurationException(
              "flags.store: redis needs the dev.flags:flags-redis dependency on the classpath");
        }
        yield redis.store(config.getRedis());
      }
    };
  }

  /** The prefix of {@code flags.file.path} naming a classpath resource. */
  static final String CLASSPATH_PREFIX = "classpath:";

  private static FlagStore file(FlagsConfiguration.FileConfiguration file) {
    String path = file.getPath().orElseThrow();
    FileFlagStore.Builder builder = FileFlagStore.builder().watch(file.isWatch());
    try {
      builder.pollInterval(file.getPollInterval());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("flags.file.poll-interval: " + e.getMessage(), e);
    }
    try {
      if (path.startsWith(CLASSPATH_PREFIX)) {
        builder.classpathResource(path.substring(CLASSPATH_PREFIX.length()));
      } else {
        builder.path(Path.of(path));
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("flags.file.path: \"" + path + "\": " + e.getMessage(), e);
    }
    return builder.build();
  }

  /**
   * What the client serves before the store's first load: the static flags, for the file and Redis
   * stores (the properties store already holds them).
   */
  static FlagSet bootstrap(FlagsConfiguration config) {
    if (config.storeKind() == FlagsConfiguration.StoreKind.PROPERTIES
        || config.getStatic().isEmpty()) {
      return FlagSet.EMPTY;
    }
    InMemoryFlagStore store = Validation.staticValues(config.getStatic());
    return FlagSet.of(store.flags().toArray(dev.flags.core.Flag[]::new));
  }
}
