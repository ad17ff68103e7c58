package dev.flags.spring;

import dev.flags.core.EvaluationHook;
import dev.flags.core.Flags;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.spi.FlagStore;
import dev.flags.integration.FlagsConfigurationException;
import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.FlagsSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configures the flags from the {@code flags.*} settings (docs/settings.md): the {@link
 * FlagsSettings} bound from the environment, the {@link FlagsRuntime} they choose (store, client,
 * write API: flags-integration decides, this class only wires), and its {@link Flags} client and
 * {@link FlagAdmin} as beans. Each backs off when the application defines its own; an application's
 * {@link FlagStore} bean is read instead of the configured store, and its {@link FlagAdmin} bean is
 * what the admin API writes through. {@link EvaluationHook} beans (metrics) see every evaluation.
 * The runtime is closed with the context, which stops the store's threads and connections.
 *
 * <p>Disabled by {@code flags.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnProperty(
    prefix = "flags",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
public final class FlagsAutoConfiguration {

  /** The name of the {@link FlagAdmin} bean this class defines when the application has none. */
  static final String ADMIN_BEAN = "flagAdmin";

  /**
   * The settings, bound and validated.
   *
   * @throws dev.flags.integration.FlagsConfigurationException naming the property at fault
   */
  @Bean
  @ConditionalOnMissingBean
  public FlagsSettings flagsSettings(Environment environment) {
    SpringSettingsSource source = SpringSettingsSource.of(environment);
    try {
      return FlagsSettings.from(source);
    } catch (FlagsConfigurationException e) {
      Optional<String> origin = source.springOrigin(e.property());
      if (origin.isEmpty()) {
        throw e;
      }
      throw new FlagsConfigurationException(
          e.property(),
          e.value(),
          e.problem() + " (taken from " + origin.get() + ": flags.redis.* sets no address)",
          e.fix(),
          e);
    }
  }

  /** The store, client and write API, built and started; closed with the context. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public FlagsRuntime flagsRuntime(
      FlagsSettings settings,
      ObjectProvider<FlagStore> store,
      ObjectProvider<EvaluationHook> hooks,
      ObjectProvider<Clock> clock,
      ConfigurableListableBeanFactory beanFactory) {
    FlagsRuntime.Builder builder =
        FlagsRuntime.builder(settings).clock(clock.getIfUnique(Clock::systemUTC));
    store.ifUnique(builder::store);
    hooks.orderedStream().forEach(builder::evaluationHook);
    List<String> admins = applicationAdmins(beanFactory);
    if (admins.size() == 1) {
      builder.admin(beanFactory.getBean(admins.get(0), FlagAdmin.class));
    }
    return builder.build();
  }

  /** The client of the runtime. */
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean
  public Flags flags(FlagsRuntime flagsRuntime) {
    return flagsRuntime.flags();
  }

  /** The write API of the runtime (read-only stores say why in {@code readOnlyReason()}). */
  @Bean(name = ADMIN_BEAN, destroyMethod = "")
  @ConditionalOnMissingBean
  public FlagAdmin flagAdmin(FlagsRuntime flagsRuntime) {
    return flagsRuntime.admin();
  }

  /**
   * The application's own {@link FlagAdmin} beans: every one but ours (which exists only when the
   * application has none, and is the runtime's own).
   */
  private static List<String> applicationAdmins(ConfigurableListableBeanFactory beanFactory) {
    List<String> names = new ArrayList<>();
    for (String name : beanFactory.getBeanNamesForType(FlagAdmin.class, true, false)) {
      if (!(name.equals(ADMIN_BEAN) && ours(beanFactory, name))) {
        names.add(name);
      }
    }
    return names;
  }

  private static boolean ours(ConfigurableListableBeanFactory beanFactory, String name) {
    if (!beanFactory.containsBeanDefinition(name)) {
      return false;
    }
    BeanDefinition definition = beanFactory.getBeanDefinition(name);
    return FlagsAutoConfiguration.class.getName().equals(definition.getFactoryBeanName());
  }
}
