package dev.flags.spring;

import dev.flags.core.Flag;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.Rollout;
import dev.flags.core.Target;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Edits the properties store in memory: changes last until the application stops. The audit trail
 * is the log (there is no store to keep it in).
 */
final class InMemoryFlagEditor implements FlagEditor {

  private static final System.Logger LOG = System.getLogger(InMemoryFlagEditor.class.getName());

  private final InMemoryFlagStore store;

  InMemoryFlagEditor(InMemoryFlagStore store) {
    this.store = store;
  }

  @Override
  public void setOn(String flagKey, boolean on, String actor, String reason) {
    change(flagKey, f -> f.toBuilder().on(on).build(), actor, reason, "on=" + on);
  }

  @Override
  public void setRolloutPercentage(String flagKey, double percent, String actor, String reason) {
    if (!(percent >= 0 && percent <= 100)) {
      throw new IllegalArgumentException(
          "rollout percentage must be between 0 and 100, got " + percent);
    }
    change(
        flagKey,
        f -> {
          requireBoolean(f);
          return f.toBuilder().fallthroughRollout(Rollout.percentage(percent)).build();
        },
        actor,
        reason,
        "rollout=" + percent + "%");
  }

  @Override
  public void addTargets(
      String flagKey, boolean value, Collection<String> contextKeys, String actor, String reason) {
    Set<String> added = new HashSet<>(contextKeys);
    change(
        flagKey,
        f -> {
          requireBoolean(f);
          int variation = value ? 1 : 0;
          List<Target> targets = new ArrayList<>();
          Set<String> merged = new HashSet<>(added);
          for (Target t : f.targets()) {
            if (t.variation() == variation) {
              merged.addAll(t.keys());
              continue;
            }
            Set<String> rest = new HashSet<>(t.keys());
            rest.removeAll(added);
            if (!rest.isEmpty()) {
              targets.add(Target.of(t.variation(), rest));
            }
          }
          targets.add(Target.of(variation, merged));
          return new Flag(
              f.key(),
              f.version(),
              f.on(),
              f.variations(),
              f.offVariation(),
              f.fallthrough(),
              targets,
              f.rules(),
              f.prerequisites(),
              f.salt(),
              f.metadata());
        },
        actor,
        reason,
        "targets " + added + " -> " + value);
  }

  private synchronized void change(
      String flagKey, UnaryOperator<Flag> edit, String actor, String reason, String what) {
    Flag current =
        store.flags().stream()
            .filter(f -> f.key().equals(flagKey))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no flag \"" + flagKey + "\""));
    Flag changed = edit.apply(current).toBuilder().version(current.version() + 1).build();
    store.upsert(changed);
    LOG.log(Level.INFO, "flag {0} changed by {1}: {2} ({3})", flagKey, actor, what, reason);
  }

  private static void requireBoolean(Flag flag) {
    if (!flag.variations().equals(Flag.BOOLEAN_VARIATIONS)) {
      throw new IllegalArgumentException("flag \"" + flag.key() + "\" is not a boolean flag");
    }
  }
}
