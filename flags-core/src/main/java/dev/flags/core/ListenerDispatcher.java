package dev.flags.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Everything the client tells its listeners, on its one event thread ({@code flags-events}): flag
 * changes, value changes of watched contexts, status changes and store errors, malformed flags and
 * flags past their kill date. Callers (the sink, the client) hand events over and return at once; a
 * listener that throws is logged and ignored. Thread-safe.
 */
final class ListenerDispatcher {
  private static final Duration KILL_DATE_CHECK_PERIOD = Duration.ofMinutes(1);

  /** What the dispatcher needs from the client. */
  interface Host {
    /** The flags and segments served now. */
    FlagSnapshot snapshot();

    /** The value {@code key} serves to {@code context} now; {@code null} JSON when none. */
    JsonValue currentValue(String key, EvaluationContext context);

    /** The flags past their kill date now. */
    List<Flag> flagsPastKillDate();
  }

  private final Host host;
  private final Duration killDateCheckPeriod;
  private final List<FlagListener> listeners = new CopyOnWriteArrayList<>();
  private final List<ValueWatch> valueWatches = new CopyOnWriteArrayList<>();
  private final Set<String> reportedPastKillDate = ConcurrentHashMap.newKeySet();
  private final Set<String> reportedMalformed = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService events;
  private volatile boolean closed;

  ListenerDispatcher(Host host) {
    this(host, KILL_DATE_CHECK_PERIOD);
  }

  /** With another period of the kill-date check: tests do not wait a minute. */
  ListenerDispatcher(Host host, Duration killDateCheckPeriod) {
    this.host = host;
    this.killDateCheckPeriod = killDateCheckPeriod;
    this.events =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "flags-events");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts the periodic check of kill dates. */
  void start() {
    // Nothing waits for the periodic task: it ends when the executor is shut down.
    var unused =
        events.scheduleAtFixedRate(
            this::checkKillDates,
            killDateCheckPeriod.toMillis(),
            killDateCheckPeriod.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /**
   * One run of the periodic kill-date check. It must not throw: a scheduled executor never runs a
   * task again once it has thrown, so one failure (a clock, a store, a logger) would end the check
   * for the life of the client.
   */
  private void checkKillDates() {
    try {
      reportFlagsPastKillDate();
    } catch (RuntimeException e) {
      ClientLog.LOG.log(Level.WARNING, "checking flags' kill dates failed; trying again later", e);
    }
  }

  void close() {
    closed = true;
    events.shutdownNow();
  }

  // ---- registration ------------------------------------------------------------------------

  Subscription addListener(FlagListener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  Subscription addListener(String flagKey, FlagListener listener) {
    return addListener(new OneFlagListener(Objects.requireNonNull(flagKey, "flagKey"), listener));
  }

  Subscription addValueChangeListener(
      String flagKey, EvaluationContext context, ValueChangeListener listener) {
    ValueWatch watch =
        new ValueWatch(
            Objects.requireNonNull(flagKey, "flagKey"),
            Objects.requireNonNull(context, "context"),
            Objects.requireNonNull(listener, "listener"));
    watch.last = host.currentValue(flagKey, context);
    valueWatches.add(watch);
    return () -> valueWatches.remove(watch);
  }

  // ---- events ------------------------------------------------------------------------------

  /** The definitions of these flags changed (or of segments they use). */
  void flagsChanged(Set<String> changedKeys) {
    if (changedKeys.isEmpty() || closed) {
      return;
    }
    if (!listeners.isEmpty()) { // no need to sort the thousands of keys of a first load for no one
      List<String> keys = new ArrayList<>(changedKeys);
      keys.sort(null);
      dispatch(l -> keys.forEach(l::onFlagChanged));
    }
    if (!valueWatches.isEmpty()) {
      execute(() -> checkValueWatches(changedKeys));
    }
  }

  /** Checks kill dates soon, on the event thread (after a change). */
  void checkKillDatesSoon() {
    execute(this::reportFlagsPastKillDate);
  }

  /** The store's status changed from {@code old}; logs it and tells the listeners. */
  void statusChanged(StoreStatus old, StoreStatus status, String detail) {
    Level level = status == StoreStatus.OK ? Level.INFO : Level.WARNING;
    ClientLog.LOG.log(
        level,
        "flag store status " + old + " -> " + status + (detail.isEmpty() ? "" : ": " + detail));
    dispatch(l -> l.onStatusChanged(status));
  }

  void storeError(StoreStatus status, String problem) {
    dispatch(l -> l.onStoreError(status, problem));
  }

  /** A flag is malformed: logged and announced once per key and problem. */
  void malformed(String key, String problem) {
    if (reportedMalformed.add(key + '\0' + problem)) {
      ClientLog.LOG.log(
          Level.WARNING,
          "flag \"" + key + "\" is malformed and serves callers' defaults: " + problem);
      dispatch(l -> l.onMalformedFlag(key, problem));
    }
  }

  private void reportFlagsPastKillDate() {
    for (Flag flag : host.flagsPastKillDate()) {
      if (reportedPastKillDate.add(
          flag.key() + '@' + flag.version() + '@' + flag.metadata().killDate().orElseThrow())) {
        ClientLog.LOG.log(
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

  private void checkValueWatches(Set<String> changedKeys) {
    for (ValueWatch w : valueWatches) {
      if (!changedKeys.contains(w.flagKey) && !dependsOnAny(w.flagKey, changedKeys)) {
        continue;
      }
      JsonValue now = host.currentValue(w.flagKey, w.context);
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
    FlagSnapshot snapshot = host.snapshot();
    Set<String> visited = new HashSet<>();
    List<String> level = List.of(key);
    visited.add(key);
    for (int depth = 0; depth < Evaluator.MAX_DEPTH && !level.isEmpty(); depth++) {
      List<String> next = new ArrayList<>();
      for (String k : level) {
        CompiledFlag f = snapshot.compiledFlag(k);
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

  private void dispatch(Consumer<FlagListener> call) {
    if (listeners.isEmpty() || closed) {
      return;
    }
    List<FlagListener> current = List.copyOf(listeners); // those registered when it happened
    execute(
        () -> {
          for (FlagListener l : current) {
            safely(() -> call.accept(l));
          }
        });
  }

  private void execute(Runnable task) {
    if (closed) {
      return;
    }
    try {
      events.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed meanwhile: nobody is listening any more
    }
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      ClientLog.LOG.log(Level.WARNING, "flag listener failed", e);
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
    volatile JsonValue last = JsonValue.NULL; // set when registered

    ValueWatch(String flagKey, EvaluationContext context, ValueChangeListener listener) {
      this.flagKey = flagKey;
      this.context = context;
      this.listener = listener;
    }
  }
}
