package dev.flags.spring;

import dev.flags.core.EvaluationContext;
import dev.flags.core.FlagSet;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.JsonValue;
import dev.flags.core.StoreStatus;
import dev.flags.spring.FlagsProperties.Store;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * {@link ConditionalOnFlag}: reads the flag from the configured store once, without any bean (a
 * condition runs while bean definitions are still being collected).
 */
final class OnFlagCondition extends SpringBootCondition {

  private static final Duration FILE_WAIT = Duration.ofSeconds(5);
  private static final String REDIS_READER = "dev.flags.spring.RedisBootstrapReader";

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
    Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnFlag.class.getName());
    String key = (String) attributes.get("value");
    String havingValue = (String) attributes.get("havingValue");
    boolean matchIfMissing = (Boolean) attributes.get("matchIfMissing");
    ConditionMessage.Builder message =
        ConditionMessage.forCondition(ConditionalOnFlag.class, "(" + key + "=" + havingValue + ")");

    Environment environment = context.getEnvironment();
    Store store = StoreChoice.fromEnvironment(environment);
    Lookup lookup = read(store, key, environment, context.getClassLoader());
    if (lookup.value.isEmpty()) {
      return new ConditionOutcome(
          matchIfMissing, message.because("flag not found in the " + store.name().toLowerCase(java.util.Locale.ROOT)
              + " store (" + lookup.why + "); matchIfMissing=" + matchIfMissing));
    }
    String actual = text(lookup.value.get());
    return actual.equals(havingValue)
        ? ConditionOutcome.match(message.foundExactly("flag serving " + actual))
        : ConditionOutcome.noMatch(message.found("flag serving").items(actual));
  }

  private record Lookup(Optional<JsonValue> value, String why) {}

  private static Lookup read(Store store, String key, Environment environment, ClassLoader classLoader) {
    Binder binder = Binder.get(environment);
    EvaluationContext evaluationContext = EvaluationContext.builder(
            binder.bind("flags.condition.context-key", String.class).orElse("application"))
        .kind("application")
        .build();
    switch (store) {
      case PROPERTIES: {
        Map<String, String> raw = StaticFlagsBinding.read(binder);
        if (!raw.containsKey(key)) {
          return new Lookup(Optional.empty(), "no flags.static." + key);
        }
        return evaluate(InMemoryFlagStore.ofValues(StaticFlags.values(raw)), key, evaluationContext);
      }
      case FILE: {
        FlagsProperties.File file = binder.bind("flags.file", FlagsProperties.File.class).orElseGet(FlagsProperties.File::new);
        file.setWatch(false);
        try (Flags flags = Flags.builder().store(FlagStoreConfigurations.fileStore(file)).build()) {
          // Wait for the first load, but not for a file that is already known to be unreadable.
          long deadline = System.nanoTime() + FILE_WAIT.toNanos();
          while (!flags.awaitInitialization(Duration.ofMillis(20))) {
            if (flags.status() == StoreStatus.UNAVAILABLE || System.nanoTime() > deadline) {
              return new Lookup(Optional.empty(), "file not readable (" + flags.status() + ")");
            }
          }
          return evaluate(flags, key, evaluationContext);
        }
      }
      case REDIS: {
        if (!ClassUtils.isPresent("redis.clients.jedis.UnifiedJedis", classLoader)
            || !ClassUtils.isPresent("dev.flags.redis.RedisFlagStore", classLoader)) {
          return new Lookup(Optional.empty(), "flags-redis or Jedis is not on the classpath");
        }
        // Loaded by name: it references Jedis, which this class must not (Jedis is optional).
        try {
          BootstrapReader reader = (BootstrapReader) ClassUtils.forName(REDIS_READER, classLoader)
              .getDeclaredConstructor()
              .newInstance();
          Optional<FlagSet> flag = reader.read(key, environment);
          if (flag.isEmpty()) {
            return new Lookup(Optional.empty(), "no such key in Redis, or Redis unreachable");
          }
          return evaluate(InMemoryFlagStore.of(flag.get()), key, evaluationContext);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot load " + REDIS_READER, e);
        }
      }
      default:
        throw new IllegalStateException("unknown store " + store);
    }
  }

  private static Lookup evaluate(InMemoryFlagStore store, String key, EvaluationContext context) {
    try (Flags flags = Flags.builder().store(store).build()) {
      return evaluate(flags, key, context);
    }
  }

  private static Lookup evaluate(Flags flags, String key, EvaluationContext context) {
    if (flags.flag(key).isEmpty()) {
      return new Lookup(Optional.empty(), "no flag " + key);
    }
    return new Lookup(Optional.of(flags.getJson(key, context, JsonValue.NULL)), "");
  }

  /** The text {@code havingValue} is compared with: strings unquoted, everything else as JSON. */
  static String text(JsonValue value) {
    if (value instanceof JsonValue.Str s) {
      return s.value();
    }
    if (value instanceof JsonValue.Num n) {
      return n.value().stripTrailingZeros().toPlainString();
    }
    return value.toString();
  }

  /** Reads one flag straight from a store at start-up. Implementations are loaded by name. */
  interface BootstrapReader {
    /** The flag as a one-flag set, or empty when missing or unreachable. */
    Optional<FlagSet> read(String flagKey, Environment environment);
  }

  /** Binds {@code flags.static.*} from the environment as {@link FlagsProperties} would. */
  static final class StaticFlagsBinding {
    private StaticFlagsBinding() {}

    static Map<String, String> read(Binder binder) {
      return binder.bind("flags.static", Bindable.mapOf(String.class, String.class)).orElse(Map.of());
    }
  }
}
