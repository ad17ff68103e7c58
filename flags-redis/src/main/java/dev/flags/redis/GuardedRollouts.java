package dev.flags.redis;

import dev.flags.core.Flag;
import dev.flags.core.GuardedRollout;
import dev.flags.core.Rollout;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.FlagRecord;
import dev.flags.core.spi.OutcomeBatch;
import dev.flags.core.spi.OutcomeCounts;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the guarded rollout plans of the flags in Redis ({@link GuardedRollout}, member {@code
 * guardedRollout} of a flag): moves each flag's fallthrough through its plan's steps and rolls it
 * back when its guard trips, judging the outcomes every instance records ({@link
 * RedisOutcomeSink}). docs/guarded-rollouts.md explains it.
 *
 * <p>Run one in every instance that should be able to drive plans: one at a time leads, by a lease
 * in Redis ({@code SET NX PX}) carrying a fencing token that only grows; every write the leader
 * makes — the flag's new rollout (through {@link FlagAdmin}, so it is versioned and audited with
 * actor {@value #ACTOR}) and the plan's state — checks in its own script that the lease still holds
 * its token, so a leader that was paused or cut off while another took over can never apply a step.
 * The step a plan is at is read from the flag itself, so a leader dying between the flag write and
 * the state write makes its successor start that step's hold again: never a double or skipped step.
 * Hold times are measured with Redis's clock ({@code TIME}), so instances whose clocks differ
 * agree. While Redis is unreachable or too few outcomes arrived, nothing advances.
 *
 * {@snippet file="dev/flags/redis/GuardedRolloutsTest.java" region="controller"}
 *
 * <p>Thread-safe. It owns a thread and a connection pool: close it on shutdown.
 */
public final class GuardedRollouts implements AutoCloseable {

  /** The actor of the audit entries the controller writes. */
  public static final String ACTOR = "guarded-rollout";

  /** How often the leader looks at the plans by default: every 5 seconds. */
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(5);

  /** How long a lease lasts unless renewed, by default: 30 seconds. */
  public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(30);

  private static final System.Logger LOG = System.getLogger(GuardedRollouts.class.getName());

  /** The status of a plan: where it is and why. Immutable and thread-safe. */
  public enum State {
    /** The plan has not started (no state in Redis yet). */
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
    ABORTED
  }

  /**
   * The state of one flag's plan, as stored in Redis. Immutable and thread-safe.
   *
   * @param flagKey the flag
   * @param state where the plan is
   * @param step the index of its current step (0 before it started)
   * @param stepStartedAt when the current step began, by Redis's clock
   * @param note the last thing that happened, with the numbers
   * @param lastVerdict the guard's last judgement at the current step, with its numbers (empty
   *     before the first, and once the plan ended)
   */
  public record Status(
      String flagKey,
      State state,
      int step,
      Optional<Instant> stepStartedAt,
      String note,
      Optional<Verdict> lastVerdict) {
    public Status {
      Objects.requireNonNull(flagKey, "flagKey");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(stepStartedAt, "stepStartedAt");
      Objects.requireNonNull(note, "note");
      Objects.requireNonNull(lastVerdict, "lastVerdict");
    }

    /** A status without a verdict. */
    public Status(
        String flagKey, State state, int step, Optional<Instant> stepStartedAt, String note) {
      this(flagKey, state, step, stepStartedAt, note, Optional.empty());
    }
  }

  /**
   * One judgement of a plan's guard, as the leader stored it. Immutable and thread-safe.
   *
   * @param outcome {@code GREEN} (judged, fine), {@code RED} (tripped) or {@code WAITING} (too few
   *     outcomes to judge)
   * @param detail the numbers: errors and requests of each variation, the test statistic
   * @param at when it was judged, by Redis's clock
   */
  public record Verdict(String outcome, String detail, Instant at) {
    public Verdict {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * Something the controller or an operator did to a plan. Immutable and thread-safe.
   *
   * @param flagKey the flag
   * @param kind what happened
   * @param step the step index after it
   * @param percent the percentage served the new variation after it
   * @param detail why, with the numbers
   */
  public record Event(String flagKey, Kind kind, int step, int percent, String detail) {
    /** What happened. */
    public enum Kind {
      STARTED,
      ADVANCED,
      COMPLETED,
      ROLLED_BACK,
      PAUSED,
      RESUMED,
      ABORTED,
      /** An operator started an ended plan again. */
      RESTARTED
    }
  }

  /**
   * Hears the controller's events, on the controller's thread (or an operator call's); must be
   * thread-safe and quick. An exception is logged and ignored.
   */
  @FunctionalInterface
  public interface Listener {
    void onEvent(Event event);
  }

  private final RedisConnections redis;
  private final FlagAdmin admin;
  private final RedisOutcomeSink.OutcomeStore outcomes;
  private final RedisLayout layout;
  private final String leaseKey;
  private final String tokenKey;
  private final Optional<Clock> clock;
  private final Duration checkInterval;
  private final Duration leaseTime;
  private final List<Listener> listeners;
  private final ScheduledExecutorService thread;
  private final Map<String, Long> lastJudged = new ConcurrentHashMap<>();
  private volatile long token;
  private volatile boolean closed;

  /** Writes this instance tried after its lease had passed to another, all refused. */
  final java.util.concurrent.atomic.AtomicInteger fencedWrites =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Called just before each step write; tests pause a leader here. */
  volatile Runnable beforeWrite = () -> {};

  private GuardedRollouts(Builder b) {
    this.layout = RedisLayout.of(b.settings, b.prefix);
    this.leaseKey = layout.prefix + "#rollout-lease";
    this.tokenKey = layout.prefix + "#rollout-token";
    this.redis = RedisConnections.open(b.settings, "flags-guarded-rollouts", 2, true);
    this.admin =
        FlagAdmin.builder(
                new RedisFlagRepository(
                    b.settings,
                    layout,
                    RedisFlagAdmin.DEFAULT_AUDIT_MAX_LENGTH,
                    RedisFlagAdmin.DEFAULT_WRITE_TIMEOUT,
                    Optional.of(new Fence(leaseKey, () -> token))))
            .build();
    this.outcomes =
        new RedisOutcomeSink.OutcomeStore(() -> redis, layout, RedisOutcomeSink.DEFAULT_RETENTION);
    this.clock = b.clock;
    this.checkInterval = b.checkInterval;
    this.leaseTime = b.leaseTime;
    this.listeners = List.copyOf(b.listeners);
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "flags-guarded-rollouts");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts a builder of a controller over {@code connection}. */
  public static Builder builder(RedisConnectionSettings connection) {
    return new Builder(connection);
  }

  /** Starts looking at the plans every check interval, on the controller's thread. */
  public GuardedRollouts start() {
    long every = checkInterval.toMillis();
    // Nothing waits for the periodic task (tickQuietly never throws); close() ends it.
    var unused = thread.scheduleWithFixedDelay(this::tickQuietly, 0, every, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Whether this instance held the lease at its last look. */
  public boolean isLeader() {
    return token != 0;
  }

  /**
   * The state of {@code flagKey}'s plan.
   *
   * @throws RuntimeException (Jedis's) if Redis cannot be read
   */
  public Status status(String flagKey) {
    Map<String, String> s = readState(flagKey);
    return statusOf(flagKey, s);
  }

  /**
   * Pauses a plan where it is; the controller leaves it until {@link #resume}. Any instance may
   * call it.
   *
   * @return whether it was running (or not started) and is paused now
   */
  public boolean pause(String flagKey, String actor) {
    return pause(flagKey, actor, "");
  }

  /**
   * Pauses a plan as {@link #pause(String, String)} does, with the operator's reason in its note
   * and event.
   */
  public boolean pause(String flagKey, String actor, String reason) {
    return operator(
        flagKey,
        "paused",
        Event.Kind.PAUSED,
        AuditEntry.ACTION_PLAN_PAUSE,
        actor,
        reason,
        note("paused by ", actor, reason),
        "running",
        "");
  }

  /**
   * Resumes a paused plan; its step's hold counts from when the step began.
   *
   * @return whether it was paused
   */
  public boolean resume(String flagKey, String actor) {
    return resume(flagKey, actor, "");
  }

  /** Resumes a plan as {@link #resume(String, String)} does, with the operator's reason. */
  public boolean resume(String flagKey, String actor, String reason) {
    return operator(
        flagKey,
        "running",
        Event.Kind.RESUMED,
        AuditEntry.ACTION_PLAN_RESUME,
        actor,
        reason,
        note("resumed by ", actor, reason),
        "paused");
  }

  /**
   * Stops a plan for good; the flag stays as it is. A flag whose plan ended (done, rolled back or
   * aborted) starts again only after {@link #restart}.
   *
   * @return whether it was pending, running or paused
   */
  public boolean abort(String flagKey, String actor) {
    return abort(flagKey, actor, "");
  }

  /** Stops a plan as {@link #abort(String, String)} does, with the operator's reason. */
  public boolean abort(String flagKey, String actor, String reason) {
    return operator(
        flagKey,
        "aborted",
        Event.Kind.ABORTED,
        AuditEntry.ACTION_PLAN_ABORT,
        actor,
        reason,
        note("aborted by ", actor, reason),
        "running",
        "paused",
        "");
  }

  private static String note(String what, String actor, String reason) {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(reason, "reason");
    return what + actor + (reason.isBlank() ? "" : ": " + reason.strip());
  }

  /**
   * Starts a plan that ended (done, rolled back or aborted) again, with the operator's reason in
   * its note and event. The leader takes it up at its next look, from the step the flag's rollout
   * is at, or from the first step when it is at none (after a rollback, 0%). Any instance may call
   * it.
   *
   * @return whether it had ended and is pending now
   */
  public boolean restart(String flagKey, String actor, String reason) {
    return operator(
        flagKey,
        "",
        Event.Kind.RESTARTED,
        AuditEntry.ACTION_PLAN_RESTART,
        actor,
        reason,
        note("restarted by ", actor, reason),
        "done",
        "rolled-back",
        "aborted");
  }

  /**
   * Forgets a plan's state whatever it is, so it starts again from the flag's current rollout; an
   * operator's way is {@link #restart}, which only starts an ended plan and says who did it.
   */
  public void reset(String flagKey) {
    redis.jedis.del(stateKey(flagKey));
  }

  /**
   * Changes a plan's status (to {@code ""}: starts it again) from one of {@code from}, with its
   * audit entry, in one script.
   */
  private boolean operator(
      String flagKey,
      String status,
      Event.Kind kind,
      String action,
      String actor,
      String reason,
      String note,
      String... from) {
    List<String> args = new ArrayList<>();
    args.add(status);
    args.add(note);
    args.add(flagKey);
    args.add(action);
    args.add(actor);
    args.add(reason.strip());
    args.add(Long.toString(RedisFlagAdmin.DEFAULT_AUDIT_MAX_LENGTH));
    args.addAll(List.of(from));
    Object before =
        redis.evalScript(
            RolloutScripts.OPERATOR,
            List.of(
                stateKey(flagKey),
                layout.audit,
                layout.flags.versions(),
                layout.flags.lastChanges()),
            args);
    if (before == null) {
      return false;
    }
    Status s = status(flagKey);
    emit(new Event(flagKey, kind, s.step(), -1, note));
    return true;
  }

  // ---------------------------------------------------------------- the leader's work

  private void tickQuietly() {
    try {
      tick();
    } catch (RuntimeException e) {
      // Redis down, a timeout: nothing advances on missing data; the next look tries again.
      LOG.log(Level.WARNING, "guarded rollouts: waiting, Redis is not answering: " + e);
    }
  }

  /** One look at every plan, if this instance leads. Package-private for tests. */
  void tick() {
    if (closed) {
      return;
    }
    Object t =
        redis.evalScript(
            RolloutScripts.LEASE,
            List.of(leaseKey, tokenKey),
            List.of(token == 0 ? "" : Long.toString(token), Long.toString(leaseTime.toMillis())));
    token = (Long) t;
    if (token == 0) {
      return;
    }
    long now = now();
    for (FlagRecord r : admin.list()) {
      if (r.flag().isEmpty() || r.flag().get().guardedRollout().isEmpty()) {
        continue;
      }
      try {
        look(r.flag().get(), r.version(), now);
      } catch (RuntimeException e) {
        if (fenced(e)) {
          fencedWrites.incrementAndGet();
          LOG.log(Level.WARNING, "guarded rollouts: lost the lease; another instance leads: " + e);
          token = 0;
          return;
        }
        LOG.log(Level.WARNING, "guarded rollouts: " + r.key() + ": " + e);
      }
    }
  }

  private static boolean fenced(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof FencedWriteException) {
        return true;
      }
    }
    return false;
  }

  private long now() {
    return clock.isPresent()
        ? clock.get().millis()
        : (Long) redis.evalScript(RolloutScripts.TIME, List.of(), List.of());
  }

  private void look(Flag flag, long version, long now) {
    GuardedRollout plan = flag.guardedRollout().orElseThrow();
    Map<String, String> st = readState(flag.key());
    String status = st.getOrDefault("status", "");
    if (!status.isEmpty() && !status.equals("running")) {
      return; // paused, done, rolled back or aborted
    }
    if (!flag.on()) {
      return; // an off flag serves nobody the new variation: nothing to judge
    }
    int percent = percentOf(flag, plan);
    Optional<Integer> at = percent < 0 ? Optional.empty() : plan.stepOf(percent);
    int last = plan.steps().size() - 1;
    if (status.isEmpty()) {
      if (at.isPresent()) {
        // The flag is at a step already (a leader died after writing it): that step's hold
        // starts again, so nothing is skipped.
        state(flag.key(), "running", at.get(), now, "taken over at " + percent + "%");
      } else {
        step(flag, version, plan, 0, now, Event.Kind.STARTED, "plan started");
      }
      return;
    }
    if (at.isEmpty()) {
      operator(
          flag.key(),
          "paused",
          Event.Kind.PAUSED,
          AuditEntry.ACTION_PLAN_PAUSE,
          ACTOR,
          "the fallthrough was changed outside the plan",
          "paused: the fallthrough was changed outside the plan",
          "running");
      return;
    }
    int i = at.get();
    int recorded = Integer.parseInt(st.getOrDefault("step", "-1"));
    if (i != recorded) {
      state(flag.key(), "running", i, now, "step " + (i + 1) + " found on the flag; hold restarts");
      return;
    }
    if (i == last) {
      state(flag.key(), "done", i, Long.parseLong(st.get("stepStartedAt")), "reached 100%");
      emit(new Event(flag.key(), Event.Kind.COMPLETED, i, 100, "reached 100%"));
      return;
    }
    // One judgement per outcome bucket and step: the looks the guard's correction plans for.
    long bucketMillis = OutcomeBatch.BUCKET_LENGTH.toMillis();
    long bucket = Math.floorDiv(now, bucketMillis);
    String judged = flag.key() + "#" + i;
    Long previous = lastJudged.get(judged);
    if (previous != null && previous == bucket) {
      return;
    }
    long started = Long.parseLong(st.get("stepStartedAt"));
    Map<Integer, OutcomeCounts> w =
        outcomes.window(
            flag.key(),
            Instant.ofEpochMilli(Math.floorDiv(started, bucketMillis) * bucketMillis),
            Instant.ofEpochMilli(now + bucketMillis));
    OutcomeCounts fresh =
        w.getOrDefault(plan.variation(), OutcomeCounts.none(flag.key(), plan.variation()));
    OutcomeCounts old =
        w.getOrDefault(plan.baseline(), OutcomeCounts.none(flag.key(), plan.baseline()));
    GuardVerdict verdict =
        GuardVerdict.judge(plan.guard(), fresh, old, GuardVerdict.plannedLooks(plan));
    lastJudged.put(judged, bucket);
    // Kept for operators (status, the admin API, flagctl, the dashboard): what the guard sees now.
    fenced(
        flag.key(),
        "verdict",
        verdict.state().name(),
        "verdictDetail",
        verdict.detail(),
        "verdictAt",
        Long.toString(now),
        "verdictStep",
        Integer.toString(i));
    GuardedRollout.Step step = plan.steps().get(i);
    if (verdict.state() == GuardVerdict.State.RED) {
      rollBack(flag, version, plan, i, now, verdict.detail());
    } else if (verdict.state() == GuardVerdict.State.GREEN
        && now - started >= step.hold().toMillis()
        && fresh.requests() >= step.minRequests()) {
      step(flag, version, plan, i + 1, now, Event.Kind.ADVANCED, verdict.detail());
    }
  }

  private void step(
      Flag flag,
      long version,
      GuardedRollout plan,
      int i,
      long now,
      Event.Kind kind,
      String detail) {
    int percent = plan.steps().get(i).percent();
    String reason =
        "guarded rollout: step "
            + (i + 1)
            + " of "
            + plan.steps().size()
            + ", "
            + percent
            + "% to variation "
            + plan.variation()
            + " ("
            + detail
            + ")";
    beforeWrite.run();
    Flag next = flag.toBuilder().fallthroughRollout(rollout(flag, plan, percent)).build();
    admin.replace(next, Change.by(ACTOR).because(reason).ifVersion(version));
    state(flag.key(), "running", i, now, reason);
    emit(new Event(flag.key(), kind, i, percent, reason));
  }

  private void rollBack(Flag flag, long version, GuardedRollout plan, int i, long now, String why) {
    boolean off = plan.onTrip() == GuardedRollout.OnTrip.TURN_OFF;
    String reason =
        "guarded rollout: guard tripped at step "
            + (i + 1)
            + " ("
            + plan.steps().get(i).percent()
            + "%): "
            + why
            + (off ? "; flag turned off" : "; rolled back to variation " + plan.baseline());
    beforeWrite.run();
    Flag next =
        off
            ? flag.toBuilder().on(false).build()
            : flag.toBuilder().fallthroughVariation(plan.baseline()).build();
    admin.replace(next, Change.by(ACTOR).because(reason).ifVersion(version));
    state(flag.key(), "rolled-back", i, now, reason);
    emit(new Event(flag.key(), Event.Kind.ROLLED_BACK, i, 0, reason));
  }

  /**
   * The fallthrough at {@code percent}: the new variation first, so it takes the lowest buckets and
   * every step only adds contexts to it; an existing rollout's bucketBy and algorithm are kept.
   */
  private static Rollout rollout(Flag flag, GuardedRollout plan, int percent) {
    Rollout.Builder b =
        Rollout.builder()
            .weight(plan.variation(), percent * 1_000)
            .weight(plan.baseline(), (100 - percent) * 1_000);
    if (flag.fallthrough() instanceof Rollout r) {
      r.bucketBy().ifPresent(b::bucketBy);
      b.algorithm(r.algorithm());
    }
    return b.build();
  }

  /** The percentage of the new variation in the fallthrough, or -1 when it has another shape. */
  static int percentOf(Flag flag, GuardedRollout plan) {
    return plan.percentServed(flag).filter(p -> p == Math.rint(p)).map(Double::intValue).orElse(-1);
  }

  private void state(String flagKey, String status, int step, long startedAt, String note) {
    fenced(
        flagKey,
        "status",
        status,
        "step",
        Integer.toString(step),
        "stepStartedAt",
        Long.toString(startedAt),
        "note",
        note);
  }

  /** Writes fields of a plan's state if this instance still holds the lease. */
  private void fenced(String flagKey, String... fieldsAndValues) {
    List<String> args = new ArrayList<>();
    args.add(Long.toString(token));
    args.addAll(List.of(fieldsAndValues));
    Object ok =
        redis.evalScript(RolloutScripts.FENCED_STATE, List.of(leaseKey, stateKey(flagKey)), args);
    if ((Long) ok == 0L) {
      throw new FencedWriteException(leaseKey, token, null);
    }
  }

  private Map<String, String> readState(String flagKey) {
    return new HashMap<>(redis.jedis.hgetAll(stateKey(flagKey)));
  }

  String stateKey(String flagKey) {
    return layout.prefix + "#rollout:" + flagKey;
  }

  private static Status statusOf(String flagKey, Map<String, String> s) {
    State state =
        switch (s.getOrDefault("status", "")) {
          case "running" -> State.RUNNING;
          case "paused" -> State.PAUSED;
          case "done" -> State.DONE;
          case "rolled-back" -> State.ROLLED_BACK;
          case "aborted" -> State.ABORTED;
          default -> State.PENDING;
        };
    int step = s.containsKey("step") ? Integer.parseInt(s.get("step")) : 0;
    Optional<Instant> started =
        s.containsKey("stepStartedAt")
            ? Optional.of(Instant.ofEpochMilli(Long.parseLong(s.get("stepStartedAt"))))
            : Optional.empty();
    // A verdict of an earlier step, or of a plan that ended, says nothing about now.
    Optional<Verdict> verdict =
        s.containsKey("verdict")
                && s.getOrDefault("verdictStep", "").equals(Integer.toString(step))
                && (state == State.RUNNING || state == State.PAUSED)
            ? Optional.of(
                new Verdict(
                    s.get("verdict"),
                    s.getOrDefault("verdictDetail", ""),
                    Instant.ofEpochMilli(Long.parseLong(s.getOrDefault("verdictAt", "0")))))
            : Optional.empty();
    return new Status(flagKey, state, step, started, s.getOrDefault("note", ""), verdict);
  }

  private void emit(Event e) {
    for (Listener l : listeners) {
      try {
        l.onEvent(e);
      } catch (RuntimeException ex) {
        LOG.log(Level.WARNING, "guarded rollouts: a listener failed", ex);
      }
    }
  }

  /** Stops the controller's thread, gives up its lease and closes its connections. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (token != 0) {
      try {
        redis.evalScript(RolloutScripts.RELEASE, List.of(leaseKey), List.of(Long.toString(token)));
      } catch (RuntimeException e) {
        // the lease expires on its own
      }
    }
    admin.close();
    redis.close();
  }

  /** Stops like a crash: the thread ends, the lease is kept until it expires. For tests. */
  void crash() {
    closed = true;
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close();
    redis.close();
  }

  /** Builds a {@link GuardedRollouts}; setters name the option in errors. Not thread-safe. */
  public static final class Builder {
    private final RedisConnectionSettings settings;
    private Optional<String> prefix = Optional.empty();
    private Optional<Clock> clock = Optional.empty();
    private Duration checkInterval = DEFAULT_CHECK_INTERVAL;
    private Duration leaseTime = DEFAULT_LEASE_TIME;
    private final List<Listener> listeners = new ArrayList<>();

    private Builder(RedisConnectionSettings settings) {
      this.settings = Objects.requireNonNull(settings, "connection").checkComplete();
    }

    /** The key prefix; must be the stores' (default {@code "feature:"}). */
    public Builder prefix(String prefix) {
      this.prefix =
          Optional.of(
              RedisLayout.checkPrefix(
                  prefix, settings.mode() == RedisConnectionSettings.Mode.CLUSTER));
      return this;
    }

    /**
     * The clock for hold times and outcome windows, instead of Redis's ({@code TIME}, the default).
     * Only for tests, with the same clock in every client's {@code Flags.Builder.clock}: a clock
     * per instance would bring back the skew Redis's clock avoids.
     */
    public Builder clock(Clock clock) {
      this.clock = Optional.of(Objects.requireNonNull(clock, "clock"));
      return this;
    }

    /** How often the leader looks at the plans (default {@link #DEFAULT_CHECK_INTERVAL}). */
    public Builder checkInterval(Duration interval) {
      Objects.requireNonNull(interval, "checkInterval");
      if (interval.toMillis() < 10 || interval.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(
            "checkInterval: must be within 10 ms..1 min, got " + interval);
      }
      this.checkInterval = interval;
      return this;
    }

    /**
     * How long the lease lasts without renewal (default {@link #DEFAULT_LEASE_TIME}); at least
     * three check intervals, so a healthy leader renews it in time.
     */
    public Builder leaseTime(Duration leaseTime) {
      Objects.requireNonNull(leaseTime, "leaseTime");
      if (leaseTime.toMillis() < 100 || leaseTime.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException(
            "leaseTime: must be within 100 ms..10 min, got " + leaseTime);
      }
      this.leaseTime = leaseTime;
      return this;
    }

    /** Adds a listener of the controller's events. */
    public Builder listener(Listener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The controller, not started yet ({@link GuardedRollouts#start()}).
     *
     * @throws IllegalArgumentException if the lease is shorter than three check intervals
     */
    public GuardedRollouts build() {
      if (leaseTime.compareTo(checkInterval.multipliedBy(3)) < 0) {
        throw new IllegalArgumentException(
            "leaseTime: must be at least three check intervals ("
                + checkInterval.multipliedBy(3)
                + "), got "
                + leaseTime);
      }
      return new GuardedRollouts(this);
    }
  }
}
