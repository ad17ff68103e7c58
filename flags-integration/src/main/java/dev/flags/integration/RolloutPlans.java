package dev.flags.integration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The live side of guarded rollout plans (docs/guarded-rollouts.md), as the admin API and the
 * dashboard see it: where each flag's plan is, and an operator's pause, resume, abort and restart.
 * The plan itself is part of the flag ({@link dev.flags.core.GuardedRollout}); its state lives with
 * the controller that runs it, which needs Redis. This interface names no Redis type, so {@link
 * AdminApi} and the dashboard do not need flags-redis; the implementation over flags-redis's {@code
 * GuardedRollouts} comes from the runtime when its store is Redis.
 *
 * <p>Implementations must be thread-safe. Each call reads or writes the state where the controller
 * keeps it; when that cannot be reached they throw {@link
 * dev.flags.core.admin.StoreUnavailableException} (a write with {@code mayHaveBeenApplied} true).
 * Any instance may call them: they do not need to lead the controller.
 */
public interface RolloutPlans {

  /**
   * The plans of a flags-redis {@code dev.flags.redis.GuardedRollouts} controller, started or not
   * (status, pause, resume and abort work from any instance), as {@link
   * FlagsRuntime#rolloutPlans()} gives them: Redis's failures become {@link
   * dev.flags.core.admin.StoreUnavailableException}. Typed {@link AutoCloseable} because
   * flags-redis is an optional dependency of this module.
   *
   * @throws IllegalArgumentException if {@code controller} is not a {@code GuardedRollouts}
   */
  static RolloutPlans over(AutoCloseable controller) {
    return RedisStores.rolloutPlans(controller);
  }

  /**
   * The state of {@code flagKey}'s plan ({@link State#PENDING} when none was started, also for a
   * flag without a plan).
   *
   * @throws dev.flags.core.admin.StoreUnavailableException when the state cannot be read
   */
  Status status(String flagKey);

  /**
   * Pauses a running (or not yet started) plan where it is.
   *
   * @param actor who asks, for the plan's note and the controller's event
   * @param reason why, possibly empty
   * @return whether it was running or pending and is paused now
   */
  boolean pause(String flagKey, String actor, String reason);

  /**
   * Resumes a paused plan.
   *
   * @return whether it was paused and runs now
   */
  boolean resume(String flagKey, String actor, String reason);

  /**
   * Stops a plan for good; the flag stays as it is.
   *
   * @return whether it was pending, running or paused and is aborted now
   */
  boolean abort(String flagKey, String actor, String reason);

  /**
   * Starts a plan that ended (done, rolled back or aborted) again: the controller takes it up at
   * its next look, from the step the flag's rollout is at, or from the first step when it is at
   * none (after a rollback, 0%).
   *
   * @return whether it had ended and is pending now
   */
  boolean restart(String flagKey, String actor, String reason);

  /**
   * Does {@code action} to {@code flagKey}'s plan as {@code actor}.
   *
   * @return whether the plan's state allowed it
   */
  default boolean act(String flagKey, Action action, String actor, String reason) {
    return switch (action) {
      case PAUSE -> pause(flagKey, actor, reason);
      case RESUME -> resume(flagKey, actor, reason);
      case ABORT -> abort(flagKey, actor, reason);
      case RESTART -> restart(flagKey, actor, reason);
    };
  }

  /**
   * What an operator may do to a plan, and from which states: one list for the admin API and the
   * dashboard (flagctl, which does not depend on this module, keeps a copy of it).
   */
  enum Action {
    /** Stops a running (or not yet started) plan at its step. */
    PAUSE("paused", "only a running or pending plan can be paused"),
    /** Lets a paused plan go on. */
    RESUME("resumed", "only a paused plan can be resumed"),
    /** Stops a plan for good; the flag stays as it is. */
    ABORT("aborted", "only a pending, running or paused plan can be aborted"),
    /** Starts an ended plan again. */
    RESTART("restarted", "only a plan that ended (done, rolled back or aborted) can be restarted");

    private final String done;
    private final String refusal;

    Action(String done, String refusal) {
      this.done = done;
      this.refusal = refusal;
    }

    /** The name in URLs, JSON and on the command line: {@code pause}, {@code restart}… */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** What it makes of a plan: paused, resumed, aborted, restarted. */
    public String done() {
      return done;
    }

    /** Why a plan in another state refuses it. */
    public String refusal() {
      return refusal;
    }

    /** Whether a plan in {@code state} allows it. */
    public boolean allowedFrom(State state) {
      return switch (this) {
        case PAUSE -> state == State.PENDING || state == State.RUNNING;
        case RESUME -> state == State.PAUSED;
        case ABORT -> !state.ended();
        case RESTART -> state.ended();
      };
    }

    /** The actions a plan in {@code state} allows, in this order. */
    public static List<Action> allowed(State state) {
      List<Action> out = new ArrayList<>();
      for (Action a : values()) {
        if (a.allowedFrom(state)) {
          out.add(a);
        }
      }
      return out;
    }

    /** The action of this wire name, if there is one. */
    public static Optional<Action> of(String wireName) {
      for (Action a : values()) {
        if (a.wireName().equals(wireName)) {
          return Optional.of(a);
        }
      }
      return Optional.empty();
    }
  }

  /** Where a plan is. */
  enum State {
    /** Not started (the controller has not looked at it yet). */
    PENDING,
    /** The controller moves it on. */
    RUNNING,
    /** An operator paused it; it stays at its step. */
    PAUSED,
    /** It reached 100%. */
    DONE,
    /** Its guard tripped and it was rolled back (or the flag turned off). */
    ROLLED_BACK,
    /** An operator stopped it; the flag stays as it was. */
    ABORTED;

    /** The name in JSON and on the command line: {@code pending}, {@code rolled-back}… */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the plan has ended: done, rolled back or aborted. */
    public boolean ended() {
      return this == DONE || this == ROLLED_BACK || this == ABORTED;
    }
  }

  /**
   * The guard's last judgement at the plan's current step. Immutable and thread-safe.
   *
   * @param outcome {@code GREEN} (judged, fine), {@code RED} (tripped) or {@code WAITING} (too few
   *     outcomes yet)
   * @param detail the numbers: errors and requests of each variation, the test statistic
   * @param at when it was judged
   */
  record Verdict(String outcome, String detail, Instant at) {
    public Verdict {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * The state of one flag's plan. Immutable and thread-safe.
   *
   * @param state where the plan is
   * @param step the index of its current step (0 before it started)
   * @param stepStartedAt when the current step began
   * @param note the last thing that happened, with the numbers (why it rolled back, who paused)
   * @param lastVerdict the guard's last judgement at this step, while the plan runs or is paused
   */
  record Status(
      State state,
      int step,
      Optional<Instant> stepStartedAt,
      String note,
      Optional<Verdict> lastVerdict) {
    public Status {
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(stepStartedAt, "stepStartedAt");
      Objects.requireNonNull(note, "note");
      Objects.requireNonNull(lastVerdict, "lastVerdict");
      if (step < 0) {
        throw new IllegalArgumentException("step: must be >= 0, got " + step);
      }
    }
  }
}
