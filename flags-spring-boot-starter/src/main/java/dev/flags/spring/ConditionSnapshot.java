package dev.flags.spring;

import dev.flags.integration.FlagsConfigurationException;
import dev.flags.integration.FlagsSettings;
import dev.flags.integration.StartupFlags;
import java.util.Objects;
import java.util.Optional;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;

/**
 * The {@link StartupFlags} every {@link ConditionalOnFlag} of one application context is decided
 * from (flags-integration reads the store once and keeps each answer, so a condition evaluated in
 * several phases and every condition on the same key agree).
 *
 * <p>It lives in the bean factory as a singleton named {@link #BEAN_NAME}, as Spring Boot keeps its
 * condition report, so it dies with its context. The store is released once the configuration
 * classes are processed (by {@link Release}, a bean-factory post-processor) and at the latest when
 * the context closes. Thread-safe (StartupFlags serialises lookups).
 */
final class ConditionSnapshot implements DisposableBean {

  /** The singleton's name in the bean factory. */
  static final String BEAN_NAME = "dev.flags.spring.internalConditionSnapshot";

  private static final String RELEASE_NAME = "dev.flags.spring.internalConditionSnapshotRelease";
  private static final Object LOCK = new Object();

  private final Optional<StartupFlags> flags;
  private final String unbound;

  private ConditionSnapshot(Environment environment) {
    Optional<StartupFlags> read;
    String why = "";
    try {
      read = Optional.of(StartupFlags.of(FlagsSettings.from(SpringSettingsSource.of(environment))));
    } catch (FlagsConfigurationException e) {
      // Start-up reports the error when it binds the settings bean; here the flag is missing.
      read = Optional.empty();
      why = "the flags settings do not bind: " + e.getMessage();
    }
    this.flags = read;
    this.unbound = why;
  }

  /** The snapshot of the context being built; created (reading nothing yet) on first use. */
  static ConditionSnapshot of(ConditionContext context) {
    ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
    if (beanFactory == null) {
      // No bean factory to remember it in (a bare condition evaluator): decide from a fresh read.
      return new ConditionSnapshot(context.getEnvironment());
    }
    synchronized (LOCK) {
      if (beanFactory.containsSingleton(BEAN_NAME)) {
        return (ConditionSnapshot) Objects.requireNonNull(beanFactory.getSingleton(BEAN_NAME));
      }
      ConditionSnapshot snapshot = new ConditionSnapshot(context.getEnvironment());
      beanFactory.registerSingleton(BEAN_NAME, snapshot);
      if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
        registry.registerDisposableBean(BEAN_NAME, snapshot);
      }
      BeanDefinitionRegistry registry = context.getRegistry();
      if (!registry.containsBeanDefinition(RELEASE_NAME)) {
        RootBeanDefinition release = new RootBeanDefinition(Release.class);
        release.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
        registry.registerBeanDefinition(RELEASE_NAME, release);
      }
      return snapshot;
    }
  }

  /** The flag's value at start-up, or why there is none. */
  StartupFlags.Lookup lookup(String key) {
    return flags
        .map(f -> f.lookup(key))
        .orElseGet(() -> new StartupFlags.Lookup(Optional.empty(), unbound));
  }

  /** How many times the store was opened for this context (1 once any flag was asked). */
  int storeReads() {
    return flags.map(StartupFlags::storeReads).orElse(0);
  }

  /** The settings the flags are read with, when they bind. */
  Optional<FlagsSettings> settings() {
    return flags.map(StartupFlags::settings);
  }

  @Override
  public void destroy() {
    flags.ifPresent(StartupFlags::close);
  }

  /**
   * Releases the snapshot's store once configuration classes are processed: bean-factory
   * post-processors run after every condition on a configuration class or bean method was decided.
   */
  static final class Release implements BeanFactoryPostProcessor {
    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
      if (beanFactory.containsSingleton(BEAN_NAME)) {
        ((ConditionSnapshot) Objects.requireNonNull(beanFactory.getSingleton(BEAN_NAME))).destroy();
      }
    }
  }
}
