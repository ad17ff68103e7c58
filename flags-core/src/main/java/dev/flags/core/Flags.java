package dev.flags.core;

import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.OutcomeSink;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The feature-flag client: evaluates flags for a context.
 *
 * <p>Evaluation never throws, never returns {@code null} and never waits: it reads compiled flags
 * from memory. When the flag is missing, of another type, malformed, or the store has not loaded
 * yet, the caller's default is served and the {@code …Detail} methods say why.
 *
 * {@snippet file="dev/flags/core/JavadocExamplesTest.java" region="flags"}
 *
 * <p>Thread-safe. Create one per application and close it on shutdown: it owns the store's threads
 * and connections.
 */
public interface Flags extends AutoCloseable {

  /** Starts a client builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Whether the boolean flag is on for this context; {@code false} on any error. */
  boolean isEnabled(String flagKey, EvaluationContext context);

  /** The boolean value of the flag, or {@code defaultValue}. */
  boolean getBoolean(String flagKey, EvaluationContext context, boolean defaultValue);

  /** The string value of the flag, or {@code defaultValue}. */
  String getString(String flagKey, EvaluationContext context, String defaultValue);

  /**
   * The integer value of the flag (a number with no fraction that fits), or {@code defaultValue}.
   */
  int getInt(String flagKey, EvaluationContext context, int defaultValue);

  /** The long value of the flag (a number with no fraction that fits), or {@code defaultValue}. */
  long getLong(String flagKey, EvaluationContext context, long defaultValue);

  /** The numeric value of the flag, or {@code defaultValue}. */
  double getDouble(String flagKey, EvaluationContext context, double defaultValue);

  /** The value of the flag as JSON (any variation type), or {@code defaultValue}. */
  JsonValue getJson(String flagKey, EvaluationContext context, JsonValue defaultValue);

  /** Like {@link #getBoolean}, with the variation and the reason. */
  EvaluationDetail<Boolean> getBooleanDetail(
      String flagKey, EvaluationContext context, boolean defaultValue);

  /** Like {@link #getString}, with the variation and the reason. */
  EvaluationDetail<String> getStringDetail(
      String flagKey, EvaluationContext context, String defaultValue);

  /** Like {@link #getInt}, with the variation and the reason. */
  EvaluationDetail<Integer> getIntDetail(
      String flagKey, EvaluationContext context, int defaultValue);

  /** Like {@link #getLong}, with the variation and the reason. */
  EvaluationDetail<Long> getLongDetail(
      String flagKey, EvaluationContext context, long defaultValue);

  /** Like {@link #getDouble}, with the variation and the reason. */
  EvaluationDetail<Double> getDoubleDetail(
      String flagKey, EvaluationContext context, double defaultValue);

  /** Like {@link #getJson}, with the variation and the reason: the "explain" of a flag. */
  EvaluationDetail<JsonValue> getJsonDetail(
      String flagKey, EvaluationContext context, JsonValue defaultValue);

  /**
   * Reports how the work went for {@code context} with {@code flagKey}: the outcome counts for the
   * variation the flag serves this context now (the flag is evaluated again, without a hook call),
   * so a guarded rollout can compare the new variation's error rate with the old one's. Nothing is
   * counted when no {@link Builder#outcomeSink outcome sink} was configured, or when the flag is
   * missing or serves the caller's default. Like evaluation, it never throws, never blocks and
   * allocates nothing: outcomes are aggregated in memory per flag, variation and 10-second bucket
   * and flushed to the sink on a thread of the client's own.
   *
   * {@snippet file="dev/flags/core/JavadocExamplesTest.java" region="outcomes"}
   *
   * @param success whether the work succeeded
   */
  void recordOutcome(String flagKey, EvaluationContext context, boolean success);

  /**
   * Like {@link #recordOutcome(String, EvaluationContext, boolean)}, with how long the work took,
   * so a guard can compare latency percentiles too.
   *
   * @param latency how long it took; a null or negative latency counts the outcome without one
   */
  void recordOutcome(String flagKey, EvaluationContext context, boolean success, Duration latency);

  /**
   * Like {@link #recordOutcome(String, EvaluationContext, boolean, Duration)}, for a caller that
   * already knows the variation it was served (an {@link EvaluationHook} saw it): no evaluation.
   * For web integrations that record the outcome of a whole request; never throws.
   *
   * @param variation the index of the variation served; a negative one is not counted
   * @param latency how long it took; a null or negative latency counts the outcome without one
   */
  void recordVariationOutcome(String flagKey, int variation, boolean success, Duration latency);

  /**
   * Delivers the outcomes recorded so far to the outcome sink now, on the calling thread, instead
   * of waiting for the next periodic flush. Closing the client does this too.
   *
   * @return whether the sink took them (true when there was nothing to deliver or no sink)
   */
  boolean flushOutcomes();

