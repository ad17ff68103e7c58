package dev.flags.spring;

import dev.flags.core.EvaluationHook;
import dev.flags.core.Flags;
import dev.flags.core.spi.FlagStore;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configures a {@link Flags} client over the store {@code flags.store} names (default: the
 * flags of {@code flags.static.*}). Every bean backs off when the application defines its own: a
 * {@link FlagStore}, a {@link Flags}, a {@link FlagEditor}. {@link EvaluationHook} beans (metrics)
 * are added to the client. The client is closed with the context, which stops the store's threads
 * and connections.
 *
 * <p>Disabled by {@code flags.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnProperty(
    prefix = "flags",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(FlagsProperties.class)
@Import({
  FlagStoreConfigurations.PropertiesStoreConfiguration.class,
  FlagStoreConfigurations.FileStoreConfiguration.class,
  FlagsRedisConfiguration.class,
  FlagStoreConfigurations.RedisMissingConfiguration.class,
  FlagStoreConfigurations.InMemoryEditorConfiguration.class
})
public final class FlagsAutoConfiguration {

  /** The client; {@code close} runs when the context closes. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Flags flags(
      FlagStore flagStore,
      ObjectProvider<EvaluationHook> hooks,
      FlagsProperties properties,
      ObjectProvider<Clock> clock) {
    // Kill dates (stale flags) are judged by the application's Clock bean when it has one.
    Flags.Builder builder =
        Flags.builder().store(flagStore).clock(clock.getIfUnique(Clock::systemUTC));
    hooks.orderedStream().forEach(builder::evaluationHook);
    Duration failFast = properties.getFailFastTimeout();
    if (failFast == null) {
      return builder.build();
    }
    try {
      builder.failFast(failFast);
      return builder.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new FlagsConfigurationException(
          "flags.fail-fast-timeout",
          failFast.toMillis() + "ms",
          "was not enough: " + e.getMessage(),
          "Check that the flag store is reachable, raise flags.fail-fast-timeout, or remove it to start"
              + " without waiting (flags then serve defaults until the store loads).");
    }
  }
}
