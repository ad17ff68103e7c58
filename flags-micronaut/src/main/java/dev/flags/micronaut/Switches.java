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

  /** A switch: on when set to {@code true} in any case, or, when unset, by its default. */
  private abstract static class Switch implements Condition {
    private final Setting setting;
    private final boolean whenUnset;

    Switch(Setting setting, boolean whenUnset) {
      this.setting = setting;
      this.whenUnset = whenUnset;
    }

    @Override
    @SuppressWarnings("rawtypes") // Micronaut's Condition declares the raw type
    public boolean matches(ConditionContext context) {
      return context
          .getProperty(setting.key(), String.class)
          .map(v -> v.trim().toLowerCase(Locale.ROOT))
          .map(v -> whenUnset ? !v.equals("false") : v.equals("true"))
          .orElse(whenUnset);
    }
  }

  /** {@code flags.enabled}: on unless {@code false}. */
  static final class Flags extends Switch {
    Flags() {
      super(Setting.ENABLED, true);
    }
  }

  /** {@code flags.metrics.enabled}: on unless {@code false}. */
  static final class Metrics extends Switch {
    Metrics() {
      super(Setting.METRICS_ENABLED, true);
    }
  }

  /** {@code flags.admin.enabled}: off unless {@code true}. */
  static final class Admin extends Switch {
    Admin() {
      super(Setting.ADMIN_ENABLED, false);
    }
  }

  /** {@code flags.dashboard.enabled}: off unless {@code true}. */
  static final class Dashboard extends Switch {
    Dashboard() {
      super(Setting.DASHBOARD_ENABLED, false);
    }
  }

  /** {@code flags.ofrep.enabled}: off unless {@code true}. */
  static final class Ofrep extends Switch {
    Ofrep() {
      super(Setting.OFREP_ENABLED, false);
    }
  }
}
