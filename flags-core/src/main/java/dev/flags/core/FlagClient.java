package dev.flags.core;

import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.StoreSink;
import dev.flags.core.spi.StoreSnapshot;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Flags} implementation, and the {@link StoreSink} its store feeds. Compiled flags live
 * in one map, the only cache of flags-core; evaluation reads it and nothing else.
 */
final class FlagClient implements Flags, StoreSink, Evaluator.Scope {
  /**
   * The logger, looked up at its first use: in a fresh JVM the first {@code System.getLogger} call
   * initializes the logging backend (about 40 ms), which start-up need not wait for.
   */
  private static final class Log {
    static final System.Logger LOG = System.getLogger("dev.flags.core");
  }

  private static final Duration KILL_DATE_CHECK_PERIOD = Duration.ofMinutes(1);

  private final FlagStore store;
  private final Clock clock;
  private final EvaluationHook hook; // null when nobody listens: the hot path then skips it
  private final ConcurrentHashMap<String, CompiledFlag> flags = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompiledSegment> segments = new ConcurrentHashMap<>();
  private final CountDownLatch initialized = new CountDownLatch(1);
  private final List<FlagListener> listeners = new CopyOnWriteArrayList<>();
  private final List<ValueWatch> valueWatches = new CopyOnWriteArrayList<>();
  private final Set<String> reportedPastKillDate = ConcurrentHashMap.newKeySet();
  private final Set<String> reportedMalformed = ConcurrentHashMap.newKeySet();
  private final Set<String> reportedFailures = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService events;
  private final Object sinkLock = new Object();
  private final Object statusLock = new Object();
  private volatile StoreStatus status = StoreStatus.INITIALIZING;
  private volatile String statusDetail = "";
  private volatile boolean closed;

