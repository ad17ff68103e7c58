package dev.flags.spring;

import dev.flags.spring.FlagsProperties.Store;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Which store the configuration asks for. One rule, used both by the auto-configuration (from
 * {@link FlagsProperties}) and by conditions, which run before any bean exists and so read the
 * {@link Environment} directly.
 */
final class StoreChoice {

  private StoreChoice() {}

  static Store effective(
      Optional<Store> configured,
      String filePath,
      String redisUrl,
      String sentinelMaster,
      List<String> clusterNodes) {
    if (configured.isPresent()) {
      return configured.get();
    }
    if (hasText(filePath)) {
      return Store.FILE;
    }
    if (hasText(redisUrl)
        || hasText(sentinelMaster)
        || (clusterNodes != null && !clusterNodes.isEmpty())) {
      return Store.REDIS;
    }
    return Store.PROPERTIES;
  }

  /**
   * The store asked for by the environment.
   *
   * @throws FlagsConfigurationException when {@code flags.store} names no store
   */
  static Store fromEnvironment(Environment environment) {
    Binder binder = Binder.get(environment);
    Optional<Store> configured;
    String raw = binder.bind("flags.store", Bindable.of(String.class)).map(String::trim).orElse("");
    if (!raw.isEmpty()) {
      configured = Optional.of(parse(raw));
    } else {
      configured = Optional.empty();
    }
    return effective(
        configured,
        binder.bind("flags.file.path", String.class).orElse(null),
        binder.bind("flags.redis.url", String.class).orElse(null),
        binder.bind("flags.redis.sentinel.master", String.class).orElse(null),
        binder.bind("flags.redis.cluster.nodes", Bindable.listOf(String.class)).orElse(List.of()));
  }

  static Store parse(String value) {
    for (Store store : Store.values()) {
      if (store.name().equalsIgnoreCase(value.replace('-', '_'))) {
        return store;
      }
    }
    throw new FlagsConfigurationException(
        "flags.store", value, "names no store", "Set flags.store to properties, file or redis.");
  }

  static boolean hasText(String s) {
    return s != null && !s.isBlank();
  }
}
