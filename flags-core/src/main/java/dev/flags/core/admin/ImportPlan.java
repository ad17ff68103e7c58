package dev.flags.core.admin;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What importing a flag set would change, computed by {@link FlagAdmin#planImport} and applied, all
 * or nothing, by {@link FlagAdmin#applyImport}: applying fails if anything it planned from changed
 * meanwhile. Immutable and thread-safe.
 *
 * @param items one per definition of the set (and, when pruning, per stored definition the set
 *     lacks), segments first, each kind sorted by key
 */
public record ImportPlan(List<Item> items) {

  public ImportPlan {
    items = List.copyOf(items);
  }

  /** What happens to one definition. */
  public enum Action {
    /** It is not stored yet: it is created. */
    CREATE,
    /** It is stored with another definition: it is replaced. */
    UPDATE,
    /** It is stored and not in the set, and the plan prunes: it is deleted. */
    DELETE,
    /** It is stored as in the set: nothing to do. */
    UNCHANGED
  }

  /**
   * One definition of the plan. Immutable and thread-safe.
   *
   * @param kind flag or segment
   * @param key its key
   * @param action what happens to it
   * @param expectedVersion the version the plan was made from (what applying checks)
   * @param before the stored text now; empty when not stored
   * @param after the text after; empty when deleted
   */
  public record Item(
      DefinitionKind kind,
      String key,
      Action action,
      long expectedVersion,
      Optional<String> before,
      Optional<String> after) {
    public Item {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(after, "after");
    }
  }

  /** The items that change something. */
  public List<Item> changes() {
    return items.stream().filter(i -> i.action() != Action.UNCHANGED).toList();
  }

  /** How many items have this action. */
  public long count(Action action) {
    return items.stream().filter(i -> i.action() == action).count();
  }

  /** Whether applying would change nothing. */
  public boolean isEmpty() {
    return changes().isEmpty();
  }
}
