package dev.flags.micronaut;

import dev.flags.integration.Setting;
import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;
import java.util.Locale;

/**
 * Conditions on the {@code flags.*.enabled} switches, read as the shared settings binder reads a
 * boolean — in any case, {@code TRUE} as {@code true} — so that a bean's presence never disagrees
 * with what the runtime was told. {@code @Requires(property = …, value = "true")} compares the
 * value as written: with {@code flags.admin.enabled=TRUE} the Spring Boot starter mounted the API
 * and this module did not. A value that is not a boolean is the binder's start-up error, not a
 * silent "off" here.
 */
final class Switches {
  private Switches() {}

  private static boolean isTrue(ConditionContext<?> context, Setting setting) {
    return context
        .getProperty(setting.key(), String.class)
        .map(v -> v.trim().toLowerCase(Locale.ROOT).equals("true"))
        .orElse(false);
  }

  private static boolean isNotFalse(ConditionContext<?> context, Setting setting) {
    return context
        .getProperty(setting.key(), String.class)
        .map(v -> !v.trim().toLowerCase(Locale.ROOT).equals("false"))
        .orElse(true);
  }

  /** {@code flags.enabled}, on unless {@code false} in any case. */
  static final class Flags implements Condition {
    @Override
    @SuppressWarnings("rawtypes") // Micronaut's Condition declares the raw type
    public boolean matches(ConditionContext context) {
      return isNotFalse(context, Setting.ENABLED);
    }
  }

  /** {@code flags.metrics.enabled}, on unless {@code false} in any case. */
  static final class Metrics implements Condition {
    @Override
    @SuppressWarnings("rawtypes") // Micronaut's Condition declares the raw type
    public boolean matches(ConditionContext context) {
      return isNotFalse(context, Setting.METRICS_ENABLED);
    }
  }

  /** {@code flags.admin.enabled}. */
  static final class Admin implements Condition {
    @Override
    @SuppressWarnings("rawtypes") // Micronaut's Condition declares the raw type
    public boolean matches(ConditionContext context) {
      return isTrue(context, Setting.ADMIN_ENABLED);
    }
  }

  /** {@code flags.dashboard.enabled}. */
  static final class Dashboard implements Condition {
    @Override
    @SuppressWarnings("rawtypes") // Micronaut's Condition declares the raw type
    public boolean matches(ConditionContext context) {
      return isTrue(context, Setting.DASHBOARD_ENABLED);
    }
  }

  /** {@code flags.ofrep.enabled}. */
  static final class Ofrep implements Condition {
    @Override
    @SuppressWarnings("rawtypes") // Micronaut's Condition declares the raw type
    public boolean matches(ConditionContext context) {
      return isTrue(context, Setting.OFREP_ENABLED);
    }
  }
}
