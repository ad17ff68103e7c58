package dev.flags.core.admin;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One recorded change of one flag or segment: of its definition, or (the {@code plan-*} actions) of
 * the state of its guarded rollout plan, which an operator paused, resumed, aborted or restarted.
 * Immutable and thread-safe.
 *
 * @param id the entry's id in its store, unique and ordered (Redis: the stream id {@code
 *     <millis>-<seq>})
 * @param time when the store recorded it
 * @param kind whether a flag or a segment changed
 * @param key the key of what changed
 * @param version its version after the change (for a {@code plan-*} action, which changes no
 *     definition, its version then)
 * @param action what was done: one of the {@code ACTION_*} constants, or another word a newer
 *     version of this SDK wrote
 * @param actor who made the change; {@link #RAW_EDIT_ACTOR} for a change made without this SDK
 * @param reason why, as the actor said; empty when not given
 * @param before the stored text before (JSON, or {@code true}/{@code false}); empty when created,
 *     and for a {@code plan-*} action
 * @param after the stored text after; empty when deleted, and for a {@code plan-*} action
 */
public record AuditEntry(
    String id,
    Instant time,
    DefinitionKind kind,
    String key,
    long version,
    String action,
    String actor,
    String reason,
    Optional<String> before,
    Optional<String> after) {

  /** The actor of changes made to the store without this SDK (redis-cli, an editor). */
  public static final String RAW_EDIT_ACTOR = "unknown (raw edit)";

  /** A definition was created. */
  public static final String ACTION_CREATE = "create";

  /** A definition was replaced or edited. */
  public static final String ACTION_UPDATE = "update";

  /** A definition was deleted. */
  public static final String ACTION_DELETE = "delete";

  /** A definition was set back to an earlier version. */
  public static final String ACTION_RESTORE = "restore";

  /** A definition was changed without this SDK, and the change noticed. */
  public static final String ACTION_RAW_EDIT = "raw-edit";

  /** A definition was written by an import of a flag file. */
  public static final String ACTION_IMPORT = "import";

  /** A flag's guarded rollout plan was paused (by an operator, or by its controller). */
  public static final String ACTION_PLAN_PAUSE = "plan-pause";

  /** A flag's paused guarded rollout plan was resumed. */
  public static final String ACTION_PLAN_RESUME = "plan-resume";

  /** A flag's guarded rollout plan was aborted. */
  public static final String ACTION_PLAN_ABORT = "plan-abort";

  /** A flag's ended guarded rollout plan was started again. */
  public static final String ACTION_PLAN_RESTART = "plan-restart";

  public AuditEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
  }

  /**
   * Whether this entry records a change of the definition (with its text before and after), not of
   * the state of its guarded rollout plan. Only such entries can be restored.
   */
  public boolean changesDefinition() {
    return !action.startsWith("plan-");
  }

  /** Whether this change was made without this SDK. */
  public boolean isRawEdit() {
    return actor.equals(RAW_EDIT_ACTOR) || action.equals(ACTION_RAW_EDIT);
  }
}