  /** The current definition of a flag. */
  Optional<Flag> flag(String flagKey);

  /** The current definitions of all flags, sorted by key. */
  List<Flag> allFlags();

  /** Flags past their kill date (they still evaluate), sorted by key. */
  List<Flag> flagsPastKillDate();

  /** The store's status. */
  StoreStatus status();

  /**
   * What the store said with its current {@link #status()}: the error that made it {@code STALE} or
   * {@code UNAVAILABLE} (for a file store, the rejected file's path and the codec's message), or a
   * short note when it is {@code OK}; empty when it said nothing. For logs and health checks.
   */
  String statusDetail();

  /** Whether the store has delivered its first full load. */
  boolean isInitialized();

  /**
   * Waits until the store has delivered its first full load, at most {@code timeout}.
   *
   * @return whether it did in time
   */
  boolean awaitInitialization(Duration timeout);

  /**
   * Registers a listener for all flags and for the store's status.
   *
   * @throws NullPointerException if {@code listener} is null
   */
  Subscription addListener(FlagListener listener);

  /**
   * Registers a listener for one flag: it hears {@link FlagListener#onFlagChanged}, {@link
   * FlagListener#onMalformedFlag} and {@link FlagListener#onPastKillDate} for {@code flagKey} only
   * (the flag need not exist yet), and nothing about the store's status. A change of a segment the
   * flag uses counts as a change of the flag; a change of one of its prerequisites does not (use
   * {@link #addValueChangeListener} to hear what a context is served).
   *
   * @throws NullPointerException if {@code flagKey} or {@code listener} is null
   */
  Subscription addListener(String flagKey, FlagListener listener);

  /**
   * Registers a listener called when the value {@code flagKey} serves to {@code context} changes.
   */
  Subscription addValueChangeListener(
      String flagKey, EvaluationContext context, ValueChangeListener listener);

  /** Stops the store and every thread the client started. Idempotent. */
  @Override
  void close();

  /**
   * Builds a {@link Flags} client. Building never blocks on the store, unless {@link
   * #failFast(Duration)} asks it to. Not thread-safe.
   */
  final class Builder {
    /** How long {@link #failFast} waits by default. */
    public static final Duration DEFAULT_START_WAIT = Duration.ofSeconds(5);

    @Nullable FlagStore store;
    FlagSet bootstrap = FlagSet.EMPTY;
    Clock clock = Clock.systemUTC();
    final List<EvaluationHook> hooks = new ArrayList<>();
    @Nullable Duration failFastTimeout;
    @Nullable OutcomeSink outcomeSink;
    Duration outcomeFlushInterval = DEFAULT_OUTCOME_FLUSH_INTERVAL;

    /** How often recorded outcomes are flushed to the outcome sink by default: every 10 s. */
    public static final Duration DEFAULT_OUTCOME_FLUSH_INTERVAL = Duration.ofSeconds(10);

    Builder() {}

    /** The store to read flags from (default: an empty in-memory store). */
    public Builder store(FlagStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Flags served until the store's first load (for example a file shipped with the app). */
    public Builder bootstrap(FlagSet bootstrap) {
      this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
      return this;
    }

    /**
     * The clock for kill dates and for the time buckets of outcomes (default: the system clock,
     * UTC).
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Adds a hook that sees every evaluation (for metrics). */
    public Builder evaluationHook(EvaluationHook hook) {
      hooks.add(Objects.requireNonNull(hook, "hook"));
      return this;
    }

    /**
     * Where {@link Flags#recordOutcome recorded outcomes} go (for example flags-redis's {@code
     * RedisOutcomeSink}, which shares them between instances). Without one, outcomes are not
     * counted. The client closes the sink when it closes.
     */
    public Builder outcomeSink(OutcomeSink sink) {
      this.outcomeSink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * How often outcomes are flushed to the outcome sink (default {@link
     * #DEFAULT_OUTCOME_FLUSH_INTERVAL}).
     *
     * @throws IllegalArgumentException unless between 10 ms and the 10-second bucket
     */
    public Builder outcomeFlushInterval(Duration interval) {
      this.outcomeFlushInterval =
          OutcomeRecorder.checkFlushInterval(Objects.requireNonNull(interval, "interval"));
      return this;
    }

    /**
     * Makes {@link #build()} wait for the store's first load, at most {@code timeout}, and throw
     * {@link IllegalStateException} (after closing the store) when it does not come in time.
     */
    public Builder failFast(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("failFast timeout must not be negative: " + timeout);
      }
      this.failFastTimeout = timeout;
      return this;
    }

    /**
     * Builds and starts the client.
     *
     * @throws IllegalStateException with {@link #failFast}, if the store is not ready in time
     */
    public Flags build() {
      return FlagClient.start(this);
    }
  }
}
