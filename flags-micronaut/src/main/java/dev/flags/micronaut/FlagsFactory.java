package dev.flags.micronaut;

import dev.flags.core.EvaluationHook;
import dev.flags.core.Flags;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.spi.FlagStore;
import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.FlagsSettings;
import dev.flags.integration.RequestContextPolicy;
import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.inject.BeanDefinition;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;

/**
 * Produces the beans of the flags from the {@code flags.*} settings (docs/settings.md):
 * flags-integration's {@link FlagsSettings} bound from the environment, the {@link FlagsRuntime}
 * they choose (store, client, write API), its {@link Flags} client and {@link FlagAdmin}, and the
 * {@link RequestContextPolicy}. The client is a {@link Context} bean, so a bad setting stops the
 * application at start-up with a {@code FlagsConfigurationException} naming the property. Replace a
 * bean with {@code @Replaces}; an application's {@link FlagStore} bean is read instead of the
 * configured store, and its {@link FlagAdmin} bean is what the admin API writes through. Every
 * {@link EvaluationHook} bean (metrics) sees every evaluation.
 *
 * <p>Disable the whole integration with {@code flags.enabled=false}. Thread-safe.
 */
@Factory
@Requires(condition = Switches.Flags.class)
public class FlagsFactory {

  /** Set to {@code false} to create no flag beans at all. */
  public static final String ENABLED = "flags.enabled";

  /**
   * The settings, bound and validated.
   *
   * @throws dev.flags.integration.FlagsConfigurationException naming the property at fault
   */
  @Singleton
  public FlagsSettings flagsSettings(Environment environment) {
    return FlagsSettings.from(new MicronautSettingsSource(environment));
  }

  /** The store, client and write API, built and started; closed with the context. */
  @Singleton
  @Bean(preDestroy = "close")
  public FlagsRuntime flagsRuntime(
      FlagsSettings settings,
      @Nullable FlagStore store,
      List<EvaluationHook> hooks,
      @Nullable Clock clock,
      BeanContext beanContext) {
    FlagsRuntime.Builder builder =
        FlagsRuntime.builder(settings).clock(clock == null ? Clock.systemUTC() : clock);
    if (store != null) {
      builder.store(store);
    }
    hooks.forEach(builder::evaluationHook);
    List<BeanDefinition<FlagAdmin>> admins =
        beanContext.getBeanDefinitions(FlagAdmin.class).stream()
            .filter(d -> d.getDeclaringType().filter(FlagsFactory.class::equals).isEmpty())
            .toList();
    if (admins.size() == 1) {
      builder.admin(beanContext.getBean(admins.get(0)));
    }
    return builder.build();
  }

  /** The client, started: one per application (this one), closed with the runtime. */
  @Context
  @Requires(missingBeans = Flags.class)
  public Flags flags(FlagsRuntime runtime) {
    return runtime.flags();
  }

  /** The write API (read-only stores say why in {@code readOnlyReason()}). */
  @Singleton
  @Requires(missingBeans = FlagAdmin.class)
  public FlagAdmin flagAdmin(FlagsRuntime runtime) {
    return runtime.admin();
  }

  /** Who a web request is evaluated for (logs a random cookie key at INFO). */
  @Singleton
  public RequestContextPolicy flagsRequestContextPolicy(FlagsSettings settings) {
    return RequestContextPolicy.of(settings);
  }
}
