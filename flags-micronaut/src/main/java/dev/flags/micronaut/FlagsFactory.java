package dev.flags.micronaut;

import dev.flags.core.EvaluationHook;
import dev.flags.core.Flags;
import dev.flags.core.spi.FlagStore;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;

/**
 * Produces the {@link FlagStore} chosen by {@code flags.store} and the {@link Flags} client. The
 * client is a {@link Context} bean, so a configuration error stops the application at start-up, and
 * both are closed with the application context. Replace either with {@code @Replaces}.
 *
 * <p>Every {@link EvaluationHook} bean (such as the Micrometer one) is registered with the client.
 * Disable the whole integration with {@code flags.enabled=false}. Thread-safe.
 */
@Factory
@Requires(property = FlagsFactory.ENABLED, notEquals = "false")
public class FlagsFactory {

  /** Set to {@code false} to create no flag beans at all. */
  public static final String ENABLED = "flags.enabled";

  /**
   * The store, not yet started: the client starts it. The Redis store comes from a separate bean
   * that exists only when flags-redis is on the classpath, so no class is looked up at runtime.
   *
   * @throws io.micronaut.context.exceptions.ConfigurationException naming the property at fault
   */
  @Singleton
  @Bean(preDestroy = "close")
  FlagStore flagStore(FlagsConfiguration config, @Nullable RedisStores redis) {
    return Stores.create(config, redis);
  }

  /** The client, started: create one per application (this one), closed with the context. */
  @Context
  @Bean(preDestroy = "close")
  public Flags flags(FlagStore store, FlagsConfiguration config, List<EvaluationHook> hooks) {
    Flags.Builder builder = Flags.builder().store(store).bootstrap(Stores.bootstrap(config));
    hooks.forEach(builder::evaluationHook);
    config.getFailFastTimeout().ifPresent(builder::failFast);
    try {
      return builder.build();
    } catch (IllegalStateException e) {
      throw new ConfigurationException(
          "flags.fail-fast-timeout: the "
              + config.storeKind().name().toLowerCase(Locale.ROOT)
              + " store did not load within "
              + config.getFailFastTimeout().orElseThrow()
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
