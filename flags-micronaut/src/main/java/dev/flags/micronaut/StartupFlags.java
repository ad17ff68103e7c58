package dev.flags.micronaut;

import dev.flags.core.EvaluationContext;
import dev.flags.core.EvaluationDetail;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.JsonValue;
import io.micronaut.context.BeanContext;
import io.micronaut.context.condition.ConditionContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * The flag values {@link RequiresFlag} decides on: read once per application context by starting
 * the configured store on its own, evaluating every flag for the application context, and closing
 * it again. Conditions must not create the {@code Flags} bean (that would initialise it, and what
 * it needs, in the middle of resolving another bean), hence this separate, short-lived read.
 */
final class StartupFlags {

  /** Kind of the context start-up conditions evaluate flags for. */
  static final String APPLICATION_KIND = "application";

  /** How long the file and properties stores may take to load at start-up. */
  private static final Duration LOCAL_LOAD_TIMEOUT = Duration.ofSeconds(5);

  private static final Map<BeanContext, StartupFlags> READS = new WeakHashMap<>();

  private final Map<String, JsonValue> values;

  private StartupFlags(Map<String, JsonValue> values) {
    this.values = values;
  }

  static StartupFlags of(ConditionContext<?> context) {
    BeanContext beanContext = context.getBeanContext();
    synchronized (READS) {
      StartupFlags read = READS.get(beanContext);
      if (read == null) {
        read = read(context);
        READS.put(beanContext, read);
      }
      return read;
    }
  }

  Optional<JsonValue> value(String flagKey) {
    return Optional.ofNullable(values.get(flagKey));
  }

  private static StartupFlags read(ConditionContext<?> context) {
    if (!context.getProperty(FlagsFactory.ENABLED, Boolean.class).orElse(true)) {
      return new StartupFlags(Map.of()); // flags.enabled=false: every flag is missing
    }
    FlagsConfiguration config = context.getBean(FlagsConfiguration.class);
    EvaluationContext evaluationContext =
        EvaluationContext.builder(config.getCondition().getContextKey())
            .kind(APPLICATION_KIND)
            .build();
    // Local stores load in milliseconds; Redis may be down, and start-up should not hang on it.
    Duration wait =
        config.storeKind() == FlagsConfiguration.StoreKind.REDIS
            ? config.getRedis().getConditionTimeout()
            : LOCAL_LOAD_TIMEOUT;
    Map<String, JsonValue> values = new HashMap<>();
    RedisStores redis =
        config.storeKind() == FlagsConfiguration.StoreKind.REDIS
            ? context.getBeanContext().findBean(RedisStores.class).orElse(null)
            : null;
    try (Flags flags =
        Flags.builder()
            .store(Stores.create(config, redis))
            .bootstrap(Stores.bootstrap(config))
            .build()) {
      // Not loaded in time: what is known (the bootstrap flags) still counts; the rest is missing.
      flags.awaitInitialization(wait);
      for (Flag flag : flags.allFlags()) {
        EvaluationDetail<JsonValue> detail =
            flags.getJsonDetail(flag.key(), evaluationContext, JsonValue.NULL);
        if (!detail.isDefaultValue()) {
          values.put(flag.key(), detail.value());
        }
      }
    }
    return new StartupFlags(values);
  }
}
