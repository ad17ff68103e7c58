package dev.flags.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.JsonValue;
import dev.flags.core.Segment;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.DefinitionKind;
import dev.flags.core.json.FlagCodec;
import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.StoreSink;
import dev.flags.core.spi.StoreSnapshot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A {@link FlagStore} reading flags from Redis. It keeps a parsed replica of the flags in Redis (a
 * Caffeine cache) and pushes every change into the client, which evaluates from memory: an
 * evaluation never touches Redis, whatever Redis is doing.
 *
 * {@snippet file="dev/flags/redis/JavadocExamplesTest.java" region="store"}
 *
 * <p>How it stays current: a full load at start (the index set, then MGET in batches); a pub/sub
 * invalidation message for every write made through {@link RedisFlagAdmin}; keyspace notifications
 * for raw edits ({@code redis-cli SET feature:x false}) when the server has them on; and, because
 * pub/sub is at-most-once, a check of the version counter after every (re)subscription and every
 * {@link Builder#syncInterval sync interval}, reloading what changed.
 *
 * <p>When Redis is down at start, the store serves the {@link Builder#snapshotFile snapshot file}
 * or the {@link Builder#bootstrap bootstrap} (else the client serves its own bootstrap or the
 * callers' defaults) and keeps connecting in the background with backoff. When Redis goes away
 * later, the last values are kept indefinitely, the status becomes {@link StoreStatus#STALE}, and
 * the store resynchronizes fully once Redis is back. One log line per state change.
 *
 * <p>Thread-safe. One store belongs to one client, which starts and closes it. It runs one worker
 * thread (all Redis reads and all sink calls, in order), which begins connecting as soon as the
 * store is built, and one subscriber thread; during the first load, a second thread decodes batches
 * while the worker fetches the next.
 */
public final class RedisFlagStore implements FlagStore {

  /** The key prefix by default: {@value}. */
  public static final String DEFAULT_PREFIX = RedisLayout.DEFAULT_PREFIX;

  /** The key prefix by default on a Redis Cluster, with a hash tag: {@value}. */
  public static final String DEFAULT_CLUSTER_PREFIX = RedisLayout.DEFAULT_CLUSTER_PREFIX;

  /** How often the version counter is compared by default: 30 seconds. */
  public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(30);

  /** How long a key found missing is remembered by default: 10 seconds. */
  public static final Duration DEFAULT_NEGATIVE_CACHE_TTL = Duration.ofSeconds(10);

  /** The longest wait between two reconnection attempts by default: 5 seconds. */
  public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(5);

  /**
   * The logger, looked up at its first use: in a fresh JVM the first {@code System.getLogger} call
   * initializes the logging backend (about 40 ms), which start-up need not wait for.
   */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(RedisFlagStore.class.getName());
  }

  private static final int MGET_BATCH = 500;
  private static final long INITIAL_BACKOFF_MS = 50;

  private final RedisConnectionSettings settings;
  private final RedisLayout layout;
  private final Duration syncInterval;
  private final Duration negativeTtl;
  private final Ticker ticker;
  private final long maxBackoffMs;
  private final boolean enableKeyspaceNotifications;
  private final Optional<Path> snapshotFile;
  private final Optional<FlagSet> bootstrap;
  private final long auditMaxLength;
  private final Clock clock;
  private final FlagCodec codec = FlagCodec.standard();
  private final Cache<String, CacheEntry> cache;
  private final ScheduledThreadPoolExecutor worker;
  private final Set<String> pendingKeys = ConcurrentHashMap.newKeySet();

  /**
   * Worker only: the Redis version each cached value is known to be at least (cache key → version).
   */
  private final Map<String, Long> knownVersions = new HashMap<>();

  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong invalidations = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  // Counted on callers' threads (prefetch of unknown keys): an adder does not contend.
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  private volatile StoreSink sink;
  private volatile RedisConnections connections;
  private volatile StoreStatus status = StoreStatus.INITIALIZING;
  private volatile Instant lastSync;
  private volatile boolean keyspaceOn;
  private volatile Thread subscriberThread;
  private volatile Connection subscriberConnection;
  private volatile JedisPubSub pubSub;

  // Worker-thread state: only the worker reads and writes these.
  private boolean loadedFromRedis;
  private boolean servingSomething;
  private boolean snapshotServed;
  private boolean loadOk;
  private boolean subscribed;
  private boolean subscribedBefore;
  private boolean reconnectPending;
  private long backoffMs = INITIAL_BACKOFF_MS;
  private long lastCounter = -1;
  private boolean snapshotWritePending;
  private boolean snapshotWritable = true;
  private boolean keyspaceWarned;
  private boolean scriptFallbackWarned;

  private RedisFlagStore(Builder b) {
    this.settings = b.settings;
    this.layout =
        new RedisLayout(
            b.prefix.orElse(
                settings.mode() == RedisConnectionSettings.Mode.CLUSTER
                    ? RedisLayout.DEFAULT_CLUSTER_PREFIX
                    : RedisLayout.DEFAULT_PREFIX));
    this.syncInterval = b.syncInterval;
    this.negativeTtl = b.negativeTtl;
    this.maxBackoffMs = b.maxReconnectDelay.toMillis();
    this.enableKeyspaceNotifications = b.enableKeyspaceNotifications;
    this.snapshotFile = b.snapshotFile;
    this.bootstrap = b.bootstrap;
    this.auditMaxLength = b.auditMaxLength;
    this.clock = b.clock;
    this.ticker = b.ticker;
    this.worker =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "flags-redis-store");
              t.setDaemon(true);
              return t;
            });
    worker.setRemoveOnCancelPolicy(true);
    worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    // Connecting (a plain connection for standalone, the pool for Sentinel and Cluster, which asks
    // the nodes for the topology) loads Jedis's classes: begun now, it overlaps the building of the
    // cache and the client instead of following start(). It reads only the fields assigned above.
    worker.execute(this::openEarly);
    // Unbounded and without expiry policies: flags stay until Redis says otherwise, and the one
    // kind of entry that expires, a miss, carries its own deadline (see prefetch). A bounded cache
    // would add a timer wheel and write buffers that a fresh JVM pays for on every put of the
    // first load, for nothing to evict.
    this.cache = Caffeine.newBuilder().build();
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
    if (closed.get()) {
      throw new IllegalStateException("store closed");
    }
    this.sink = sink;
    worker.execute(this::connect);
    long every = syncInterval.toMillis();
    worker.scheduleWithFixedDelay(this::syncCheck, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Looks up a key the client does not have, in the background; a miss is remembered for the {@link
   * Builder#negativeCacheTtl negative TTL}, so a mistyped key costs one Redis read per TTL. Never
   * blocks.
   */
  @Override
  public void prefetch(String flagKey) {
    if (closed.get() || flagKey == null || !RedisLayout.isValidFlagKey(flagKey)) {
      return;
    }
    CacheEntry known = cache.getIfPresent(flagKey);
    long now = ticker.read();
    if (known != null && !(known instanceof CacheEntry.Absent a && a.expired(now))) {
      hits.increment();
      return;
    }
    CacheEntry miss = absentUntil(now);
    boolean claimed =
        known == null
            ? cache.asMap().putIfAbsent(flagKey, miss) == null
            : cache.asMap().replace(flagKey, known, miss);
    if (claimed) { // one caller per expired miss looks again
      misses.increment();
      if (connections != null) {
        queueReload(flagKey);
      }
    }
  }

  private CacheEntry.Absent absentUntil(long now) {
    return new CacheEntry.Absent(now + negativeTtl.toNanos());
  }

  /** Forgets misses past their deadline, so keys looked up once do not pile up. */
  private void dropExpiredMisses() {
    long now = ticker.read();
    cache.asMap().values().removeIf(e -> e instanceof CacheEntry.Absent a && a.expired(now));
  }

  /** The store's status. */
  public StoreStatus status() {
    return status;
  }

  /** Counters and sizes, for health checks and metrics. */
  public RedisStoreStats stats() {
    long flags = 0;
    for (CacheEntry e : cache.asMap().values()) {
      if (e instanceof CacheEntry.Present) {
        flags++;
      }
    }
    return new RedisStoreStats(
        status,
        cache.estimatedSize(),
        flags,
        hits.sum(),
        misses.sum(),
        Optional.ofNullable(lastSync),
        invalidations.get(),
        reconnects.get(),
        keyspaceOn);
  }

  /** The key prefix in use. */
  public String prefix() {
    return layout.prefix;
  }

  /** Time since {@link RedisStoreStats#lastSync()}, by this store's {@link Builder#clock clock}. */
  Optional<Duration> timeSinceLastSync() {
    Instant at = lastSync;
    return at == null ? Optional.empty() : Optional.of(Duration.between(at, clock.instant()));
  }

  /** Stops the worker and subscriber threads and closes every connection. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    worker.shutdownNow();
    JedisPubSub ps = pubSub;
    if (ps != null) {
      try {
        ps.punsubscribe();
      } catch (RuntimeException e) {
        // The connection may already be gone; closing it below ends the subscriber either way.
      }
    }
    closeQuietly(subscriberConnection);
    Thread t = subscriberThread;
    if (t != null) {
      t.interrupt();
      join(t);
    }
    try {
      worker.awaitTermination(settings.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    RedisConnections c = connections;
    if (c != null) {
      c.close();
    }
    DirectReader d = direct;
    if (d != null) {
      d.close();
    }
  }

  // ---------------------------------------------------------------- worker thread

  /** Worker only: why opening at build time failed, until connect() reports it. */
  private RuntimeException earlyOpenFailure;

  /**
   * Worker only (and close(), once the worker has stopped): the plain connection a standalone
   * store's first load reads over, opened at build time; see {@link DirectReader}.
   */
  private DirectReader direct;

  private void openEarly() {
    if (closed.get()) {
      return;
    }
    try {
      if (settings.mode() == RedisConnectionSettings.Mode.STANDALONE) {
        direct = DirectReader.open(settings, "flags-redis-store");
        return;
      }
      RedisConnections opened = RedisConnections.open(settings, "flags-redis-store", 4, false);
      if (closed.get()) {
        opened.close();
        return;
      }
      connections = opened;
    } catch (RuntimeException e) {
      earlyOpenFailure = e;
    }
  }

  private void connect() {
    reconnectPending = false;
    if (closed.get()) {
      return;
    }
    try {
      boolean loaded = false;
      if (connections == null) {
        RuntimeException early = earlyOpenFailure;
        earlyOpenFailure = null;
        if (early != null) { // reported now that there is a sink; the next attempt opens again
          throw early;
        }
        loaded = firstLoadOverDirect();
        RedisConnections opened = RedisConnections.open(settings, "flags-redis-store", 4, false);
        if (closed.get()) { // close() ran while we were connecting: it could not see these
          opened.close();
          return;
        }
        connections = opened;
      }
      if (!loaded) {
        fullLoad(connections);
      }
      backoffMs = INITIAL_BACKOFF_MS;
      startSubscriber();
      updateStatus("loaded from " + connections.describe());
    } catch (RuntimeException e) {
      failure("cannot load flags from Redis (" + settings.mode() + " " + settings.nodes() + ")", e);
    }
  }

  /**
   * The first load, over the plain connection when there is one: the client is initialized before
   * the pool is opened. A failure here falls back to the pool, at the next attempt.
   */
  private boolean firstLoadOverDirect() {
    DirectReader d = direct;
    if (d == null) {
      return false;
    }
    direct = null;
    try (d) {
      fullLoadOnce(d);
      return true;
    }
  }

  private void syncCheck() {
    dropExpiredMisses();
    if (closed.get() || connections == null || reconnectPending) {
      return;
    }
    try {
      long counter = readCounter(connections);
      // Without keyspace notifications a raw SET moves no counter: re-read the values so such an
      // edit is served within one sync interval (only what changed reaches the client).
      if (counter != lastCounter || !loadOk || !keyspaceOn) {
        fullLoad(connections);
        updateStatus(keyspaceOn ? "reloaded: version counter changed" : "periodic reload");
      } else {
        lastSync = clock.instant();
      }
    } catch (RuntimeException e) {
      failure("version check failed", e);
    }
  }

  private void onSubscribed() {
    if (closed.get()) {
      return;
    }
    subscribed = true;
    boolean again = subscribedBefore;
    subscribedBefore = true;
    try {
      if (again) {
        reconnects.incrementAndGet();
        fullLoad(connections); // on recovery, a full resync: messages may have been lost meanwhile
      } else if (readCounter(connections) != lastCounter || !loadOk) {
        fullLoad(connections);
      }
      updateStatus("subscribed to invalidations on " + connections.describe());
    } catch (RuntimeException e) {
      failure("resync after subscribing failed", e);
    }
  }

  private void onSubscriberLost(RuntimeException e) {
    if (closed.get()) {
      return;
    }
    subscribed = false;
    updateStatus("lost the invalidation subscription (" + describe(e) + "); reconnecting");
  }

  private void failure(String what, RuntimeException e) {
    if (closed.get()) {
      return;
    }
    loadOk = false;
    if (e instanceof JedisConnectionException) {
      // The subscriber reads with no timeout, so a half-open connection (a partition, a frozen
      // server) would never fail on its own: make it reconnect, and resync when it does.
      closeQuietly(subscriberConnection);
    }
    if (!servingSomething) {
      serveFallback();
    }
    updateStatus(what + ": " + describe(e));
    if (!reconnectPending) {
      reconnectPending = true;
      long delay = backoffMs + ThreadLocalRandom.current().nextLong(backoffMs / 2 + 1);
      backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
      worker.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }
  }

  /** Computes the status from the worker's state; tells the sink and logs only on a change. */
  private void updateStatus(String detail) {
    StoreStatus next;
    if (loadOk && subscribed) {
      next = StoreStatus.OK;
    } else if (loadOk && !subscribedBefore) {
      return; // first load done, subscription on its way: still starting
    } else if (loadedFromRedis || snapshotServed) {
      next = StoreStatus.STALE;
    } else {
      next = StoreStatus.UNAVAILABLE;
    }
    if (next == status) {
      return;
    }
    status = next;
    Log.LOG.log(
        next == StoreStatus.OK ? Level.INFO : Level.WARNING, "flag store " + next + ": " + detail);
    sink.statusChanged(next, detail);
  }

  private void serveFallback() {
    if (snapshotFile.isPresent() && Files.isReadable(snapshotFile.get())) {
      try {
        StoreSnapshot snapshot = readSnapshot(snapshotFile.get());
        cache.invalidateAll();
        snapshot.flags().forEach((k, f) -> cache.put(k, new CacheEntry.Present(f, "")));
        snapshot
            .segments()
            .forEach(
                (k, seg) ->
                    cache.put(
                        CacheEntry.SEGMENT_KEY_PREFIX + k, new CacheEntry.PresentSegment(seg, "")));
        sink.replaceAll(snapshot);
        servingSomething = true;
        snapshotServed = true;
        Log.LOG.log(
            Level.WARNING,
            "Redis unreachable at start: serving "
                + snapshot.flags().size()
                + " flags from snapshot file "
                + snapshotFile.get());
        return;
      } catch (IOException | RuntimeException e) {
        Log.LOG.log(
            Level.WARNING, "cannot read snapshot file " + snapshotFile.get() + ": " + describe(e));
      }
    }
    if (bootstrap.isPresent()) {
      sink.replaceAll(StoreSnapshot.of(bootstrap.get()));
      servingSomething = true;
    }
  }

  private long readCounter(KeyReader reader) {
    String c = retryOnce(() -> reader.get(layout.counter));
    return c == null ? 0 : Long.parseLong(c);
  }

  /** Loads every indexed flag and segment and brings the replica and the client up to date. */
  /**
   * Runs a read again once when its pooled connection turned out dead (after a restart or
   * failover).
   */
  private static <T> T retryOnce(java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (JedisConnectionException e) {
      return read.get();
    }
  }

  private void fullLoad(KeyReader reader) {
    retryOnce(
        () -> {
          fullLoadOnce(reader);
          return null;
        });
  }

  private void fullLoadOnce(KeyReader reader) {
    long counter = readCounter(reader);
    loadedVersions.clear();
    if (loadedFromRedis) {
      reload(reader);
    } else {
      firstLoad(reader);
    }
    knownVersions.keySet().retainAll(loadedVersions.keySet());
    knownVersions.putAll(loadedVersions);
    loadedVersions.clear();
    lastCounter = counter;
    lastSync = clock.instant();
    loadOk = true;
  }

  /** Replaces whatever is served (nothing, a bootstrap or a snapshot file) with all of Redis. */
  private void firstLoad(KeyReader reader) {
    Map<String, String> flagValues;
    Map<String, CacheEntry> decoded;
    try (BatchDecoder decoder = new BatchDecoder(this::parse)) {
      flagValues = loadIndexed(reader, layout.index, layout::flagKey, decoder::submit);
      decoded = decoder.results();
    }
    Map<String, String> segmentValues =
        loadIndexed(reader, layout.segmentIndex, layout::segmentKey, batch -> {});
    Map<String, Flag> flags = new LinkedHashMap<>(flagValues.size() * 2);
    Map<String, Segment> segments = new LinkedHashMap<>();
    Map<String, String> malformed = new LinkedHashMap<>();
    cache.invalidateAll();
    new TreeMap<>(segmentValues)
        .forEach(
            (key, raw) -> {
              CacheEntry entry = parseSegment(key, raw);
              cache.put(CacheEntry.SEGMENT_KEY_PREFIX + key, entry);
              if (entry instanceof CacheEntry.PresentSegment p) {
                segments.put(key, p.segment());
              } else if (entry instanceof CacheEntry.Malformed m) {
                logMalformed("segment", layout.segmentKey(key), m.problem());
              }
            });
    String[] keys = flagValues.keySet().toArray(new String[0]);
    Arrays.sort(keys); // the snapshot, and the log of bad values, in key order
    for (String key : keys) {
      CacheEntry entry = decoded.get(key);
      cache.put(key, entry);
      if (entry instanceof CacheEntry.Present p) {
        flags.put(key, p.flag());
      } else if (entry instanceof CacheEntry.Malformed m) {
        malformed.put(key, m.problem());
        logMalformed("flag", layout.flagKey(key), m.problem());
      }
    }
    sink.replaceAll(new StoreSnapshot(flags, segments, malformed));
    loadedFromRedis = true;
    servingSomething = true;
    scheduleSnapshotWrite();
  }

  /**
   * Brings the replica and the client in line with all of Redis: only what changed reaches the
   * client.
   */
  private void reload(KeyReader reader) {
    Map<String, String> flagValues =
        loadIndexed(reader, layout.index, layout::flagKey, batch -> {});
    Map<String, String> segmentValues =
        loadIndexed(reader, layout.segmentIndex, layout::segmentKey, batch -> {});
    boolean changed = false;
    // Segments first, so a flag arriving with a new segment finds it.
    for (Map.Entry<String, String> e : segmentValues.entrySet()) {
      changed |= applySegment(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, String> e : flagValues.entrySet()) {
      changed |= apply(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, CacheEntry> e : Map.copyOf(cache.asMap()).entrySet()) {
      if (e.getValue() instanceof CacheEntry.Absent) {
        continue;
      }
      String k = e.getKey();
      if (k.startsWith(CacheEntry.SEGMENT_KEY_PREFIX)) {
        String segmentKey = k.substring(CacheEntry.SEGMENT_KEY_PREFIX.length());
        if (!segmentValues.containsKey(segmentKey)) {
          changed |= applySegment(segmentKey, null);
        }
      } else if (!flagValues.containsKey(k)) {
        changed |= apply(k, null);
      }
    }
    if (changed) {
      scheduleSnapshotWrite();
    }
  }

  /**
   * Reads the values of the indexed keys and of the keys the replica holds. A key the replica holds
   * that is missing from the index (someone deleted or trimmed the index) is put back in it, so a
   * damaged index never removes a flag that is still stored.
   */
  private final Map<String, Long> loadedVersions = new HashMap<>();

  private Map<String, String> loadIndexed(
      KeyReader reader,
      String indexKey,
      java.util.function.UnaryOperator<String> redisKey,
      java.util.function.Consumer<Map<String, String>> onBatch) {
    Set<String> indexed = reader.smembers(indexKey);
    Set<String> wanted = new java.util.LinkedHashSet<>(indexed);
    boolean segments = indexKey.equals(layout.segmentIndex);
    String versionsKey = segments ? layout.segmentVersions : layout.versions;
    String cachePrefix = segments ? CacheEntry.SEGMENT_KEY_PREFIX : "";
    for (Map.Entry<String, CacheEntry> e : cache.asMap().entrySet()) {
      String k = e.getKey();
      if (e.getValue() instanceof CacheEntry.Absent
          || k.startsWith(CacheEntry.SEGMENT_KEY_PREFIX) != segments) {
        continue;
      }
      wanted.add(segments ? k.substring(CacheEntry.SEGMENT_KEY_PREFIX.length()) : k);
    }
    List<String> keys = new ArrayList<>(wanted);
    List<String[]> fieldBatches = new ArrayList<>();
    List<String[]> keyBatches = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += MGET_BATCH) {
      String[] batch =
          keys.subList(from, Math.min(keys.size(), from + MGET_BATCH)).toArray(new String[0]);
      String[] redisKeys = new String[batch.length];
      for (int i = 0; i < batch.length; i++) {
        redisKeys[i] = redisKey.apply(batch[i]);
      }
      fieldBatches.add(batch);
      keyBatches.add(redisKeys);
    }
    Map<String, String> values = new HashMap<>(keys.size() * 2);
    List<String> unindexed = new ArrayList<>();
    // Versions before values, batch by batch: a version read first is at most the value's, so a
    // later message with a newer version is never ignored.
    reader.readBatches(
        versionsKey,
        fieldBatches,
        keyBatches,
        (b, versions, got) -> {
          String[] batch = fieldBatches.get(b);
          Map<String, String> batchValues = new HashMap<>(batch.length * 2);
          for (int i = 0; i < batch.length; i++) {
            String key = batch[i];
            if (got.get(i) != null && RedisLayout.isValidFlagKey(key)) {
              batchValues.put(key, got.get(i));
              long version = versions.get(i) == null ? 0L : Long.parseLong(versions.get(i));
              loadedVersions.put(segments ? cachePrefix + key : key, version);
              if (!indexed.contains(key)) {
                unindexed.add(key);
              }
            }
          }
          values.putAll(batchValues);
          onBatch.accept(batchValues);
        });
    if (!unindexed.isEmpty()) {
      Log.LOG.log(
          Level.WARNING,
          indexKey
              + " lacks "
              + unindexed.size()
              + " stored key(s) "
              + unindexed
              + ": adding them back");
      reader.sadd(indexKey, unindexed.toArray(String[]::new));
    }
    return values;
  }

  /** For tests: reloads queued or running. */
  int pendingReloads() {
    return pendingKeys.size() + runningReloads;
  }

  private volatile int runningReloads;

  private void queueReload(String key) {
    if (pendingKeys.add(key)) {
      try {
        worker.execute(() -> reloadKey(key));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        pendingKeys.remove(key); // closed
      }
    }
  }

  /** Reloads one flag, or a segment when {@code cacheKey} has the segment prefix. */
  private void reloadKey(String cacheKey) {
    runningReloads = 1;
    try {
      reloadKeyNow(cacheKey);
    } finally {
      runningReloads = 0;
    }
  }

  private void reloadKeyNow(String cacheKey) {
    pendingKeys.remove(cacheKey);
    if (closed.get() || connections == null) {
      return;
    }
    try {
      boolean changed;
      if (cacheKey.startsWith(CacheEntry.SEGMENT_KEY_PREFIX)) {
        String key = cacheKey.substring(CacheEntry.SEGMENT_KEY_PREFIX.length());
        changed = applySegment(key, readOne(cacheKey, "segment", key, layout.segmentKey(key)));
      } else {
        changed = apply(cacheKey, readOne(cacheKey, "flag", cacheKey, layout.flagKey(cacheKey)));
      }
      if (changed) {
        scheduleSnapshotWrite();
      }
    } catch (RuntimeException e) {
      failure("cannot reload " + cacheKey, e);
    }
  }

  /**
   * Reads one value through the script that also records a raw edit; plain GET where scripts are
   * denied.
   */
  private String readOne(String cacheKey, String kind, String key, String redisKey) {
    try {
      DefinitionKind k = kind.equals("segment") ? DefinitionKind.SEGMENT : DefinitionKind.FLAG;
      ReadScript.Result r =
          retryOnce(
              () ->
                  new ReadScript(layout, k, auditMaxLength)
                      .one(connections::evalScript, key, false));
      knownVersions.put(cacheKey, r.version());
      return r.value().orElse(null);
    } catch (JedisDataException e) {
      // A read-only replica or an ACL without EVAL/write rights: read plainly, audit nothing.
      if (!scriptFallbackWarned) {
        scriptFallbackWarned = true;
        Log.LOG.log(
            Level.WARNING,
            "cannot run the flag read script ("
                + describe(e)
                + "); reading flags with GET, raw edits will not be audited");
      }
      knownVersions.remove(cacheKey);
      return connections.jedis.get(redisKey);
    }
  }

  /**
   * Applies a value carried by an invalidation message, unless the replica already holds that
   * version or a newer one (a reload may have overtaken the message).
   */
  private void applyMessage(String cacheKey, long version, String raw) {
    if (closed.get()) {
      return;
    }
    Long known = knownVersions.get(cacheKey);
    if (known != null && known >= version) {
      return;
    }
    knownVersions.put(cacheKey, version);
    boolean changed =
        cacheKey.startsWith(CacheEntry.SEGMENT_KEY_PREFIX)
            ? applySegment(cacheKey.substring(CacheEntry.SEGMENT_KEY_PREFIX.length()), raw)
            : apply(cacheKey, raw);
    if (changed) {
      scheduleSnapshotWrite();
    }
  }

  /** Like {@link #apply} for a segment. A malformed segment is logged and removed. */
  private boolean applySegment(String key, String raw) {
    String cacheKey = CacheEntry.SEGMENT_KEY_PREFIX + key;
    CacheEntry old = cache.getIfPresent(cacheKey);
    boolean wasPresent = old instanceof CacheEntry.PresentSegment;
    if (raw == null) {
      cache.invalidate(cacheKey);
      if (wasPresent) {
        sink.removeSegment(key);
      }
      return wasPresent || old instanceof CacheEntry.Malformed;
    }
    if (old instanceof CacheEntry.PresentSegment p && p.raw().equals(raw)
        || old instanceof CacheEntry.Malformed m && m.raw().equals(raw)) {
      return false;
    }
    CacheEntry entry = parseSegment(key, raw);
    cache.put(cacheKey, entry);
    if (entry instanceof CacheEntry.PresentSegment p) {
      sink.upsertSegment(p.segment());
    } else if (entry instanceof CacheEntry.Malformed m) {
      logMalformed("segment", layout.segmentKey(key), m.problem());
      if (wasPresent) {
        sink.removeSegment(key);
      }
    }
    return true;
  }

  private CacheEntry parseSegment(String key, String raw) {
    try {
      return new CacheEntry.PresentSegment(codec.decodeSegment(key, raw), raw);
    } catch (RuntimeException e) {
      return new CacheEntry.Malformed(e.getMessage() == null ? e.toString() : e.getMessage(), raw);
    }
  }

  /**
   * Brings one key of the replica and the client in line with {@code raw} (null: absent).
   *
   * @return whether anything changed
   */
  private boolean apply(String key, String raw) {
    CacheEntry old = cache.getIfPresent(key);
    if (raw == null) {
      if (!(old instanceof CacheEntry.Absent)) {
        // A miss already remembered keeps its expiry: the negative TTL counts from the first miss.
        cache.put(key, absentUntil(ticker.read()));
      }
      if (old instanceof CacheEntry.Present || old instanceof CacheEntry.Malformed) {
        sink.removeFlag(key);
        return true;
      }
      return false;
    }
    if (old instanceof CacheEntry.Present p && p.raw().equals(raw)
        || old instanceof CacheEntry.Malformed m && m.raw().equals(raw)) {
      return false;
    }
    CacheEntry entry = parse(key, raw);
    cache.put(key, entry);
    if (entry instanceof CacheEntry.Present p) {
      sink.upsertFlag(p.flag());
    } else if (entry instanceof CacheEntry.Malformed m) {
      logMalformed("flag", layout.flagKey(key), m.problem());
      sink.malformedFlag(key, m.problem());
    }
    return true;
  }

  private CacheEntry parse(String key, String raw) {
    try {
      // The client finds flags by key on every evaluation. Callers pass literals, which are
      // interned: decoding with the interned key (the codec keeps the instance it is given) lets
      // that lookup succeed on a reference comparison, as it does for flags built in code, without
      // building and validating the flag a second time.
      return new CacheEntry.Present(codec.decodeFlag(key.intern(), raw), raw);
    } catch (RuntimeException e) {
      return new CacheEntry.Malformed(e.getMessage() == null ? e.toString() : e.getMessage(), raw);
    }
  }

  private void logMalformed(String kind, String redisKey, String problem) {
    // Called once per distinct bad value: apply() skips a value equal to the cached one.
    Log.LOG.log(
        Level.WARNING,
        kind
            + " "
            + redisKey
            + " in Redis is malformed, "
            + (kind.equals("flag") ? "serving defaults" : "ignored")
            + ": "
            + problem);
  }

  // ---------------------------------------------------------------- snapshot file

  private void scheduleSnapshotWrite() {
    if (snapshotFile.isEmpty() || !snapshotWritable || snapshotWritePending || closed.get()) {
      return;
    }
    snapshotWritePending = true;
    worker.schedule(this::writeSnapshot, 500, TimeUnit.MILLISECONDS);
  }

  private void writeSnapshot() {
    snapshotWritePending = false;
    Path file = snapshotFile.orElseThrow();
    StringBuilder flags = new StringBuilder();
    StringBuilder segments = new StringBuilder();
    for (Map.Entry<String, CacheEntry> e : new TreeMap<>(cache.asMap()).entrySet()) {
      if (e.getValue() instanceof CacheEntry.Present p) {
        flags
            .append(flags.length() == 0 ? "\n" : ",\n")
            .append("  \"")
            .append(e.getKey())
            .append("\": ")
            .append(codec.encode(p.flag()));
      } else if (e.getValue() instanceof CacheEntry.PresentSegment p) {
        segments
            .append(segments.length() == 0 ? "\n" : ",\n")
            .append("  \"")
            .append(p.segment().key())
            .append("\": ")
            .append(codec.encode(p.segment()));
      }
    }
    String sb = "{\"flags\": {" + flags + "\n},\n\"segments\": {" + segments + "\n}}\n";
    try {
      Path dir = file.toAbsolutePath().getParent();
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      try {
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException | RuntimeException e) {
      // A read-only file system is a supported set-up: stop trying, say so once.
      snapshotWritable = false;
      Log.LOG.log(
          Level.WARNING,
          "cannot write flag snapshot file "
              + file
              + " ("
              + describe(e)
              + "); not writing it again");
    }
  }

  private StoreSnapshot readSnapshot(Path file) throws IOException {
    JsonValue doc = codec.parse(Files.readString(file, StandardCharsets.UTF_8));
    if (!(doc instanceof JsonValue.Obj root)
        || !(root.members().get("flags") instanceof JsonValue.Obj entries)) {
      throw new IOException(
          "not a flag snapshot: expected {\"flags\": {...}, \"segments\": {...}}");
    }
    Map<String, Flag> flags = new LinkedHashMap<>();
    for (Map.Entry<String, JsonValue> e : entries.members().entrySet()) {
      try {
        flags.put(e.getKey(), codec.decodeFlag(e.getKey(), codec.write(e.getValue())));
      } catch (RuntimeException bad) {
        Log.LOG.log(
            Level.WARNING,
            "snapshot file " + file + ": skipping flag " + e.getKey() + ": " + describe(bad));
      }
    }
    Map<String, Segment> segments = new LinkedHashMap<>();
    if (root.members().get("segments") instanceof JsonValue.Obj segs) {
      for (Map.Entry<String, JsonValue> e : segs.members().entrySet()) {
        try {
          segments.put(e.getKey(), codec.decodeSegment(e.getKey(), codec.write(e.getValue())));
        } catch (RuntimeException bad) {
          Log.LOG.log(
              Level.WARNING,
              "snapshot file " + file + ": skipping segment " + e.getKey() + ": " + describe(bad));
        }
      }
    }
    return new StoreSnapshot(flags, segments, Map.of());
  }

  // ---------------------------------------------------------------- subscriber thread

  private void startSubscriber() {
    if (subscriberThread != null || closed.get()) {
      return;
    }
    Thread t = new Thread(this::subscribeLoop, "flags-redis-subscriber");
    t.setDaemon(true);
    subscriberThread = t;
    t.start();
  }

  private void subscribeLoop() {
    long backoff = INITIAL_BACKOFF_MS;
    while (!closed.get()) {
      Connection c = null;
      try {
        c = connections.openDedicated(layout.index);
        subscriberConnection = c;
        if (closed.get()) {
          break;
        }
        keyspaceOn = configureKeyspaceNotifications(c);
        Listener listener = new Listener();
        pubSub = listener;
        listener.proceedWithPatterns(
            c, layout.channelPattern(), layout.keyspacePattern(settings.database()));
        backoff = INITIAL_BACKOFF_MS;
      } catch (RuntimeException e) {
        if (closed.get()) {
          break;
        }
        backoff = Math.min(backoff * 2, maxBackoffMs);
        try {
          worker.execute(() -> onSubscriberLost(e));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
          break;
        }
      } finally {
        pubSub = null;
        subscriberConnection = null;
        closeQuietly(c);
      }
      if (closed.get()) {
        break;
      }
      try {
        // A pause between attempts, not a wait for a condition: the server is away.
        Thread.sleep(backoff + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  /**
   * Reads (and, if asked, turns on) keyspace notifications; returns whether flag writes will be
   * seen.
   */
  private boolean configureKeyspaceNotifications(Connection c) {
    try {
      String current = configGet(c);
      if (enableKeyspaceNotifications && !covers(current)) {
        StringBuilder wanted = new StringBuilder(current);
        for (char ch : new char[] {'K', '$', 'g', 'x'}) {
          if (wanted.indexOf(String.valueOf(ch)) < 0 && !(ch != 'K' && wanted.indexOf("A") >= 0)) {
            wanted.append(ch);
          }
        }
        c.sendCommand(Protocol.Command.CONFIG, "SET", "notify-keyspace-events", wanted.toString());
        c.getStatusCodeReply();
        current = configGet(c);
      }
      boolean on = covers(current);
      if (!on && !keyspaceWarned) {
        keyspaceWarned = true;
        Log.LOG.log(
            Level.INFO,
            "keyspace notifications are off on "
                + connections.describe()
                + " (notify-keyspace-events=\""
                + current
                + "\"): raw edits of flag keys are seen at the next periodic sync; see docs/redis.md");
      }
      return on;
    } catch (JedisDataException e) {
      if (!keyspaceWarned) {
        keyspaceWarned = true;
        Log.LOG.log(
            Level.INFO,
            "cannot read or set notify-keyspace-events ("
                + describe(e)
                + "); listening anyway. On managed Redis, set it in the provider's parameter group; see docs/redis.md");
      }
      return false;
    }
  }

  private static String configGet(Connection c) {
    c.sendCommand(Protocol.Command.CONFIG, "GET", "notify-keyspace-events");
    List<String> reply = c.getMultiBulkReply();
    return reply.size() >= 2 ? reply.get(1) : "";
  }

  private static boolean covers(String flags) {
    return flags.indexOf('K') >= 0 && (flags.indexOf('$') >= 0 || flags.indexOf('A') >= 0);
  }

  private final class Listener extends JedisPubSub {
    @Override
    public void onPSubscribe(String pattern, int subscribedChannels) {
      if (subscribedChannels == 2) {
        worker.execute(RedisFlagStore.this::onSubscribed);
      }
    }

    @Override
    public void onPMessage(String pattern, String channel, String message) {
      // Counted only when it concerns a flag or a segment: the keyspace pattern also matches the
      // internal keys (#index, #counter, #audit…), which every write touches.
      if (channel.equals(layout.channel)) {
        if (onInvalidation(message)) {
          invalidations.incrementAndGet();
        }
      } else {
        int at = channel.indexOf("__:");
        if (at >= 0) {
          String redisKey = channel.substring(at + 3);
          Optional<String> flag = layout.flagKeyOf(redisKey);
          Optional<String> cacheKey =
              flag.isPresent()
                  ? flag
                  : layout.segmentKeyOf(redisKey).map(k -> CacheEntry.SEGMENT_KEY_PREFIX + k);
          if (cacheKey.isPresent()) {
            invalidations.incrementAndGet();
            queueReload(cacheKey.get());
          }
        }
      }
    }
  }

  /**
   * Handles {@code key} or {@code key\nversion\nvalue} (see {@link Scripts}).
   *
   * @return whether the message names a flag or a segment
   */
  private boolean onInvalidation(String message) {
    int nl = message.indexOf('\n');
    String name = nl < 0 ? message : message.substring(0, nl);
    String cacheKey;
    if (name.startsWith(RedisLayout.SEGMENT_MESSAGE_PREFIX)) {
      String key = name.substring(RedisLayout.SEGMENT_MESSAGE_PREFIX.length());
      if (!RedisLayout.isValidFlagKey(key)) {
        return false;
      }
      cacheKey = CacheEntry.SEGMENT_KEY_PREFIX + key;
    } else if (RedisLayout.isValidFlagKey(name)) {
      cacheKey = name;
    } else {
      return false;
    }
    int nl2 = nl < 0 ? -1 : message.indexOf('\n', nl + 1);
    if (nl2 < 0) {
      queueReload(cacheKey);
      return true;
    }
    long version;
    try {
      version = Long.parseLong(message.substring(nl + 1, nl2));
    } catch (NumberFormatException e) {
      queueReload(cacheKey);
      return true;
    }
    String raw = message.substring(nl2 + 1);
    try {
      worker.execute(() -> applyMessage(cacheKey, version, raw));
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // Closed meanwhile.
    }
    return true;
  }

  // ---------------------------------------------------------------- helpers

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (RuntimeException e) {
        // Already broken; nothing to release.
      }
    }
  }

  private static void join(Thread t) {
    try {
      t.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
     * The clock for {@link RedisStoreStats#lastSync()} and the {@link FlagMetrics#SYNC_AGE} gauge
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
