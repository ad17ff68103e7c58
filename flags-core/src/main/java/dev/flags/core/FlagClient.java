package dev.flags.core;

import dev.flags.core.spi.FlagStore;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Flags} implementation: evaluation and queries over the current {@link FlagSnapshot}.
 * The other concerns have their own classes: {@link ClientSink} is what the store feeds (it
 * compiles definitions and publishes snapshots, and keeps the status), {@link ListenerDispatcher}
 * tells listeners. The snapshot, replaced by one volatile write, is the only cache of flags-core;
 * evaluation reads it and nothing else.
 */
final class FlagClient implements Flags, ClientSink.Owner, ListenerDispatcher.Host {
  private final FlagStore store;
  private final Clock clock;
  private final @Nullable EvaluationHook
      hook; // null when nobody listens: the hot path then skips it
  private final ListenerDispatcher dispatcher;
  private final ClientSink sink;
  private final Set<String> reportedFailures = ConcurrentHashMap.newKeySet();
  private final @Nullable OutcomeRecorder
      outcomes; // null without a sink: recordOutcome then does nothing
  private final @Nullable ScheduledExecutorService outcomeFlusher;

  /** What evaluations read: flags and segments of one moment, replaced whole. */
  private volatile FlagSnapshot snapshot = FlagSnapshot.EMPTY;

