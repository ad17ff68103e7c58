package dev.flags.spring;

import dev.flags.core.EvaluationContext;
import dev.flags.core.FlagSet;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.JsonValue;
import dev.flags.core.StoreStatus;
import dev.flags.spring.FlagsProperties.Store;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * What every {@link ConditionalOnFlag} of one application context is decided from: the store is
 * opened once per context (one bind of {@code flags.static.*}, one read of the flag file, one Redis
 * connection), and each flag's answer is kept, so a condition evaluated in several phases (Spring
 * evaluates those of {@code @Configuration} classes more than once) and every condition on the same
 * key get the same answer.
 *
 * <p>It lives in the bean factory as a singleton named {@link #BEAN_NAME}, as Spring Boot keeps its
 * condition report, so it dies with its context. The store is released once the configuration
 * classes are processed (by {@link Release}, a bean-factory post-processor) and at the latest when
 * the context closes. Not thread-safe beyond what condition evaluation needs: lookups are
 * synchronized.
 */
final class ConditionSnapshot implements DisposableBean {

  /** The singleton's name in the bean factory. */
  static final String BEAN_NAME = "dev.flags.spring.internalConditionSnapshot";

  private static final String RELEASE_NAME = "dev.flags.spring.internalConditionSnapshotRelease";
  private static final Duration FILE_WAIT = Duration.ofSeconds(5);
  private static final String REDIS_READER = "dev.flags.spring.RedisBootstrapReader";
  private static final Object LOCK = new Object();

  private final Environment environment;
  private final ClassLoader classLoader;
  private final Store store;
  private final EvaluationContext evaluationContext;
  private final Map<String, Lookup> answers = new ConcurrentHashMap<>();
  private Source source;
  private int storeReads;

  private ConditionSnapshot(Environment environment, ClassLoader classLoader) {
    this.environment = environment;
    this.classLoader = classLoader;
    this.store = StoreChoice.fromEnvironment(environment);
    this.evaluationContext =
        EvaluationContext.builder(
                Binder.get(environment)
                    .bind("flags.condition.context-key", String.class)
                    .orElse("application"))
            .kind("application")
            .build();
  }

  /**
   * The snapshot of the context being built; created (without reading anything yet) on first use.
   */
  static ConditionSnapshot of(ConditionContext context) {
    ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
    ClassLoader classLoader =
        context.getClassLoader() != null
            ? context.getClassLoader()
            : ClassUtils.getDefaultClassLoader();
    if (beanFactory == null) {
      // No bean factory to remember it in (a bare condition evaluator): decide from a fresh read.
      return new ConditionSnapshot(context.getEnvironment(), classLoader);
    }
    synchronized (LOCK) {
      if (beanFactory.containsSingleton(BEAN_NAME)) {
        return (ConditionSnapshot) beanFactory.getSingleton(BEAN_NAME);
      }
      ConditionSnapshot snapshot = new ConditionSnapshot(context.getEnvironment(), classLoader);
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

  /** The store the snapshot reads. */
  Store store() {
    return store;
  }

  /** How many times the store was opened and read for this context (1 once any flag was asked). */
  synchronized int storeReads() {
    return storeReads;
  }

  /**
   * The flag's value for the condition context, or why there is none; the same answer every time.
   */
  synchronized Lookup lookup(String key) {
    Lookup known = answers.get(key);
    if (known != null) {
      return known;
    }
    if (source == null) {
      storeReads++;
      source = open();
    }
    Lookup answer = source.lookup(key);
    answers.put(key, answer);
    return answer;
  }

  /** Releases the store (connections, file client); answers already given stay. */
  synchronized void release() {
    if (source != null) {
      source.close();
      source = null;
    }
  }

  @Override
  public void destroy() {
    release();
  }

  /** One answer: the flag's value, or empty with the reason. */
  record Lookup(Optional<JsonValue> value, String why) {}

  private Source open() {
    Binder binder = Binder.get(environment);
    switch (store) {
      case PROPERTIES:
        {
          Map<String, String> raw =
              binder
                  .bind("flags.static", Bindable.mapOf(String.class, String.class))
                  .orElse(Map.of());
          Flags flags =
              Flags.builder().store(InMemoryFlagStore.ofValues(StaticFlags.values(raw))).build();
          return new FlagsSource(
              flags, key -> raw.containsKey(key) ? null : "no flags.static." + key);
        }
      case FILE:
        {
          FlagsProperties.File file =
              binder
                  .bind("flags.file", FlagsProperties.File.class)
                  .orElseGet(FlagsProperties.File::new);
          file.setWatch(false);
          Flags flags = Flags.builder().store(FlagStoreConfigurations.fileStore(file)).build();
          // Wait for the first load, but not for a file that is already known to be unreadable.
          long deadline = System.nanoTime() + FILE_WAIT.toNanos();
          while (!flags.awaitInitialization(Duration.ofMillis(20))) {
            if (flags.status() == StoreStatus.UNAVAILABLE || System.nanoTime() > deadline) {
              String why = "file not readable (" + flags.status() + ")";
              flags.close();
              return new Unavailable(why);
            }
          }
          return new FlagsSource(flags, key -> null);
        }
      case REDIS:
        {
          if (!ClassUtils.isPresent("redis.clients.jedis.UnifiedJedis", classLoader)
              || !ClassUtils.isPresent("dev.flags.redis.RedisFlagStore", classLoader)) {
            return new Unavailable("flags-redis or Jedis is not on the classpath");
          }
          // Loaded by name: it references Jedis, which this class must not (Jedis is optional).
          try {
            OnFlagCondition.BootstrapReader reader =
                (OnFlagCondition.BootstrapReader)
                    ClassUtils.forName(REDIS_READER, classLoader)
                        .getDeclaredConstructor(Environment.class)
                        .newInstance(environment);
            return new RedisSource(reader, evaluationContext);
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load " + REDIS_READER, e);
          }
        }
      default:
        throw new IllegalStateException("unknown store " + store.name().toLowerCase(Locale.ROOT));
    }
  }

  private interface Source {
    Lookup lookup(String key);

    void close();
  }

  private record Unavailable(String why) implements Source {
    @Override
    public Lookup lookup(String key) {
      return new Lookup(Optional.empty(), why);
    }

    @Override
    public void close() {}
  }

  private final class FlagsSource implements Source {
    private final Flags flags;
    private final java.util.function.Function<String, String> missingBecause;

    FlagsSource(Flags flags, java.util.function.Function<String, String> missingBecause) {
      this.flags = flags;
      this.missingBecause = missingBecause;
    }

    @Override
    public Lookup lookup(String key) {
      String missing = missingBecause.apply(key);
      if (missing != null) {
        return new Lookup(Optional.empty(), missing);
      }
      return evaluate(flags, key, evaluationContext);
    }

    @Override
    public void close() {
      flags.close();
    }
  }

  private record RedisSource(OnFlagCondition.BootstrapReader reader, EvaluationContext context)
      implements Source {
    @Override
    public Lookup lookup(String key) {
      Optional<FlagSet> flag = reader.read(key);
      if (flag.isEmpty()) {
        return new Lookup(Optional.empty(), "no such key in Redis, or Redis unreachable");
      }
      try (Flags flags = Flags.builder().store(InMemoryFlagStore.of(flag.get())).build()) {
        return evaluate(flags, key, context);
      }
    }

    @Override
    public void close() {
      reader.close();
    }
  }

  private static Lookup evaluate(Flags flags, String key, EvaluationContext context) {
    if (flags.flag(key).isEmpty()) {
      return new Lookup(Optional.empty(), "no flag " + key);
    }
    return new Lookup(Optional.of(flags.getJson(key, context, JsonValue.NULL)), "");
  }

  /**
   * Releases the snapshot's store once configuration classes are processed: bean-factory
   * post-processors run after every condition on a configuration class or bean method was decided.
   */
  static final class Release implements BeanFactoryPostProcessor {
    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
      if (beanFactory.containsSingleton(BEAN_NAME)) {
        ((ConditionSnapshot) beanFactory.getSingleton(BEAN_NAME)).release();
      }
    }
  }
}
