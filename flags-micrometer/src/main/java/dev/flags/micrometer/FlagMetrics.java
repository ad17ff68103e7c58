package dev.flags.micrometer;

import dev.flags.core.EvaluationHook;
import dev.flags.core.EvaluationReason;
import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import dev.flags.core.spi.MeasuredStore;
import dev.flags.core.spi.StoreMeasurement;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer metrics for flags, whatever the store: an {@link EvaluationHook} counting evaluations
 * by flag, variation and reason, gauges for a {@link Flags} client, and the meters a store offers
 * through {@link MeasuredStore} (the Redis store's replica size, sync age, reconnects…).
 *
 * {@snippet file="dev/flags/micrometer/JavadocExamplesTest.java" region="metrics"}
 *
 * <p>Each counter is created on its first use and cached; afterwards an evaluation costs two array
 * reads, a map lookup and the counter increment, with no allocation. At most {@link
 * #DEFAULT_MAX_FLAGS} flag keys (or the number given to {@link #create(MeterRegistry, int)}) get a
 * {@code flag} tag of their own; evaluations of further keys — most often unknown keys taken from
 * user input — are counted with {@code flag="_other"}, so a caller cannot grow the registry without
 * bound. Thread-safe; create one per registry.
 */
public final class FlagMetrics implements EvaluationHook {

  /**
   * Counter of evaluations; tags {@code flag}, {@code variation} (index, or {@code default}),
   * {@code reason}.
   */
  public static final String EVALUATIONS = "flags.evaluations";

  /**
   * Gauge: 1 for the current status, 0 for the others; tags {@code status} and {@code source}
   * ({@code client}, or the store's {@link MeasuredStore#metricsSource()}).
   */
  public static final String STORE_STATUS = "flags.store.status";

  /** Gauge: flags the client holds. */
  public static final String FLAGS = "flags.count";

  /** The {@code flag} tag of evaluations of keys beyond the limit of tagged flags. */
  public static final String OTHER_FLAGS = "_other";

  /** Flag keys that get a {@code flag} tag of their own, by default. */
  public static final int DEFAULT_MAX_FLAGS = 1_000;

  private static final EvaluationReason.Kind[] KINDS = EvaluationReason.Kind.values();

  private final MeterRegistry registry;
  private final int maxFlags;
  private final ConcurrentHashMap<String, PerFlag> flags = new ConcurrentHashMap<>();
  private final PerFlag other = new PerFlag(OTHER_FLAGS);
  // Micrometer holds function meters' objects weakly; the readers of bound stores are held here,
  // so their meters keep reading as long as this hook lives (the application's lifetime).
  private final List<DoubleSupplier> readers = new CopyOnWriteArrayList<>();
  // The last flag seen, compared by reference: callers pass the same key constant over and over.
  // Deliberately not volatile (a stale read only means a map lookup); PerFlag is safe to share
  // through a race: its key is final and its grid volatile.
  private @Nullable PerFlag last;

  private FlagMetrics(MeterRegistry registry, int maxFlags) {
    this.registry = registry;
    this.maxFlags = maxFlags;
  }

  /**
   * Metrics registered in {@code registry}, with at most {@link #DEFAULT_MAX_FLAGS} tagged flags.
   */
  public static FlagMetrics create(MeterRegistry registry) {
    return create(registry, DEFAULT_MAX_FLAGS);
  }

  /**
   * Metrics registered in {@code registry}, with at most {@code maxFlags} flag keys tagged by name
   * (the others count as {@link #OTHER_FLAGS}).
   *
   * @throws IllegalArgumentException if {@code maxFlags} is negative
   */
  public static FlagMetrics create(MeterRegistry registry, int maxFlags) {
    Objects.requireNonNull(registry, "registry");
    if (maxFlags < 0) {
      throw new IllegalArgumentException("maxFlags must be 0 or more: " + maxFlags);
    }
    return new FlagMetrics(registry, maxFlags);
  }

  // A reference comparison first: flag keys are usually the same literal each call; the map lookup
  // below compares by value.
  @SuppressWarnings("ReferenceEquality")
  @Override
  public void onEvaluation(String flagKey, int variationIndex, EvaluationReason.Kind reason) {
    PerFlag perFlag = last;
    if (perFlag == null || perFlag.key != flagKey) {
      perFlag = flags.get(flagKey);
      if (perFlag != null) {
        last = perFlag;
      }
    }
    if (perFlag != null) {
      Counter c = perFlag.cached(variationIndex, reason);
      if (c != null) {
        c.increment();
        return;
      }
    }
    counter(flagKey, variationIndex, reason).increment();
  }

  private Counter counter(String flagKey, int variationIndex, EvaluationReason.Kind reason) {
    PerFlag perFlag = flags.get(flagKey);
    if (perFlag == null) {
      // Racy size check: a few more than maxFlags may slip in under contention, never unbounded.
      perFlag = flags.size() < maxFlags ? flags.computeIfAbsent(flagKey, PerFlag::new) : other;
    }
    Counter cached = perFlag.cached(variationIndex, reason);
    return cached != null ? cached : perFlag.create(registry, variationIndex, reason);
  }

  /** Registers gauges for a client: its status and its number of flags. */
  public FlagMetrics bind(Flags client) {
    Objects.requireNonNull(client, "client");
    for (StoreStatus s : StoreStatus.values()) {
      Gauge.builder(STORE_STATUS, client, c -> c.status() == s ? 1 : 0)
          .description("1 for the flag store's current status")
          .tag("status", s.name())
          .tag("source", "client")
          .register(registry);
    }
    Gauge.builder(FLAGS, client, c -> c.allFlags().size())
        .description("Flags held")
        .register(registry);
    return this;
  }

  /**
   * Registers a store's own meters: its status (tagged with its {@link
   * MeasuredStore#metricsSource() source}) and each of its {@link MeasuredStore#measurements()
   * measurements}, as a gauge, a function counter or a time gauge by its type.
   */
  public FlagMetrics bind(MeasuredStore store) {
    Objects.requireNonNull(store, "store");
    String source = store.metricsSource();
    for (StoreStatus st : StoreStatus.values()) {
      Gauge.builder(STORE_STATUS, store, s -> s.status() == st ? 1 : 0)
          .description("1 for the flag store's current status")
          .tag("status", st.name())
          .tag("source", source)
          .register(registry);
    }
    for (StoreMeasurement m : store.measurements()) {
      DoubleSupplier reader = m.value();
      readers.add(reader);
      switch (m.type()) {
        case GAUGE ->
            Gauge.builder(m.name(), reader, DoubleSupplier::getAsDouble)
                .description(m.description())
                .register(registry);
        case COUNTER ->
            FunctionCounter.builder(m.name(), reader, DoubleSupplier::getAsDouble)
                .description(m.description())
                .register(registry);
        case DURATION_MILLIS ->
            TimeGauge.builder(m.name(), reader, TimeUnit.MILLISECONDS, DoubleSupplier::getAsDouble)
                .description(m.description())
                .register(registry);
      }
    }
    return this;
  }

  // Counters are indexed by the reason's ordinal within this process only (never stored).
  @SuppressWarnings("EnumOrdinal")
  private static final class PerFlag {
    final String key;
    volatile @Nullable Counter[][] counters = new @Nullable Counter[KINDS.length][0];

    PerFlag(String key) {
      this.key = key;
    }

    @Nullable Counter cached(int variationIndex, EvaluationReason.Kind reason) {
      @Nullable Counter[] row = counters[reason.ordinal()];
      int slot = variationIndex + 1;
      return slot >= 0 && slot < row.length ? row[slot] : null;
    }

    synchronized Counter create(
        MeterRegistry registry, int variationIndex, EvaluationReason.Kind reason) {
      int slot = Math.max(0, variationIndex + 1);
      @Nullable Counter[][] grid = counters;
      @Nullable Counter[] row = grid[reason.ordinal()];
      if (slot < row.length && row[slot] != null) {
        return row[slot];
      }
      Counter c =
          Counter.builder(EVALUATIONS)
              .description("Flag evaluations")
              .tag("flag", key)
              .tag("variation", variationIndex < 0 ? "default" : Integer.toString(variationIndex))
              .tag("reason", reason.name())
              .register(registry);
      @Nullable Counter[][] copy = grid.clone();
      @Nullable Counter[] newRow = Arrays.copyOf(row, Math.max(row.length, slot + 1));
      newRow[slot] = c;
      copy[reason.ordinal()] = newRow;
      counters = copy; // published whole: readers see an old or a complete new grid
      return c;
    }
  }
}
