package dev.flags.cli;

import dev.flags.core.EvaluationContext;
import dev.flags.core.FlagSet;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.ImportPlan;
import dev.flags.core.admin.RestorePoint;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A store flagctl reads and writes: a flag file or Redis through flags-core's {@code FlagAdmin}
 * ({@link AdminBackend}), or a running application's admin HTTP API ({@link HttpBackend}). Each
 * write is validated, made from {@link Write#ifVersion()} when given and audited. Errors are
 * flags-core's admin exceptions or {@link CliException}s; the command line turns them into exit
 * codes. Used by one thread, except {@link #watch}'s listener.
 */
interface Backend extends AutoCloseable {

  /** Where the flags are, never with a secret. */
  String description();

  /** Why writes are refused, when they are. */
  Optional<String> readOnlyReason();

  /** Every flag, sorted by key, malformed ones included. */
  List<Summary> list();

  /** One flag, readable or not. */
  Optional<FlagState> find(String key);

  FlagState setOn(String key, boolean on, Write write);

  FlagState setRollout(String key, double percent, Write write);

  /**
   * Targets or untargets context keys: {@code variation} is an index, or empty with {@code value} a
   * boolean for a boolean flag.
   */
  FlagState targets(
      String key,
      boolean add,
      Optional<Integer> variation,
      Optional<Boolean> value,
      Collection<String> contextKeys,
      Write write);

  FlagState restore(String key, RestorePoint point, Write write);

  List<AuditEntry> audit(AuditQuery query);

  /** What importing {@code set} would change; writes nothing. */
  ImportPlan plan(FlagSet set, boolean prune);

  /** Applies a plan, all or nothing. */
  List<AuditEntry> apply(ImportPlan plan, Write write);

  /** Every flag and segment as a flag file; malformed flags are reported in {@code skipped}. */
  Export export();

  Explanation explain(String key, EvaluationContext context);

  /**
   * Calls {@code listener} with the key of each flag that changes (and with store problems) until
   * the returned handle is closed.
   */
  AutoCloseable watch(WatchListener listener);

  /** Indexes raw keys written by other tools; the keys adopted. */
  List<String> adopt();

  /**
   * Whether this store may hold guarded rollout plans, whose operator actions ({@code plan-pause}…)
   * are in the audit log without changing a flag: {@code flagctl watch} reads the log for them.
   */
  default boolean keepsPlans() {
    return false;
  }

  /**
   * Where the guarded rollout plan of {@code key} is (the flag has one: the caller checked).
   *
   * @throws CliException exit 4 when this store keeps no plan state (a flag file)
   */
  default PlanStatus planStatus(String key) {
    throw PlanStatus.needsRedis(description());
  }

  /**
   * Pauses, resumes or aborts ({@code action}) the plan of {@code key}, as {@code write}'s actor
   * with its reason (its version is not used: a plan's state has none); the state after.
   *
   * @throws CliException exit 3 when the plan's state does not allow it, exit 4 when this store
   *     keeps no plan state
   */
  default PlanStatus planAction(String key, String action, Write write) {
    throw PlanStatus.needsRedis(description());
  }

  @Override
  void close();

  /** Hears changes; called on a store thread. */
  interface WatchListener {
    void changed(String key);

    void problem(String message);

    void recovered(String message);
  }

  /**
   * Who writes, why, and from which version.
   *
   * @param actor for the audit log (an HTTP server records its authenticated user instead)
   * @param reason may be empty
   * @param ifVersion the version the write is made from; empty with --force
   */
  record Write(String actor, String reason, java.util.OptionalLong ifVersion) {}

  /**
   * A flag file's text and what it leaves out.
   *
   * @param document {@code {"flags": {...}, "segments": {...}}}
   * @param skipped flags whose stored value does not read, with the problem
   */
  record Export(dev.flags.core.JsonValue.Obj document, List<String> skipped) {}
}