  private FlagClient(Flags.Builder b) {
    this.store = b.store != null ? b.store : InMemoryFlagStore.empty();
    this.clock = b.clock;
    this.hook = combine(b.hooks);
    this.dispatcher = new ListenerDispatcher(this);
    this.sink = new ClientSink(this, dispatcher);
    sink.bootstrap(b.bootstrap);
    if (b.outcomeSink == null) {
      this.outcomes = null;
      this.outcomeFlusher = null;
    } else {
      this.outcomes = new OutcomeRecorder(b.outcomeSink, b.clock);
      this.outcomeFlusher =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "flags-outcomes");
                t.setDaemon(true);
                return t;
              });
      long every = b.outcomeFlushInterval.toMillis();
      // Nothing waits for the periodic task: it ends when the executor is shut down.
      var unused =
          outcomeFlusher.scheduleWithFixedDelay(
              this::flushOutcomesQuietly, every, every, TimeUnit.MILLISECONDS);
    }
  }

  static Flags start(Flags.Builder builder) {
    FlagClient client = new FlagClient(builder);
    client.dispatcher.start();
    try {
      client.store.start(client.sink);
    } catch (RuntimeException e) {
      ClientLog.LOG.log(
          Level.ERROR, "flag store failed to start; serving bootstrap flags or defaults", e);
      client.sink.statusChanged(StoreStatus.UNAVAILABLE, "store failed to start: " + e);
    }
    if (builder.failFastTimeout != null && !client.awaitInitialization(builder.failFastTimeout)) {
      StoreStatus s = client.status();
      client.close();
      throw new IllegalStateException(
          "flag store not ready within "
              + builder.failFastTimeout
              + " (status "
              + s
              + "); "
              + "remove failFast(...) to start anyway and serve defaults until it is");
    }
    return client;
  }

  private static @Nullable EvaluationHook combine(List<EvaluationHook> hooks) {
    if (hooks.isEmpty()) {
      return null;
    }
    if (hooks.size() == 1) {
      return hooks.get(0);
    }
    EvaluationHook[] all = hooks.toArray(new EvaluationHook[0]);
    return (key, variation, reason) -> {
      for (EvaluationHook h : all) {
        h.onEvaluation(key, variation, reason);
      }
    };
  }

  // ---- the snapshot ------------------------------------------------------------------------

  @Override
  public FlagSnapshot snapshot() {
    return snapshot;
  }

  @Override
  public void publish(FlagSnapshot next) {
    snapshot = next;
  }

  // ---- evaluation -------------------------------------------------------------------------

  /**
   * Evaluates against {@code scope}, the snapshot {@code f} was read from, turning every failure
   * into an error result.
   */
  private long evaluate(
      FlagSnapshot scope, @Nullable CompiledFlag f, String key, EvaluationContext context) {
    if (f == null) {
      return missing(key);
    }
    if (context == null) {
      return Result.error(EvaluationReason.ErrorKind.INVALID_ARGUMENT);
    }
    try {
      return Evaluator.evaluate(f, scope, context);
    } catch (RuntimeException | StackOverflowError e) {
      // StackOverflowError too (a deep recursion in a flag must not reach the caller), but no other
      // Error: OutOfMemoryError and the like are the JVM's, not the flag's.
      if (reportedFailures.add(key)) { // once per flag: a broken flag must not flood the log
        ClientLog.LOG.log(
            Level.ERROR,
            "unexpected error evaluating flag \"" + key + "\"; serving the default",
            e);
      }
      return Result.error(EvaluationReason.ErrorKind.EXCEPTION);
    }
  }

  private long missing(String key) {
    if (key == null) {
      return Result.error(EvaluationReason.ErrorKind.INVALID_ARGUMENT);
    }
    if (sink.isClosed()) {
      return Result.error(EvaluationReason.ErrorKind.CLIENT_CLOSED);
    }
    if (!sink.isInitialized()) {
      return Result.error(
          sink.status() == StoreStatus.UNAVAILABLE
              ? EvaluationReason.ErrorKind.STORE_UNAVAILABLE
              : EvaluationReason.ErrorKind.CLIENT_NOT_READY);
    }
    try {
      store.prefetch(key);
    } catch (RuntimeException e) {
      ClientLog.LOG.log(Level.DEBUG, "store prefetch failed for \"" + key + "\"", e);
    }
    return Result.error(EvaluationReason.ErrorKind.FLAG_NOT_FOUND);
  }

  private void observe(String key, int variation, long result) {
    if (hook != null) {
      try {
        hook.onEvaluation(
            key, variation, variation < 0 ? EvaluationReason.Kind.ERROR : Result.kind(result));
      } catch (RuntimeException e) {
        ClientLog.LOG.log(Level.WARNING, "evaluation hook failed", e);
      }
    }
  }

  // ---- outcomes ---------------------------------------------------------------------------

  @Override
  public void recordOutcome(String flagKey, EvaluationContext context, boolean success) {
    record(flagKey, context, success, -1);
  }

  @Override
  public void recordOutcome(
      String flagKey, EvaluationContext context, boolean success, Duration latency) {
    record(flagKey, context, success, latency == null ? -1 : nanos(latency));
  }

  @Override
  public void recordVariationOutcome(
      String flagKey, int variation, boolean success, Duration latency) {
    OutcomeRecorder r = outcomes;
    if (r == null || flagKey == null || variation < 0) {
      return;
    }
    CompiledFlag f = snapshot.compiledFlag(flagKey);
    if (f == null || f.values == null || variation >= f.values.length) {
      return; // a flag gone since, or a variation it does not have: nothing to attribute it to
    }
    r.record(flagKey, variation, success, latency == null ? -1 : nanos(latency));
  }

  private static long nanos(Duration d) {
    if (d.isNegative()) {
      return -1;
    }
    // Saturate instead of throwing: a latency of centuries is still "slow".
    return d.toSeconds() >= Long.MAX_VALUE / 1_000_000_000L - 1 ? Long.MAX_VALUE : d.toNanos();
  }

  private void record(String flagKey, EvaluationContext context, boolean success, long nanos) {
    OutcomeRecorder r = outcomes;
    if (r == null || flagKey == null || context == null) {
      return;
    }
    FlagSnapshot scope = snapshot;
    CompiledFlag f = scope.compiledFlag(flagKey);
    if (f == null) {
      return;
    }
    try {
      // The variation this context is served now: the one its outcome is attributed to.
      int v = Result.variation(Evaluator.evaluate(f, scope, context));
      if (v >= 0) {
        r.record(flagKey, v, success, nanos);
      }
    } catch (RuntimeException | StackOverflowError e) {
      // evaluation already reports a broken flag; an outcome of one is simply not counted
    }
  }

  @Override
  public boolean flushOutcomes() {
    OutcomeRecorder r = outcomes;
    return r == null || r.flush(key -> snapshot.compiledFlag(key) != null);
  }

  private void flushOutcomesQuietly() {
    try {
      flushOutcomes();
    } catch (RuntimeException e) { // a dying scheduled task would stop all later flushes
      ClientLog.LOG.log(Level.WARNING, "flushing outcomes failed", e);
    }
  }

  // The typed getters below repeat one shape on purpose: each reads its own primitive array, so
  // none boxes or goes through a lambda on the hot path. The Detail variants, which allocate
  // anyway, share one generic implementation (detail(...)).

  @Override
  public boolean isEnabled(String flagKey, EvaluationContext context) {
    return getBoolean(flagKey, context, false);
  }

  @Override
  public boolean getBoolean(String flagKey, EvaluationContext context, boolean defaultValue) {
    FlagSnapshot scope = snapshot;
    CompiledFlag f = flagKey == null ? null : scope.compiledFlag(flagKey);
    if (f != null && f.constantBoolean >= 0 && hook == null && context != null) {
      return f.constantBoolean == 1; // same answer for everyone: no need to evaluate
    }
    long r = evaluate(scope, f, flagKey, context);
    int v = Result.variation(r);
    if (v >= 0 && f != null && f.isBoolean[v]) {
      observe(flagKey, v, r);
      return f.booleans[v];
    }
    observe(flagKey, -1, r);
    return defaultValue;
  }

  @Override
  public String getString(String flagKey, EvaluationContext context, String defaultValue) {
    FlagSnapshot scope = snapshot;
    CompiledFlag f = flagKey == null ? null : scope.compiledFlag(flagKey);
    long r = evaluate(scope, f, flagKey, context);
    int v = Result.variation(r);
    if (v >= 0 && f != null && f.strings[v] != null) {
      observe(flagKey, v, r);
      return f.strings[v];
    }
    observe(flagKey, -1, r);
    return defaultValue;
  }

  @Override
  public int getInt(String flagKey, EvaluationContext context, int defaultValue) {
    FlagSnapshot scope = snapshot;
    CompiledFlag f = flagKey == null ? null : scope.compiledFlag(flagKey);
    long r = evaluate(scope, f, flagKey, context);
    int v = Result.variation(r);
    if (v >= 0 && f != null && f.isInt(v)) {
      observe(flagKey, v, r);
      return (int) f.longs[v];
    }
    observe(flagKey, -1, r);
    return defaultValue;
  }

  @Override
  public long getLong(String flagKey, EvaluationContext context, long defaultValue) {
    FlagSnapshot scope = snapshot;
    CompiledFlag f = flagKey == null ? null : scope.compiledFlag(flagKey);
    long r = evaluate(scope, f, flagKey, context);
    int v = Result.variation(r);
    if (v >= 0 && f != null && f.isLong[v]) {
      observe(flagKey, v, r);
      return f.longs[v];
    }
    observe(flagKey, -1, r);
    return defaultValue;
  }

  @Override
  public double getDouble(String flagKey, EvaluationContext context, double defaultValue) {
    FlagSnapshot scope = snapshot;
    CompiledFlag f = flagKey == null ? null : scope.compiledFlag(flagKey);
    long r = evaluate(scope, f, flagKey, context);
    int v = Result.variation(r);
    if (v >= 0 && f != null && f.isNumber[v]) {
      observe(flagKey, v, r);
      return f.doubles[v];
    }
    observe(flagKey, -1, r);
    return defaultValue;
  }

  @Override
  public JsonValue getJson(String flagKey, EvaluationContext context, JsonValue defaultValue) {
    FlagSnapshot scope = snapshot;
    CompiledFlag f = flagKey == null ? null : scope.compiledFlag(flagKey);
    long r = evaluate(scope, f, flagKey, context);
    int v = Result.variation(r);
    observe(flagKey, v, r);
    return v >= 0 && f != null ? f.values[v] : defaultValue;
  }

  /** Reads one typed value from a compiled flag's variation, or says it has another type. */
  private interface Reader<T> {
    boolean accepts(CompiledFlag f, int variation);

    T read(CompiledFlag f, int variation);
  }

  private static final Reader<Boolean> BOOLEAN =
      reader((f, v) -> f.isBoolean[v], (f, v) -> f.booleans[v]);
  private static final Reader<String> STRING =
      reader((f, v) -> f.strings[v] != null, (f, v) -> f.strings[v]);
  private static final Reader<Integer> INT =
      reader(CompiledFlag::isInt, (f, v) -> (int) f.longs[v]);
  private static final Reader<Long> LONG = reader((f, v) -> f.isLong[v], (f, v) -> f.longs[v]);
  private static final Reader<Double> DOUBLE =
      reader((f, v) -> f.isNumber[v], (f, v) -> f.doubles[v]);
  private static final Reader<JsonValue> JSON = reader((f, v) -> true, (f, v) -> f.values[v]);

  private static <T> Reader<T> reader(
      java.util.function.BiPredicate<CompiledFlag, Integer> accepts,
      java.util.function.BiFunction<CompiledFlag, Integer, T> read) {
    return new Reader<>() {
      @Override
      public boolean accepts(CompiledFlag f, int variation) {
        return accepts.test(f, variation);
      }

      @Override
      public T read(CompiledFlag f, int variation) {
        return read.apply(f, variation);
      }
    };
  }

  private <T> EvaluationDetail<T> detail(
      String key, EvaluationContext context, T defaultValue, Reader<T> reader) {
    FlagSnapshot scope = snapshot;
    CompiledFlag f = key == null ? null : scope.compiledFlag(key);
    long r = evaluate(scope, f, key, context);
    int v = Result.variation(r);
    if (v >= 0 && (f == null || !reader.accepts(f, v))) {
      r = Result.error(EvaluationReason.ErrorKind.WRONG_TYPE);
      v = -1;
    }
    observe(key, v, r);
    EvaluationReason reason = Result.reason(r, f);
    return v >= 0 && f != null
        ? new EvaluationDetail<>(reader.read(f, v), OptionalInt.of(v), reason)
        : new EvaluationDetail<>(defaultValue, OptionalInt.empty(), reason);
  }

  @Override
  public EvaluationDetail<Boolean> getBooleanDetail(
      String flagKey, EvaluationContext context, boolean defaultValue) {
    return detail(flagKey, context, defaultValue, BOOLEAN);
  }

  @Override
  public EvaluationDetail<String> getStringDetail(
      String flagKey, EvaluationContext context, String defaultValue) {
    return detail(flagKey, context, defaultValue, STRING);
  }

  @Override
  public EvaluationDetail<Integer> getIntDetail(
      String flagKey, EvaluationContext context, int defaultValue) {
    return detail(flagKey, context, defaultValue, INT);
  }

  @Override
  public EvaluationDetail<Long> getLongDetail(
      String flagKey, EvaluationContext context, long defaultValue) {
    return detail(flagKey, context, defaultValue, LONG);
  }

  @Override
  public EvaluationDetail<Double> getDoubleDetail(
      String flagKey, EvaluationContext context, double defaultValue) {
    return detail(flagKey, context, defaultValue, DOUBLE);
  }

  @Override
  public EvaluationDetail<JsonValue> getJsonDetail(
      String flagKey, EvaluationContext context, JsonValue defaultValue) {
    return detail(flagKey, context, defaultValue, JSON);
  }

  // ---- queries ----------------------------------------------------------------------------

  @Override
  public Optional<Flag> flag(String flagKey) {
    CompiledFlag f = flagKey == null ? null : snapshot.compiledFlag(flagKey);
    return f == null ? Optional.empty() : Optional.ofNullable(f.definition);
  }

  @Override
  public List<Flag> allFlags() {
    List<Flag> all = new ArrayList<>();
    for (CompiledFlag f : snapshot.flags()) {
      if (f.definition != null) {
        all.add(f.definition);
      }
    }
    all.sort(Comparator.comparing(Flag::key));
    return all;
  }

  @Override
  public List<Flag> flagsPastKillDate() {
    java.time.Instant now = clock.instant();
    return allFlags().stream().filter(f -> f.metadata().isPastKillDate(now)).toList();
  }

  @Override
  public JsonValue currentValue(String key, EvaluationContext context) {
    FlagSnapshot scope = snapshot;
    CompiledFlag f = scope.compiledFlag(key);
    long r = evaluate(scope, f, key, context);
    int v = Result.variation(r);
    return v >= 0 && f != null ? f.values[v] : JsonValue.NULL;
  }

  @Override
  public StoreStatus status() {
    return sink.status();
  }

  @Override
  public String statusDetail() {
    return sink.statusDetail();
  }

  @Override
  public boolean isInitialized() {
    return sink.isInitialized();
  }

  @Override
  public boolean awaitInitialization(Duration timeout) {
    return sink.awaitInitialization(timeout);
  }

  @Override
  public Subscription addListener(FlagListener listener) {
    return dispatcher.addListener(listener);
  }

  @Override
  public Subscription addListener(String flagKey, FlagListener listener) {
    return dispatcher.addListener(flagKey, listener);
  }

  @Override
  public Subscription addValueChangeListener(
      String flagKey, EvaluationContext context, ValueChangeListener listener) {
    return dispatcher.addValueChangeListener(flagKey, context, listener);
  }

  @Override
  public void close() {
    if (sink.isClosed()) {
      return;
    }
    sink.close();
    ScheduledExecutorService flusher = outcomeFlusher;
    if (outcomes != null && flusher != null) {
      flusher.shutdownNow();
      try {
        flusher.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      flushOutcomes(); // the last outcomes, so a rolling restart loses none
      outcomes.close();
    }
    try {
      store.close();
    } catch (RuntimeException e) {
      ClientLog.LOG.log(Level.WARNING, "flag store failed to close cleanly", e);
    }
    dispatcher.close();
  }
}
