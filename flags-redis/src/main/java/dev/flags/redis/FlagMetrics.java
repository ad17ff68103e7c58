package dev.flags.redis;

import dev.flags.core.EvaluationHook;
import dev.flags.core.EvaluationReason;
import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer metrics for flags: an {@link EvaluationHook} counting evaluations by flag, variation
 * and reason, and gauges for a {@link Flags} client and a {@link RedisFlagStore}. Micrometer is an
 * optional dependency: only this class uses it.
 *
 * {@snippet file="dev/flags/redis/JavadocExamplesTest.java" region="metrics"}
 *
 * <p>Each counter is created on its first use and cached; afterwards an evaluation costs two array
 * reads, a map lookup and the counter increment, with no allocation. Thread-safe.
 */
public final class FlagMetrics implements EvaluationHook {

  /**
   * Counter of evaluations; tags {@code flag}, {@code variation} (index, or {@code default}),
   * {@code reason}.
   */
  public static final String EVALUATIONS = "flags.evaluations";

  /** Gauge: 1 for the store's current status, 0 for the others; tag {@code status}. */
  public static final String STORE_STATUS = "flags.store.status";

  /** Gauge: flags the client holds. */
  public static final String FLAGS = "flags.count";

  /** Gauge: entries in the Redis store's replica (flags, malformed values, negative entries). */
  public static final String CACHE_SIZE = "flags.cache.size";

  /**
   * Counter: lookups of keys the client does not hold (unknown or mistyped keys) answered by the
   * store's replica, most often by a negative entry. Evaluations of known flags never reach the
   * store, so they are not counted: this is not an evaluation hit rate.
   */
  public static final String CACHE_HITS = "flags.cache.hits";

  /** Counter: lookups of keys the client does not hold that went to Redis (in the background). */
  public static final String CACHE_MISSES = "flags.cache.misses";

  /** Time gauge: time since the replica was last known to match Redis, by the store's clock. */
  public static final String SYNC_AGE = "flags.store.sync.age";

  /**
   * Counter: invalidation messages and keyspace notifications received for a flag or a segment
   * (notifications of the store's internal keys are not counted).
   */
  public static final String INVALIDATIONS = "flags.store.invalidations";

  /** Counter: reconnections after Redis was lost. */
  public static final String RECONNECTS = "flags.store.reconnects";

  private static final EvaluationReason.Kind[] KINDS = EvaluationReason.Kind.values();

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, PerFlag> flags = new ConcurrentHashMap<>();
  // The last flag seen, compared by reference: callers pass the same key constant over and over.
  // Deliberately not volatile (a stale read only means a map lookup); PerFlag is safe to share
  // through a race: its key is final and its grid volatile.
  private PerFlag last;

  private FlagMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Metrics registered in {@code registry}. */
  public static FlagMetrics create(MeterRegistry registry) {
    return new FlagMetrics(Objects.requireNonNull(registry, "registry"));
  }

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
      Counter[] row = perFlag.counters[reason.ordinal()];
      int slot = variationIndex + 1;
      if (slot >= 0 && slot < row.length) {
        Counter c = row[slot];
        if (c != null) {
          c.increment();
          return;
        }
      }
    }
    counter(flagKey, variationIndex, reason).increment();
  }

  private Counter counter(String flagKey, int variationIndex, EvaluationReason.Kind reason) {
    PerFlag perFlag = flags.computeIfAbsent(flagKey, PerFlag::new);
    synchronized (perFlag) {
      int slot = Math.max(0, variationIndex + 1);
      Counter[][] grid = perFlag.counters;
      Counter[] row = grid[reason.ordinal()];
      if (slot < row.length && row[slot] != null) {
        return row[slot];
      }
      Counter c =
          Counter.builder(EVALUATIONS)
              .description("Flag evaluations")
              .tag("flag", flagKey)
              .tag("variation", variationIndex < 0 ? "default" : Integer.toString(variationIndex))
              .tag("reason", reason.name())
              .register(registry);
      Counter[][] copy = grid.clone();
      Counter[] newRow = java.util.Arrays.copyOf(row, Math.max(row.length, slot + 1));
      newRow[slot] = c;
      copy[reason.ordinal()] = newRow;
      perFlag.counters = copy; // published whole: readers see an old or a complete new grid
      return c;
    }
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

  /** Registers gauges and counters for a Redis store. */
  public FlagMetrics bind(RedisFlagStore store) {
    Objects.requireNonNull(store, "store");
    Gauge.builder(CACHE_SIZE, store, s -> s.stats().cacheSize())
        .description("Entries in the Redis replica")
        .register(registry);
    FunctionCounter.builder(CACHE_HITS, store, s -> s.stats().cacheHits())
        .description(
            "Lookups of keys the client does not hold, answered by the replica (negative entries included)")
        .register(registry);
    FunctionCounter.builder(CACHE_MISSES, store, s -> s.stats().cacheMisses())
        .description("Lookups of keys the client does not hold that went to Redis")
        .register(registry);
    FunctionCounter.builder(INVALIDATIONS, store, s -> s.stats().invalidationsReceived())
        .description(
            "Invalidation messages and keyspace notifications received for flags and segments")
        .register(registry);
    FunctionCounter.builder(RECONNECTS, store, s -> s.stats().reconnects())
        .description("Reconnections after Redis was lost")
        .register(registry);
    TimeGauge.builder(
            SYNC_AGE,
            store,
            TimeUnit.MILLISECONDS,
            s -> s.timeSinceLastSync().map(age -> (double) age.toMillis()).orElse(Double.NaN))
        .description("Time since the replica last matched Redis")
        .register(registry);
    for (StoreStatus st : StoreStatus.values()) {
      Gauge.builder(STORE_STATUS, store, s -> s.status() == st ? 1 : 0)
          .tag("status", st.name())
          .tag("source", "redis")
          .register(registry);
    }
    return this;
  }

  private static final class PerFlag {
    final String key;
    volatile Counter[][] counters = new Counter[KINDS.length][0];

    PerFlag(String key) {
      this.key = key;
    }
  }
}
