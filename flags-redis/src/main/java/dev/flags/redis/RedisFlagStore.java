package dev.flags.redis;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.flags.core.FlagSet;
import dev.flags.core.StoreStatus;
import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.MeasuredStore;
import dev.flags.core.spi.StoreMeasurement;
import dev.flags.core.spi.StoreSink;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link FlagStore} reading flags from Redis. It keeps a parsed replica of the flags in Redis (a
 * Caffeine cache) and pushes every change into the client, which evaluates from memory: an
 * evaluation never touches Redis, whatever Redis is doing.
 *
 * {@snippet :
 * RedisFlagStore store = RedisFlagStore.builder(RedisConnectionSettings.standalone("redis://localhost:6379"))
 *     .prefix("feature:")
 *     .snapshotFile(Path.of("/var/cache/myapp/flags.json"))
 *     .build();
 * Flags flags = Flags.builder().store(store).build(); // never blocks on Redis
 * }
 *
 * <p>How it stays current: a full load at start (flag keys missing from the index found with one
 * incremental {@code SCAN}, then the index, then sizes checked and values read in batches); a
 * pub/sub invalidation message for every write made through {@link RedisFlagAdmin}; keyspace
 * notifications for raw edits ({@code redis-cli SET feature:x false}) when the server has them on;
 * and, because pub/sub is at-most-once, a check of the version counter after every (re)subscription
 * and every {@link Builder#syncInterval sync interval}, reloading what changed and correcting any
 * value whose version differs from Redis's.
 *
 * <p>When Redis is down at start, the store serves the {@link Builder#snapshotFile snapshot file}
 * or the {@link Builder#bootstrap bootstrap} (else the client serves its own bootstrap or the
 * callers' defaults) and keeps connecting in the background with backoff. When Redis goes away
 * later, the last values are kept indefinitely, the status becomes {@link StoreStatus#STALE}, and
 * the store resynchronizes fully once Redis is back. When Redis comes back without the flags, the
 * status is {@link StoreStatus#DATA_LOST}, the last values are kept, and one instance writes them
 * back ({@link Builder#restoreAfterDataLoss}). One log line per state change.
 *
 * <p>Thread-safe. One store belongs to one client, which starts and closes it. It runs one worker
 * thread (connecting, loads, lookups, the periodic check), which begins connecting as soon as the
 * store is built, and one subscriber thread, which applies what it hears itself; the two make their
 * sink calls one at a time. During the first load, a third thread decodes batches while the worker
 * fetches the next.
 *
 * <p>As a {@link MeasuredStore}, it offers its status ({@code flags.store.status} with {@code
 * source=redis}) and the measurements named by the {@code METER_*} constants to a metrics binder
 * (flags-micrometer's {@code FlagMetrics.bind(store)}), without depending on one:
 *
 * {@snippet file="dev/flags/redis/JavadocExamplesTest.java" region="metrics"}
 */
public final class RedisFlagStore implements FlagStore, MeasuredStore {

  /** The key prefix by default: {@value}. */
  public static final String DEFAULT_PREFIX = RedisLayout.DEFAULT_PREFIX;

  /** The key prefix by default on a Redis Cluster, with a hash tag: {@value}. */
  public static final String DEFAULT_CLUSTER_PREFIX = RedisLayout.DEFAULT_CLUSTER_PREFIX;

  /** How often the version counter is compared by default: 30 seconds. */
  public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(30);

  /** How long a key found missing is remembered by default: 10 seconds. */
  public static final Duration DEFAULT_NEGATIVE_CACHE_TTL = Duration.ofSeconds(10);

  /** How many missing keys are remembered at most by default: {@value}. */
  public static final int DEFAULT_MAX_REMEMBERED_MISSES = 10_000;

  /** The largest flag or segment value read by default: {@value} bytes (1 MiB). */
  public static final long DEFAULT_MAX_VALUE_BYTES = 1L << 20;

  /** The longest wait between two reconnection attempts by default: 5 seconds. */
  public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(5);

  /** Gauge: entries in the replica (flags, malformed values, negative entries). */
  public static final String METER_CACHE_SIZE = "flags.cache.size";

  /** Gauge: valid flags in the replica. */
  public static final String METER_CACHE_FLAGS = "flags.cache.flags";

  /**
   * Counter: lookups of keys the client does not hold (unknown or mistyped keys) answered by the
   * replica, most often by a negative entry. Evaluations of known flags never reach the store, so
   * they are not counted: this is not an evaluation hit rate.
   */
  public static final String METER_CACHE_HITS = "flags.cache.hits";

  /** Counter: lookups of keys the client does not hold that went to Redis (in the background). */
  public static final String METER_CACHE_MISSES = "flags.cache.misses";

  /**
   * Time gauge: time since the replica was last known to match Redis, by the store's {@link
   * Builder#clock clock}; no value (NaN) before the first load.
   */
  public static final String METER_SYNC_AGE = "flags.store.sync.age";

  /**
   * Counter: invalidation messages and keyspace notifications received for a flag or a segment
   * (notifications of the store's internal keys are not counted).
   */
  public static final String METER_INVALIDATIONS = "flags.store.invalidations";

  /** Counter: reconnections after Redis was lost. */
  public static final String METER_RECONNECTS = "flags.store.reconnects";

  /**
   * Gauge: 1 when the server was seen with keyspace notifications on for string keys (raw edits are
   * seen at once), else 0 (they are seen at the next sync).
   */
  public static final String METER_KEYSPACE_NOTIFICATIONS = "flags.store.keyspace.notifications";

  // How the work is divided (package-private classes, each in its own file):
  // Synchronizer  the worker thread: connect and back-off, first load and resyncs, single-key
  //               reloads, messages, the periodic check, the snapshot file's schedule
  // Loader        what is read from Redis: full loads in batches, the counter, one key by script
  // Replica       the parsed copy of Redis and the diff pushed to the client; misses
  // Subscriber    the pub/sub thread and its connection; keyspace notification settings
  // Invalidation  the framing of a message on the changes channel
  // SnapshotFile  the last-known-good file
  // StatusMachine the status and its one log line per change
  private final RedisLayout layout;
  private final Clock clock;
  private final Replica replica;
  private final Synchronizer sync;
  private final AtomicBoolean started = new AtomicBoolean();
  private final List<StoreMeasurement> measurements;

  private RedisFlagStore(Builder b) {
    RedisConnectionSettings settings = b.settings;
    this.layout =
        new RedisLayout(
            b.prefix.orElse(
                settings.mode() == RedisConnectionSettings.Mode.CLUSTER
                    ? RedisLayout.DEFAULT_CLUSTER_PREFIX
                    : RedisLayout.DEFAULT_PREFIX));
    this.clock = b.clock;
    this.replica = new Replica(layout, b.ticker, b.negativeTtl, b.maxRememberedMisses);
    this.sync =
        new Synchronizer(
            settings,
            layout,
            replica,
            b.syncInterval.toMillis(),
            b.maxReconnectDelay.toMillis(),
            b.enableKeyspaceNotifications,
            b.snapshotFile.map(f -> new SnapshotFile(f, replica.codec())),
            b.bootstrap,
            b.auditMaxLength,
            b.maxValueBytes,
            b.adoptRawKeysAtStart,
            b.warmUpChangePath ? ChangePathWarmUp.DEFAULT_ROUNDS : 0,
            new DataLossGuard(
                layout,
                b.restoreAfterDataLoss,
                b.instanceName.orElseGet(RedisFlagStore::defaultInstanceName),
                b.auditMaxLength),
            b.clock);
    this.measurements = measurementsOf();
  }

  // Built once: a binder may hold them for the application's lifetime. Each reads one counter of
  // the replica or the worker, never Redis.
  private List<StoreMeasurement> measurementsOf() {
    return List.of(
        new StoreMeasurement(
            METER_CACHE_SIZE,
            StoreMeasurement.Type.GAUGE,
            "Entries in the Redis replica",
            replica::size),
        new StoreMeasurement(
            METER_CACHE_FLAGS,
            StoreMeasurement.Type.GAUGE,
            "Valid flags in the Redis replica",
            replica::flagCount),
        new StoreMeasurement(
            METER_CACHE_HITS,
            StoreMeasurement.Type.COUNTER,
            "Lookups of keys the client does not hold, answered by the replica (negative entries"
                + " included)",
            replica::hits),
        new StoreMeasurement(
            METER_CACHE_MISSES,
            StoreMeasurement.Type.COUNTER,
            "Lookups of keys the client does not hold that went to Redis",
            replica::misses),
        new StoreMeasurement(
            METER_INVALIDATIONS,
            StoreMeasurement.Type.COUNTER,
            "Invalidation messages and keyspace notifications received for flags and segments",
            sync::invalidations),
        new StoreMeasurement(
            METER_RECONNECTS,
            StoreMeasurement.Type.COUNTER,
            "Reconnections after Redis was lost",
            sync::reconnects),
        new StoreMeasurement(
            METER_SYNC_AGE,
            StoreMeasurement.Type.DURATION_MILLIS,
            "Time since the replica last matched Redis",
            () -> timeSinceLastSync().map(age -> (double) age.toMillis()).orElse(Double.NaN)),
        new StoreMeasurement(
            METER_KEYSPACE_NOTIFICATIONS,
            StoreMeasurement.Type.GAUGE,
            "1 when Redis sends keyspace notifications for string keys",
            () -> sync.keyspaceOn() ? 1 : 0));
  }

  /** The host name and process id: {@code host-1234}. */
  static String defaultInstanceName() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException | RuntimeException e) {
        host = "unknown-host";
      }
    }
    return host + "-" + ProcessHandle.current().pid();
  }

  /** Starts a builder for a store reading from {@code connection}. */
  public static Builder builder(RedisConnectionSettings connection) {
    return new Builder(connection);
  }

  /**
   * Starts loading in the background and returns at once.
   *
   * @throws IllegalStateException if the store was already started
   */
  @Override
  public void start(StoreSink sink) {
    Objects.requireNonNull(sink, "sink");
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("store already started");
    }
    if (sync.closed()) {
      throw new IllegalStateException("store closed");
    }
    sync.start(sink);
  }

  /**
   * Looks up a key the client does not have, in the background; a miss is remembered for the {@link
   * Builder#negativeCacheTtl negative TTL}, so a mistyped key costs one Redis read per TTL. Never
   * blocks.
   */
  @Override
  public void prefetch(String flagKey) {
    if (sync.closed() || flagKey == null || !RedisLayout.isValidFlagKey(flagKey)) {
      return;
    }
    if (replica.claimLookup(flagKey)) {
      sync.lookUp(flagKey); // queued until the pool is open, if it is not yet
    }
  }

  /** The store's status. */
  @Override
  public StoreStatus status() {
    return sync.status();
  }

  /** Counters and sizes, for health checks and metrics. */
  public RedisStoreStats stats() {
    return new RedisStoreStats(
        sync.status(),
        replica.size(),
        replica.flagCount(),
        replica.hits(),
        replica.misses(),
        sync.lastSync(),
        sync.invalidations(),
        sync.reconnects(),
        sync.keyspaceOn());
  }

  /** {@code "redis"}: the {@code source} tag of this store's status meter. */
  @Override
  public String metricsSource() {
    return "redis";
  }

  /** The meters named by the {@code METER_*} constants; the same list on every call. */
  @Override
  public List<StoreMeasurement> measurements() {
    return measurements;
  }

  /** The key prefix in use. */
  public String prefix() {
    return layout.prefix;
  }

  /** Time since {@link RedisStoreStats#lastSync()}, by this store's {@link Builder#clock clock}. */
  Optional<Duration> timeSinceLastSync() {
    return sync.lastSync().map(at -> Duration.between(at, clock.instant()));
  }

  /** For tests: the damaged data reported (see docs/redis.md), or "". */
  String problems() {
    return sync.problems();
  }

  /** For tests: whether the change path's warm-up has run to its end (or is off). */
  boolean changePathWarmedUp() {
    return sync.changePathWarmedUp();
  }

  /** For tests: reloads queued or running. */
  int pendingReloads() {
    return sync.pendingReloads();
  }

  /** Stops the worker and subscriber threads and closes every connection. Idempotent. */
  @Override
  public void close() {
    sync.close();
  }

  /**
   * Builds a {@link RedisFlagStore}; each setter checks its argument and names the option in its
   * error. Not thread-safe.
   */
  public static final class Builder {
    private final RedisConnectionSettings settings;
    private Optional<String> prefix = Optional.empty();
    private Duration syncInterval = DEFAULT_SYNC_INTERVAL;
    private Duration negativeTtl = DEFAULT_NEGATIVE_CACHE_TTL;
    private Duration maxReconnectDelay = DEFAULT_MAX_RECONNECT_DELAY;
    private boolean enableKeyspaceNotifications;
    private Optional<Path> snapshotFile = Optional.empty();
    private Optional<FlagSet> bootstrap = Optional.empty();
    private long auditMaxLength = RedisFlagAdmin.DEFAULT_AUDIT_MAX_LENGTH;
    private long maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
    private int maxRememberedMisses = DEFAULT_MAX_REMEMBERED_MISSES;
    private boolean adoptRawKeysAtStart = true;
    private boolean warmUpChangePath = true;
    private boolean restoreAfterDataLoss = true;
    private Optional<String> instanceName = Optional.empty();
    private Clock clock = Clock.systemUTC();
    private Ticker ticker = Ticker.systemTicker();

    private Builder(RedisConnectionSettings settings) {
      this.settings = Objects.requireNonNull(settings, "connection").checkComplete();
    }

    /**
     * The key prefix (default {@code "feature:"}, or {@code "{feature}:"} on a Cluster, where the
     * prefix must hold a hash tag). Lets several apps or environments share one Redis.
     */
    public Builder prefix(String prefix) {
      this.prefix =
          Optional.of(
              RedisLayout.checkPrefix(
                  prefix, settings.mode() == RedisConnectionSettings.Mode.CLUSTER));
      return this;
    }

    /** How often the version counter is compared (default {@link #DEFAULT_SYNC_INTERVAL}). */
    public Builder syncInterval(Duration interval) {
      this.syncInterval = positive("syncInterval", interval, Duration.ofMillis(10));
      return this;
    }

    /** How long a missing key is remembered (default {@link #DEFAULT_NEGATIVE_CACHE_TTL}). */
    public Builder negativeCacheTtl(Duration ttl) {
      this.negativeTtl = positive("negativeCacheTtl", ttl, Duration.ofMillis(1));
      return this;
    }

    /**
     * The longest pause between reconnection attempts (default {@link
     * #DEFAULT_MAX_RECONNECT_DELAY}).
     */
    public Builder maxReconnectDelay(Duration delay) {
      this.maxReconnectDelay = positive("maxReconnectDelay", delay, Duration.ofMillis(50));
      return this;
    }

    /**
     * Whether to turn keyspace notifications on with {@code CONFIG SET notify-keyspace-events}
     * (adding {@code K$gx} to what is set) — default {@code false}. Where CONFIG is not allowed
     * (most managed Redis), set the parameter in the provider's console instead.
     */
    public Builder enableKeyspaceNotifications(boolean enable) {
      this.enableKeyspaceNotifications = enable;
      return this;
    }

    /**
     * A last-known-good file: written (atomically, at most every half second) after changes, and
     * served when Redis is unreachable at start. On a read-only file system it is only read.
     */
    public Builder snapshotFile(Path file) {
      this.snapshotFile = Optional.of(Objects.requireNonNull(file, "snapshotFile"));
      return this;
    }

    /** Flags served when Redis is unreachable at start and there is no snapshot file. */
    public Builder bootstrap(FlagSet flags) {
      this.bootstrap = Optional.of(Objects.requireNonNull(flags, "bootstrap"));
      return this;
    }

    /** The approximate length the audit stream is trimmed to when this store records a raw edit. */
    public Builder auditMaxLength(long maxLength) {
      if (maxLength < 1) {
        throw new IllegalArgumentException("auditMaxLength: must be >= 1, got " + maxLength);
      }
      this.auditMaxLength = maxLength;
      return this;
    }

    /**
     * Whether the first load also finds flag keys that the index does not list — written the simple
     * way, {@code redis-cli SET feature:new_checkout_flow true} — so they serve their stored value
     * from the first evaluation (default {@code true}). It walks the keys under the prefix once,
     * with an incremental {@code SCAN … MATCH <prefix>* COUNT 1000} (never {@code KEYS}), on the
     * node holding the flags; docs/redis.md gives its cost. The keys found are then indexed and
     * audited like any raw edit. Turn it off when flags are only ever written through the SDK and
     * the database holds many other keys.
     */
    public Builder adoptRawKeysAtStart(boolean adopt) {
      this.adoptRawKeysAtStart = adopt;
      return this;
    }

    /**
     * Whether the store rehearses, once after the first load, the code a flag change runs through
     * (default {@code true}). A change is rare, so that code would otherwise run in the interpreter
     * for the life of most processes, and the JIT would compile it while changes are being applied,
     * in every process at once: with many instances on few cores, the first changes then arrive
     * later (docs/benchmarks.md, "Propagation between processes"). The rehearsal applies 1,000
     * changes to a shadow copy and a throwaway client on a thread of its own, after initialization
     * (about 0.5–0.6 s, 0.8–1 s of CPU with the JIT's), and runs the read script a raw edit runs at
     * most 500 times, for a key that holds nothing; it writes nothing and changes nothing any
     * evaluation or listener sees. Turn it off where start-up CPU matters more than how fast the
     * first changes arrive.
     */
    public Builder warmUpChangePath(boolean warmUp) {
      this.warmUpChangePath = warmUp;
      return this;
    }

    /**
     * Whether, when Redis comes back without the flags (restarted empty, flushed, failed over to an
     * empty replica), this instance may write the last known flags back (default {@code true}): one
     * instance of all, holding a lock, writes each one that is still missing, audited with its
     * {@link #instanceName} as actor. Either way the store keeps serving what it had and reports
     * {@link StoreStatus#DATA_LOST}. Deleting flags through {@link RedisFlagAdmin} is never taken
     * for a loss. See "When Redis loses the flags" in docs/redis.md.
     */
    public Builder restoreAfterDataLoss(boolean restore) {
      this.restoreAfterDataLoss = restore;
      return this;
    }

    /**
     * This instance's name, the actor of the audit entries of a restore (default: the host name and
     * the process id, {@code host-1234}).
     */
    public Builder instanceName(String name) {
      Objects.requireNonNull(name, "instanceName");
      if (name.isBlank() || name.length() > 200) {
        throw new IllegalArgumentException(
            "instanceName: must be 1 to 200 characters and not blank, got \"" + name + "\"");
      }
      this.instanceName = Optional.of(name);
      return this;
    }

    /**
     * How many unknown keys (asked for, not in Redis) are remembered at most (default {@link
     * #DEFAULT_MAX_REMEMBERED_MISSES}); beyond, a new unknown key is answered as missing without a
     * lookup until remembered misses expire ({@link #negativeCacheTtl}). Bounds the memory and the
     * Redis calls a flood of distinct unknown keys can cause.
     */
    public Builder maxRememberedMisses(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxRememberedMisses: must be >= 1, got " + max);
      }
      this.maxRememberedMisses = max;
      return this;
    }

    /**
     * The largest flag or segment value the store reads (default {@link #DEFAULT_MAX_VALUE_BYTES}):
     * a larger one is checked with {@code STRLEN} and never transferred, and that flag alone is
     * malformed (it serves callers' defaults). Far below the heap, so one value can never exhaust
     * it.
     */
    public Builder maxValueBytes(long bytes) {
      if (bytes < 1 || bytes > 512L << 20) {
        throw new IllegalArgumentException(
            "maxValueBytes: must be 1 to 536870912 (512 MiB, Redis's own limit), got " + bytes);
      }
      this.maxValueBytes = bytes;
      return this;
    }

    /**
     * The clock for {@link RedisStoreStats#lastSync()} and the {@link #METER_SYNC_AGE} gauge
     * (default: system UTC).
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** For tests: the time source of the negative-entry expiry. */
    Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * @return a store, not yet started (the client starts it); it begins opening its connection
     *     pool in the background at once, and {@link RedisFlagStore#close()} releases it
     */
    public RedisFlagStore build() {
      return new RedisFlagStore(this);
    }

    static Duration positive(String option, Duration d, Duration min) {
      Objects.requireNonNull(d, option);
      if (d.compareTo(min) < 0) {
        throw new IllegalArgumentException(option + ": must be at least " + min + ", got " + d);
      }
      return d;
    }
  }
}