  private FlagClient(Flags.Builder b) {
    this.store = b.store != null ? b.store : InMemoryFlagStore.empty();
    this.clock = b.clock;
    this.hook = combine(b.hooks);
    this.events =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "flags-events");
              t.setDaemon(true);
              return t;
            });
    install(StoreSnapshot.of(b.bootstrap), false);
  }

  static Flags start(Flags.Builder builder) {
    FlagClient client = new FlagClient(builder);
    client.events.scheduleAtFixedRate(
        client::reportFlagsPastKillDate,
        KILL_DATE_CHECK_PERIOD.toMillis(),
        KILL_DATE_CHECK_PERIOD.toMillis(),
        TimeUnit.MILLISECONDS);
    try {
      client.store.start(client);
    } catch (RuntimeException e) {
      Log.LOG.log(
          Level.ERROR, "flag store failed to start; serving bootstrap flags or defaults", e);
      client.statusChanged(StoreStatus.UNAVAILABLE, "store failed to start: " + e);
    }
    if (builder.failFastTimeout != null && !client.awaitInitialization(builder.failFastTimeout)) {
      StoreStatus s = client.status;
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

  private static EvaluationHook combine(List<EvaluationHook> hooks) {
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

  // ---- evaluation -------------------------------------------------------------------------

  @Override
  public CompiledFlag compiledFlag(String key) {
    return flags.get(key);
  }

  @Override
  public CompiledSegment compiledSegment(String key) {
    return segments.get(key);
  }

  private CompiledFlag lookup(String key) {
    return key == null ? null : flags.get(key);
  }

  /** Evaluates, turning every failure into an error result. */
  private long evaluate(CompiledFlag f, String key, EvaluationContext context) {
    if (f == null) {
      return missing(key);
    }
    if (context == null) {
      return Result.error(EvaluationReason.ErrorKind.INVALID_ARGUMENT);
    }
    try {
      return Evaluator.evaluate(f, this, context);
    } catch (RuntimeException | StackOverflowError e) {
      // StackOverflowError too (a deep recursion in a flag must not reach the caller), but no other
      // Error: OutOfMemoryError and the like are the JVM's, not the flag's.
      if (reportedFailures.add(key)) { // once per flag: a broken flag must not flood the log
        Log.LOG.log(
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
    if (closed) {
      return Result.error(EvaluationReason.ErrorKind.CLIENT_CLOSED);
    }
    if (initialized.getCount() > 0) {
      return Result.error(
          status == StoreStatus.UNAVAILABLE
              ? EvaluationReason.ErrorKind.STORE_UNAVAILABLE
              : EvaluationReason.ErrorKind.CLIENT_NOT_READY);
    }
    try {
      store.prefetch(key);
    } catch (RuntimeException e) {
      Log.LOG.log(Level.DEBUG, "store prefetch failed for \"" + key + "\"", e);
    }
    return Result.error(EvaluationReason.ErrorKind.FLAG_NOT_FOUND);
  }

  private void observe(String key, int variation, long result) {
    if (hook != null) {
      try {
        hook.onEvaluation(
            key, variation, variation < 0 ? EvaluationReason.Kind.ERROR : Result.kind(result));
      } catch (RuntimeException e) {
        Log.LOG.log(Level.WARNING, "evaluation hook failed", e);
      }
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
    CompiledFlag f = lookup(flagKey);
    if (f != null && f.constantBoolean >= 0 && hook == null && context != null) {
      return f.constantBoolean == 1; // same answer for everyone: no need to evaluate
    }
    long r = evaluate(f, flagKey, context);
    int v = Result.variation(r);
    if (v >= 0 && f.isBoolean[v]) {
      observe(flagKey, v, r);
      return f.booleans[v];
    }
    observe(flagKey, -1, r);
    return defaultValue;
  }

  @Override
  public String getString(String flagKey, EvaluationContext context, String defaultValue) {
    CompiledFlag f = lookup(flagKey);
    long r = evaluate(f, flagKey, context);
    int v = Result.variation(r);
    if (v >= 0 && f.strings[v] != null) {
      observe(flagKey, v, r);
      return f.strings[v];
    }
    observe(flagKey, -1, r);
    return defaultValue;
  }

  @Override
  public int getInt(String flagKey, EvaluationContext context, int defaultValue) {
    CompiledFlag f = lookup(flagKey);
    long r = evaluate(f, flagKey, context);
    int v = Result.variation(r);
    if (v >= 0 && f.isInt(v)) {
      observe(flagKey, v, r);
      return (int) f.longs[v];
    }
    observe(flagKey, -1, r);
    return defaultValue;
  }

  @Override
  public long getLong(String flagKey, EvaluationContext context, long defaultValue) {
    CompiledFlag f = lookup(flagKey);
    long r = evaluate(f, flagKey, context);
    int v = Result.variation(r);
    if (v >= 0 && f.isLong[v]) {
      observe(flagKey, v, r);
      return f.longs[v];
    }
    observe(flagKey, -1, r);
    return defaultValue;
  }

  @Override
  public double getDouble(String flagKey, EvaluationContext context, double defaultValue) {
    CompiledFlag f = lookup(flagKey);
    long r = evaluate(f, flagKey, context);
    int v = Result.variation(r);
    if (v >= 0 && f.isNumber[v]) {
      observe(flagKey, v, r);
      return f.doubles[v];
    }
    observe(flagKey, -1, r);
    return defaultValue;
  }

  @Override
  public JsonValue getJson(String flagKey, EvaluationContext context, JsonValue defaultValue) {
    CompiledFlag f = lookup(flagKey);
    long r = evaluate(f, flagKey, context);
    int v = Result.variation(r);
    observe(flagKey, v, r);
    return v >= 0 ? f.values[v] : defaultValue;
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
    CompiledFlag f = lookup(key);
    long r = evaluate(f, key, context);
    int v = Result.variation(r);
    if (v >= 0 && !reader.accepts(f, v)) {
      r = Result.error(EvaluationReason.ErrorKind.WRONG_TYPE);
      v = -1;
    }
    observe(key, v, r);
    EvaluationReason reason = Result.reason(r, f);
    return v >= 0
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
    CompiledFlag f = lookup(flagKey);
    return f == null ? Optional.empty() : Optional.ofNullable(f.definition);
  }

  @Override
  public List<Flag> allFlags() {
    List<Flag> all = new ArrayList<>();
    for (CompiledFlag f : flags.values()) {
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
  public StoreStatus status() {
    return status;
  }

  @Override
  public String statusDetail() {
    return statusDetail;
  }

  @Override
  public boolean isInitialized() {
    return initialized.getCount() == 0;
  }

  @Override
  public boolean awaitInitialization(Duration timeout) {
    try {
      return initialized.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public Subscription addListener(FlagListener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public Subscription addListener(String flagKey, FlagListener listener) {
    return addListener(new OneFlagListener(Objects.requireNonNull(flagKey, "flagKey"), listener));
  }

  @Override
  public Subscription addValueChangeListener(
      String flagKey, EvaluationContext context, ValueChangeListener listener) {
    ValueWatch watch =
        new ValueWatch(
            Objects.requireNonNull(flagKey, "flagKey"),
            Objects.requireNonNull(context, "context"),
            Objects.requireNonNull(listener, "listener"));
    watch.last = currentValue(flagKey, context);
    valueWatches.add(watch);
    return () -> valueWatches.remove(watch);
  }

  private JsonValue currentValue(String key, EvaluationContext context) {
    CompiledFlag f = lookup(key);
    long r = evaluate(f, key, context);
    int v = Result.variation(r);
    return v >= 0 ? f.values[v] : JsonValue.NULL;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      store.close();
    } catch (RuntimeException e) {
      Log.LOG.log(Level.WARNING, "flag store failed to close cleanly", e);
    }
    events.shutdownNow();
    flags.clear();
    segments.clear();
  }

  // ---- the store feeds us ------------------------------------------------------------------

  @Override
  public void replaceAll(StoreSnapshot snapshot) {
    install(snapshot, true);
  }

  private void install(StoreSnapshot snapshot, boolean fromStore) {
    Set<String> changed = new HashSet<>();
    synchronized (sinkLock) {
      if (closed) {
        return;
      }
      Map<String, Flag> definitions = snapshot.flags(); // unmodifiable, read only here
      Map<String, String> problems = new HashMap<>(snapshot.malformedFlags());
      markCycles(definitions, problems);
      Map<String, CompiledFlag> next = new HashMap<>(definitions.size() * 2);
      for (Flag flag : definitions.values()) {
        if (!problems.containsKey(flag.key())) {
          next.put(flag.key(), compileSafely(flag, problems));
        }
      }
      problems.forEach((key, problem) -> next.put(key, CompiledFlag.malformed(key, problem)));

      boolean segmentsChanged = !sameSegments(snapshot.segments());
      for (Map.Entry<String, CompiledFlag> e : next.entrySet()) {
        CompiledFlag old = flags.get(e.getKey());
        if (old == null || !sameDefinition(old, e.getValue())) {
          changed.add(e.getKey());
        }
      }
      for (String key : flags.keySet()) {
        if (!next.containsKey(key)) {
          changed.add(key);
        }
      }
      Map<String, CompiledSegment> nextSegments = new HashMap<>();
      snapshot.segments().forEach((k, s) -> nextSegments.put(k, CompiledSegment.compile(s)));
      segments.putAll(nextSegments);
      segments.keySet().retainAll(nextSegments.keySet());
      flags.putAll(next);
      flags.keySet().retainAll(next.keySet());
      if (segmentsChanged) {
        changed.addAll(flags.keySet());
      }
      problems.forEach(this::reportMalformed);
    }
    if (fromStore) {
      announce(changed);
      events.execute(this::reportFlagsPastKillDate);
      // After announcing: a listener added once initialization is observed hears only later
      // changes.
      initialized.countDown();
    }
  }

  private boolean sameSegments(Map<String, Segment> next) {
    if (next.size() != segments.size()) {
      return false;
    }
    for (Map.Entry<String, Segment> e : next.entrySet()) {
      CompiledSegment old = segments.get(e.getKey());
      if (old == null || !old.definition.equals(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameDefinition(CompiledFlag a, CompiledFlag b) {
    return Objects.equals(a.definition, b.definition)
        && Objects.equals(a.malformedProblem, b.malformedProblem);
  }

  private CompiledFlag compileSafely(Flag flag, Map<String, String> problems) {
    try {
      return CompiledFlag.compile(flag);
    } catch (RuntimeException e) {
      String problem = "cannot compile: " + e;
      problems.put(flag.key(), problem);
      return CompiledFlag.malformed(flag.key(), problem);
    }
  }

  /** Marks every flag on a prerequisite cycle as malformed, so the cycle is reported, not run. */
  private static void markCycles(Map<String, Flag> definitions, Map<String, String> problems) {
    if (!anyPrerequisites(definitions)) {
      return; // the common case, spared a copy of every definition
    }
    Map<String, Flag> remaining = new HashMap<>(definitions);
    Optional<List<String>> cycle;
    while ((cycle = FlagSet.findPrerequisiteCycle(remaining)).isPresent()) {
      String text = "prerequisite cycle: " + String.join(" -> ", cycle.get());
      for (String key : cycle.get()) {
        problems.putIfAbsent(key, text);
        remaining.remove(key);
      }
    }
  }

  private static boolean anyPrerequisites(Map<String, Flag> definitions) {
    for (Flag f : definitions.values()) {
      if (!f.prerequisites().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void upsertFlag(Flag flag) {
    synchronized (sinkLock) {
      if (closed) {
        return;
      }
      Map<String, String> problems = new HashMap<>();
      if (!flag.prerequisites().isEmpty()) {
        // Only a flag with prerequisites can close a cycle; for the others (most flags) this skips
        // copying every definition on each single change.
        Map<String, Flag> definitions = currentDefinitions();
        definitions.put(flag.key(), flag);
        markCycles(definitions, problems);
      }
      CompiledFlag compiled =
          problems.containsKey(flag.key())
              ? CompiledFlag.malformed(flag.key(), problems.get(flag.key()))
              : compileSafely(flag, problems);
      CompiledFlag old = flags.put(flag.key(), compiled);
      if (compiled.isMalformed()) {
        reportMalformed(flag.key(), compiled.malformedProblem);
      }
      if (old != null && sameDefinition(old, compiled)) {
        return;
      }
    }
    announce(Set.of(flag.key()));
    events.execute(this::reportFlagsPastKillDate);
  }

  private Map<String, Flag> currentDefinitions() {
    Map<String, Flag> definitions = new HashMap<>();
    for (CompiledFlag f : flags.values()) {
      if (f.definition != null) {
        definitions.put(f.key, f.definition);
      }
    }
    return definitions;
  }

  @Override
  public void removeFlag(String flagKey) {
    CompiledFlag old;
    synchronized (sinkLock) {
      old = flags.remove(flagKey);
    }
    if (old != null) {
      announce(Set.of(flagKey));
    }
  }

  @Override
  public void upsertSegment(Segment segment) {
    synchronized (sinkLock) {
      if (closed) {
        return;
      }
      CompiledSegment old = segments.put(segment.key(), CompiledSegment.compile(segment));
      if (old != null && old.definition.equals(segment)) {
        return;
      }
    }
    announce(flagsUsingSegment(segment.key()));
  }

  @Override
  public void removeSegment(String segmentKey) {
    CompiledSegment old;
    synchronized (sinkLock) {
      old = segments.remove(segmentKey);
    }
    if (old != null) {
      announce(flagsUsingSegment(segmentKey));
    }
  }

  private Set<String> flagsUsingSegment(String segmentKey) {
    Set<String> keys = new HashSet<>();
    for (CompiledFlag f : flags.values()) {
      if (f.definition != null && usesSegment(f.definition, segmentKey)) {
        keys.add(f.key);
      }
    }
    return keys;
  }

  private static boolean usesSegment(Flag flag, String segmentKey) {
    JsonValue ref = JsonValue.of(segmentKey);
    for (Rule rule : flag.rules()) {
      for (Clause c : rule.clauses()) {
        if (c.operator().orElse(null) == Operator.SEGMENT_MATCH && c.values().contains(ref)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void malformedFlag(String flagKey, String problem) {
    synchronized (sinkLock) {
      if (closed) {
        return;
      }
      CompiledFlag old = flags.put(flagKey, CompiledFlag.malformed(flagKey, problem));
      reportMalformed(flagKey, problem);
      if (old != null && problem.equals(old.malformedProblem)) {
        return;
      }
    }
    announce(Set.of(flagKey));
  }

  @Override
  public void statusChanged(StoreStatus newStatus, String detail) {
    String text = detail == null ? "" : detail;
    synchronized (statusLock) { // one report at a time, so listeners hear them in order
      StoreStatus old = status;
      String oldText = statusDetail;
      statusDetail = text;
      status = newStatus;
      if (old != newStatus) {
        Level level = newStatus == StoreStatus.OK ? Level.INFO : Level.WARNING;
        Log.LOG.log(
            level,
            "flag store status " + old + " -> " + newStatus + (text.isEmpty() ? "" : ": " + text));
        dispatch(l -> l.onStatusChanged(newStatus));
      }
      if (newStatus != StoreStatus.OK
          && !text.isEmpty()
          && (old != newStatus || !text.equals(oldText))) {
        dispatch(l -> l.onStoreError(newStatus, text));
      }
    }
  }

  // ---- notifications -----------------------------------------------------------------------

  private void reportMalformed(String key, String problem) {
    if (reportedMalformed.add(key + '\0' + problem)) {
      Log.LOG.log(
          Level.WARNING,
          "flag \"" + key + "\" is malformed and serves callers' defaults: " + problem);
      dispatch(l -> l.onMalformedFlag(key, problem));
    }
  }

  private void reportFlagsPastKillDate() {
    for (Flag flag : flagsPastKillDate()) {
      if (reportedPastKillDate.add(
          flag.key() + '@' + flag.version() + '@' + flag.metadata().killDate().orElseThrow())) {
        Log.LOG.log(
            Level.WARNING,
            "flag \""
                + flag.key()
                + "\" is past its kill date "
                + flag.metadata().killDate().orElseThrow()
                + ": it still evaluates; remove it from the code");
        for (FlagListener l : listeners) {
          safely(() -> l.onPastKillDate(flag));
        }
      }
    }
  }

  private void announce(Set<String> changedKeys) {
    if (changedKeys.isEmpty() || closed) {
      return;
    }
    if (!listeners.isEmpty()) { // no need to sort the thousands of keys of a first load for no one
      List<String> keys = new ArrayList<>(changedKeys);
      keys.sort(null);
      dispatch(l -> keys.forEach(l::onFlagChanged));
    }
    if (!valueWatches.isEmpty()) {
      events.execute(() -> checkValueWatches(changedKeys));
    }
  }

  private void checkValueWatches(Set<String> changedKeys) {
    for (ValueWatch w : valueWatches) {
      if (!changedKeys.contains(w.flagKey) && !dependsOnAny(w.flagKey, changedKeys)) {
        continue;
      }
      JsonValue now = currentValue(w.flagKey, w.context);
      JsonValue before = w.last;
      if (!now.equals(before)) {
        w.last = now;
        safely(() -> w.listener.onValueChanged(w.flagKey, before, now));
      }
    }
  }

  /**
   * Whether a flag's value may depend on one of the changed flags through prerequisites, directly
   * or through a chain of them ({@code a -> b -> c}). The walk visits each flag once, so cycles end
   * it, and goes no deeper than {@link Evaluator#MAX_DEPTH}, beyond which evaluation fails anyway.
   */
  private boolean dependsOnAny(String key, Set<String> changed) {
    Set<String> visited = new HashSet<>();
    List<String> level = List.of(key);
    visited.add(key);
    for (int depth = 0; depth < Evaluator.MAX_DEPTH && !level.isEmpty(); depth++) {
      List<String> next = new ArrayList<>();
      for (String k : level) {
        CompiledFlag f = flags.get(k);
        if (f == null) {
          continue;
        }
        for (String p : f.prerequisiteKeys) {
          if (changed.contains(p)) {
            return true;
          }
          if (visited.add(p)) {
            next.add(p);
          }
        }
      }
      level = next;
    }
    return false;
  }

  private void dispatch(java.util.function.Consumer<FlagListener> call) {
    if (listeners.isEmpty() || closed) {
      return;
    }
    List<FlagListener> current =
        List.copyOf(listeners); // the listeners registered when it happened
    events.execute(
        () -> {
          for (FlagListener l : current) {
            safely(() -> call.accept(l));
          }
        });
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      Log.LOG.log(Level.WARNING, "flag listener failed", e);
    }
  }

  /** Forwards only the events about one flag, and none about the store. */
  private static final class OneFlagListener implements FlagListener {
    private final String flagKey;
    private final FlagListener delegate;

    OneFlagListener(String flagKey, FlagListener delegate) {
      this.flagKey = flagKey;
      this.delegate = Objects.requireNonNull(delegate, "listener");
    }

    @Override
    public void onFlagChanged(String key) {
      if (flagKey.equals(key)) {
        delegate.onFlagChanged(key);
      }
    }

    @Override
    public void onPastKillDate(Flag flag) {
      if (flagKey.equals(flag.key())) {
        delegate.onPastKillDate(flag);
      }
    }

    @Override
    public void onMalformedFlag(String key, String problem) {
      if (flagKey.equals(key)) {
        delegate.onMalformedFlag(key, problem);
      }
    }
  }

  /** A value-change registration; {@code last} is only touched on the events thread. */
  private static final class ValueWatch {
    final String flagKey;
    final EvaluationContext context;
    final ValueChangeListener listener;
    volatile JsonValue last;

    ValueWatch(String flagKey, EvaluationContext context, ValueChangeListener listener) {
      this.flagKey = flagKey;
      this.context = context;
      this.listener = listener;
    }
  }
}
