package dev.flags.cli;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a flag's guarded rollout plan is (docs/guarded-rollouts.md), as the controller keeps it in
 * Redis. Immutable.
 *
 * @param state {@code pending}, {@code running}, {@code paused}, {@code done}, {@code rolled-back}
 *     or {@code aborted}
 * @param step the index of the current step (0 before the plan started)
 * @param stepStartedAt when the current step began, by Redis's clock
 * @param note the last thing that happened, with the numbers (why it rolled back, who paused it)
 * @param lastVerdict the guard's last judgement at this step
 */
record PlanStatus(
    String state,
    int step,
    Optional<Instant> stepStartedAt,
    String note,
    Optional<Verdict> lastVerdict) {

  /**
   * One judgement of the guard.
   *
   * @param outcome GREEN, RED or WAITING
   * @param detail errors and requests of each variation, the test statistic
   * @param at when
   */
  record Verdict(String outcome, String detail, Instant at) {}

  /**
   * The actions a plan's state allows, as the admin API names them (the same table as
   * flags-integration's {@code RolloutPlans.Action}, which this tool does not depend on).
   */
  static boolean allows(String state, String action) {
    boolean ended = state.equals("done") || state.equals("rolled-back") || state.equals("aborted");
    return switch (action) {
      case "pause" -> state.equals("pending") || state.equals("running");
      case "resume" -> state.equals("paused");
      case "restart" -> ended;
      default -> !ended;
    };
  }

  /** The error of an action the plan's state does not allow: exit 3. */
  static CliException refused(String key, String action, String state) {
    return new CliException(
        Exit.CONFLICT,
        "the guarded rollout of \""
            + key
            + "\" is "
            + state
            + "; "
            + switch (action) {
              case "pause" -> "only a running or pending plan can be paused";
              case "resume" -> "only a paused plan can be resumed";
              case "restart" ->
                  "only a plan that ended (done, rolled back or aborted) can be restarted";
              default -> "only a pending, running or paused plan can be aborted";
            }
            + "; nothing was changed");
  }

  /** The error of a store that keeps no plan state (a flag file): exit 4. */
  static CliException needsRedis(String where) {
    return CliException.unreachable(
        "guarded rollouts need Redis: a plan's state lives there, with the controller that runs"
            + " it, and "
            + where
            + " has none; use --redis (or a profile with redis), or --server of an application"
            + " whose store is Redis");
  }
}
