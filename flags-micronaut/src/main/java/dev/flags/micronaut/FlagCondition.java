package dev.flags.micronaut;

import dev.flags.integration.FlagsConfigurationException;
import dev.flags.integration.FlagsSettings;
import dev.flags.integration.StartupFlags;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.BeanContext;
import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.core.annotation.AnnotationValue;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * The condition behind {@link RequiresFlag}: flags-integration's {@link StartupFlags}, one per
 * application context (kept while the context lives), so every condition on a key agrees and the
 * store is read once, the same way as Spring's {@code @ConditionalOnFlag}.
 */
final class FlagCondition implements Condition {

  private static final Map<BeanContext, StartupFlags> READS = new WeakHashMap<>();

  @Override
  @SuppressWarnings("rawtypes") // Micronaut's Condition declares the raw type
  public boolean matches(ConditionContext context) {
    AnnotationMetadata metadata = context.getComponent().getAnnotationMetadata();
    AnnotationValue<RequiresFlag> requirement = metadata.getAnnotation(RequiresFlag.class);
    if (requirement == null) {
      return true;
    }
    String key = requirement.stringValue().orElse("");
    String havingValue = requirement.stringValue("havingValue").orElse("true");
    boolean matchIfMissing = requirement.booleanValue("matchIfMissing").orElse(false);
    if (key.isEmpty()) {
      context.fail("@RequiresFlag has no flag key");
      return false;
    }
    StartupFlags.Lookup lookup = lookup(context.getBeanContext(), key);
    if (lookup.value().isEmpty()) {
      if (!matchIfMissing) {
        context.fail(
            "flag \""
                + key
                + "\" is missing at start-up ("
                + lookup.why()
                + "); matchIfMissing=false");
      }
      return matchIfMissing;
    }
    String actual = StartupFlags.text(lookup.value().get());
    if (!actual.equals(havingValue)) {
      context.fail("flag \"" + key + "\" is " + actual + " at start-up, not " + havingValue);
      return false;
    }
    return true;
  }

  private static StartupFlags.Lookup lookup(BeanContext beanContext, String key) {
    StartupFlags flags;
    synchronized (READS) {
      flags = READS.get(beanContext);
      if (flags == null) {
        if (!(beanContext instanceof ApplicationContext application)) {
          return new StartupFlags.Lookup(Optional.empty(), "no application context");
        }
        try {
          flags =
              StartupFlags.of(
                  FlagsSettings.from(new MicronautSettingsSource(application.getEnvironment())));
        } catch (FlagsConfigurationException e) {
          // The Flags bean reports it at start-up; here the flag is missing.
          return new StartupFlags.Lookup(
              Optional.empty(), "the flags settings do not bind: " + e.getMessage());
        }
        READS.put(beanContext, flags);
      }
    }
    return flags.lookup(key);
  }

  /** Releases the store read for this context's conditions; the answers given stay. */
  static void release(BeanContext beanContext) {
    StartupFlags flags;
    synchronized (READS) {
      flags = READS.get(beanContext);
    }
    if (flags != null) {
      flags.close();
    }
  }
}
