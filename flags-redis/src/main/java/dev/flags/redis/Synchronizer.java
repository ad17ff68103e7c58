package dev.flags.redis;

import dev.flags.core.FlagSet;
import dev.flags.core.StoreStatus;
import dev.flags.core.spi.StoreSink;
import dev.flags.core.spi.StoreSnapshot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The store's worker: connects (and reconnects with backoff), runs the first load and every resync,
 * looks up keys the client asked for, schedules the periodic version check and the snapshot file,
 * and keeps the status, all on its one thread. As {@link Subscriber.Events}, it also applies what
 * the subscriber hears (messages, notified keys), on the subscriber's thread: the {@link Replica}
 * makes the two threads' changes one at a time.
 *
 * <p>Thread-safe.
 */
final class Synchronizer implements Subscriber.Events {

  private static final long INITIAL_BACKOFF_MS = 50;

  /** More keys notified at once than this are reloaded by the worker instead. */
  private static final int MAX_KEYS_READ_BY_SUBSCRIBER = 64;

  /** Keys read per lookup call (see {@link #lookUp}). */
  static final int LOOKUP_BATCH = 500;

  /** The pause between two lookup calls while more are queued. */
  static final long LOOKUP_PAUSE_MS = 20;

  /** Lookups queued at most; beyond, a key counts as missing until its remembered miss expires. */
  static final int MAX_QUEUED_LOOKUPS = 10_000;

  private final RedisConnectionSettings settings;
  private final RedisLayout layout;
  private final long syncIntervalMs;
  private final long maxBackoffMs;
  private final Optional<SnapshotFile> snapshotFile;
  private final Optional<FlagSet> bootstrap;
  private final Clock clock;
  private final Replica replica;
  private final Loader loader;
  private final Problems problems = new Problems();
  private final DataLossGuard guard;
  private final StatusMachine status = new StatusMachine(problems);
  private final Subscriber subscriber;
  private final ScheduledThreadPoolExecutor worker;
  private final Set<String> pendingKeys = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong invalidations = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicBoolean snapshotWritePending = new AtomicBoolean();
  private final ConcurrentLinkedQueue<String> lookups = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queuedLookups = new AtomicInteger();
  private final AtomicBoolean lookupScheduled = new AtomicBoolean();
  private final int warmUpRounds;
  private final AtomicBoolean warmUpStarted = new AtomicBoolean();
  private volatile boolean warmUpOver;

  private volatile @Nullable RedisConnections connections;
  private volatile @Nullable Instant lastSync;
  private volatile int runningReloads;

  // Worker-thread state: only the worker reads and writes these.
  private boolean servingSomething;
  private boolean reconnectPending;
  private boolean snapshotUnreadableLogged;
  private boolean dataLossRecheckPending;
  private long backoffMs = INITIAL_BACKOFF_MS;

  /** Worker only: why opening at build time failed, until connect() reports it. */
  private @Nullable RuntimeException earlyOpenFailure;

  /**
   * Worker only (and close(), once the worker has stopped): the plain connection a standalone
   * store's first load reads over, opened at build time; see {@link DirectReader}.
   */
  private @Nullable DirectReader direct;

  Synchronizer(
      RedisConnectionSettings settings,
      RedisLayout layout,
      Replica replica,
      long syncIntervalMs,
      long maxBackoffMs,
      boolean enableKeyspaceNotifications,
      Optional<SnapshotFile> snapshotFile,
      Optional<FlagSet> bootstrap,
      long auditMaxLength,
      long maxValueBytes,
      boolean adoptRawKeys,
      int warmUpRounds,
      DataLossGuard guard,
      Clock clock) {
    this.guard = guard;
    this.warmUpRounds = warmUpRounds;
    this.settings = settings;
    this.layout = layout;
    this.replica = replica;
    this.syncIntervalMs = syncIntervalMs;
    this.maxBackoffMs = maxBackoffMs;
    this.snapshotFile = snapshotFile;
    this.bootstrap = bootstrap;
    this.clock = clock;
    this.loader =
        new Loader(layout, replica, auditMaxLength, maxValueBytes, adoptRawKeys, problems);

    this.subscriber =
        new Subscriber(
            layout,
            settings.database(),
            enableKeyspaceNotifications,
            maxBackoffMs,
            () -> connections,
            this);
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
    // A damaged internal key found or repaired: the status detail says so, whatever the status.
    problems.onChange(
        () -> {
          try {
            worker.execute(() -> status.update("the data in Redis changed"));
          } catch (RejectedExecutionException closing) {
            // Closed meanwhile.
          }
        });
  }

  // ---------------------------------------------------------------- any thread

  void start(StoreSink sink) {
    // Written before the first task that reads them is handed to the worker.
    replica.attach(sink);
    status.attach(sink);
    worker.execute(this::connect);
    // Nothing waits for the scheduled tasks here and below: close() ends them with the worker.
    var unused =
        worker.scheduleWithFixedDelay(
            this::syncCheck, syncIntervalMs, syncIntervalMs, TimeUnit.MILLISECONDS);
  }

  boolean closed() {
    return closed.get();
  }

  StoreStatus status() {
    return status.status();
  }

  Optional<Instant> lastSync() {
    return Optional.ofNullable(lastSync);
  }

  long invalidations() {
    return invalidations.get();
  }

  long reconnects() {
    return reconnects.get();
  }

  boolean keyspaceOn() {
    return subscriber.keyspaceOn();
  }

  /** Whether single-key lookups can be sent (the pool is open). */
  boolean canLookUp() {
    return connections != null;
  }

  /** For tests: whether the warm-up has run to its end, or is off. */
  boolean changePathWarmedUp() {
    return warmUpOver;
  }

  /** For tests: reloads and lookups queued or running. */
  int pendingReloads() {
    return pendingKeys.size() + queuedLookups.get() + runningReloads;
  }

  /**
   * Looks a flag key up in the background (any thread): queued, at most {@link #MAX_QUEUED_LOOKUPS}
   * at once (beyond, the key counts as missing until its miss expires), and read {@link
   * #LOOKUP_BATCH} keys per Redis call, one call every {@link #LOOKUP_PAUSE_MS} at most, so a flood
   * of unknown keys never floods Redis nor delays anything else: messages and notifications are
   * applied by the subscriber thread, not behind these.
   */
  void lookUp(String flagKey) {
    if (queuedLookups.incrementAndGet() > MAX_QUEUED_LOOKUPS) {
      queuedLookups.decrementAndGet();
      return;
    }
    lookups.add(flagKey);
    scheduleLookups(0);
  }

  private void scheduleLookups(long delayMs) {
    if (connections == null || closed.get() || !lookupScheduled.compareAndSet(false, true)) {
      return; // connect() schedules them once the pool is open
    }
    try {
      var unused = worker.schedule(this::lookUpBatch, delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      lookupScheduled.set(false);
    }
  }

  /** Worker: one batch of lookups, with a size-checked MGET; keys found are read one by one. */
  private void lookUpBatch() {
    lookupScheduled.set(false);
    RedisConnections c = connections;
    if (closed.get() || c == null) {
      return;
    }
    List<String> batch = new ArrayList<>(LOOKUP_BATCH);
    for (String k; batch.size() < LOOKUP_BATCH && (k = lookups.poll()) != null; ) {
      queuedLookups.decrementAndGet();
      batch.add(k);
    }
    if (batch.isEmpty()) {
      return;
    }
    runningReloads = 1;
    try {
      String[] fields = batch.toArray(new String[0]);
      String[] redisKeys = new String[fields.length];
      for (int i = 0; i < fields.length; i++) {
        redisKeys[i] = layout.flagKey(fields[i]);
      }
      List<String> values = loader.readChecked(c, fields, redisKeys);
      List<String> found = new ArrayList<>();
      for (int i = 0; values != null && i < fields.length; i++) {
        if (values.get(i) != null) {
          found.add(fields[i]);
        }
      }
      // Where the script is refused, each key is read as before; else only the keys that exist,
      // with the script that indexes and audits a raw key.
      for (String k : values == null ? batch : found) {
        Loader.Read read = loader.readOne(c, k);
        if (replica.applyRead(k, read.version(), read.raw())) {
          scheduleSnapshotWrite();
        }
      }
    } catch (RuntimeException | Error e) { // no Error escapes the store either
      failure("cannot look up unknown flag keys", e);
    } finally {
      runningReloads = 0;
    }
    if (!lookups.isEmpty()) {
      scheduleLookups(LOOKUP_PAUSE_MS);
    }
  }

  /** Queues a reload of one flag (or segment) on the worker, unless one is queued already. */
  void queueReload(String cacheKey) {
    if (pendingKeys.add(cacheKey)) {
      try {
        worker.execute(() -> reloadKey(cacheKey));
      } catch (RejectedExecutionException e) {
        pendingKeys.remove(cacheKey); // closed
      }
    }
  }

  /** Stops the worker and subscriber threads and closes every connection. Idempotent. */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    worker.shutdownNow();
    subscriber.close();
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

  // ---------------------------------------------------------------- subscriber thread

  @Override
  public void subscribed() {
    worker.execute(this::onSubscribed);
  }

  @Override
  public void lost(Throwable cause) {
    worker.execute(() -> onSubscriberLost(cause));
  }

  /**
   * Applied here, on the subscriber thread: a hop to the worker would cost a thread wake-up per
   * change in every instance (see "Propagation between processes" in docs/benchmarks.md).
   */
  @Override
  public void invalidated(Invalidation message) {
    invalidations.incrementAndGet();
    if (closed.get()) {
      return;
    }
    if (!message.carriesValue()) {
      readNow(message.cacheKey());
    } else if (replica.applyMessage(message.cacheKey(), message.version(), message.raw())) {
      scheduleSnapshotWrite();
    }
  }

  /**
   * Raw edits (or SDK writes whose message carried no value): a few keys are read back here, on the
   * subscriber thread; a burst of many goes to the worker, one reload per key.
   */
  @Override
  public void notificationHeard() {
    invalidations.incrementAndGet();
  }

  @Override
  public void keysTouched(Set<String> cacheKeys) {
    if (cacheKeys.size() > MAX_KEYS_READ_BY_SUBSCRIBER) {
      for (String k : cacheKeys) {
        if (k.startsWith(CacheEntry.SEGMENT_KEY_PREFIX)) {
          queueReload(k);
        } else {
          lookUp(k); // bounded, like unknown keys: a burst of raw writes cannot flood the worker
        }
      }
      return;
    }
    for (String k : cacheKeys) {
      if (closed.get()) {
        return;
      }
      readNow(k);
    }
  }

  /** For tests and health: the damaged keys reported, or "". */
  String problems() {
    return problems.summary();
  }

  /** Reads one key back and applies it, on the calling thread; a failure goes to the worker. */
  private void readNow(String cacheKey) {
    RedisConnections c = connections;
    if (c == null) {
      queueReload(cacheKey);
      return;
    }
    try {
      Loader.Read read = loader.readOne(c, cacheKey);
      if (replica.applyRead(cacheKey, read.version(), read.raw())) {
        scheduleSnapshotWrite();
      }
    } catch (RuntimeException | Error e) { // no Error escapes the store either
      try {
        worker.execute(() -> failure("cannot reload " + cacheKey, e));
      } catch (RejectedExecutionException closing) {
        // Closed meanwhile.
      }
    }
  }

  /**
   * The warm-up's read-back: the read script a raw edit makes the subscriber run ({@link
   * Loader#readOne}), over the same pool, for a key that holds nothing, so the script takes its
   * read-only path and the code that runs is the real one, end to end. A failure is left to the
   * store's own reads to find and report.
   *
   * @return whether Redis answered
   */
  private boolean readBackQuietly(String cacheKey) {
    RedisConnections c = connections;
    if (c == null) {
      return false;
    }
    try {
      var unused = loader.readOne(c, cacheKey);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------- worker thread

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
    } catch (RuntimeException | Error e) { // no Error escapes the store either
      earlyOpenFailure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
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
      scheduleLookups(0); // keys asked for before the pool was open
      subscriber.start();
      status.update("loaded from " + connections.describe());
      startWarmUpOnce();
    } catch (RuntimeException | Error e) { // no Error escapes the store either
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

  private void fullLoad(KeyReader reader) {
    Loader.retryOnce(
        () -> {
          fullLoadOnce(reader);
          return null;
        });
  }

  private void fullLoadOnce(KeyReader reader) {
    boolean first = !status.loadedFromRedis;
    String marker = guard.readMarker(reader);
    long startedAt = replica.beginLoad();
    Loader.Loaded loaded = loader.read(reader, first);
    Set<String> held = first ? Set.of() : replica.heldKeys();
    if (guard.lost(reader, marker, loaded, held, loader.lastCounter())) {
      status.loadOk = true; // Redis answers; what it answers is not applied
      lastSync = clock.instant();
      onDataLost(marker, loaded, held);
      return;
    }
    if (status.dataLost) {
      status.dataLost = false;
      status.loadOk = true;
      status.update("the flags are back in Redis");
    }
    boolean changed = replica.applyLoad(first, loaded, startedAt);
    loader.loaded(loaded);
    if (first) {
      // Keys found by the start-up scan and not indexed: the read script indexes each one, with
      // its digest, version and an audit entry, as it does for any raw edit it sees.
      loader.adoptedUnindexed().forEach(this::lookUp);
    }
    if (first) {
      status.loadedFromRedis = true;
      servingSomething = true;
    }
    if (changed) {
      scheduleSnapshotWrite();
    }
    lastSync = clock.instant();
    status.loadOk = true;
  }

  /** After the first load: {@link ChangePathWarmUp}, on a thread of its own that then ends. */
  private void startWarmUpOnce() {
    if (warmUpRounds <= 0) {
      warmUpOver = true;
      return;
    }
    if (!warmUpStarted.compareAndSet(false, true)) {
      return;
    }
    ChangePathWarmUp warmUp =
        new ChangePathWarmUp(
            layout,
            settings.database(),
            replica,
            subscriber,
            this::readBackQuietly,
            closed::get,
            warmUpRounds);
    Thread t =
        new Thread(
            () -> {
              warmUp.run();
              warmUpOver = true;
            },
            "flags-redis-warm-up");
    t.setDaemon(true);
    t.start();
  }

  private void syncCheck() {
    replica.dropExpiredMisses();
    if (closed.get() || connections == null || reconnectPending) {
      return;
    }
    if (status.dataLost) {
      recheckDataLoss();
      return;
    }
    try {
      long counter = loader.readCounter(connections);
      // Without keyspace notifications a raw SET moves no counter: re-read the values so such an
      // edit is served within one sync interval (only what changed reaches the client).
      boolean keyspaceOn = subscriber.keyspaceOn();
      if (counter != loader.lastCounter()
          || counter == Loader.DAMAGED_COUNTER
          || !status.loadOk
          || !keyspaceOn) {
        fullLoad(connections);
        status.update(keyspaceOn ? "reloaded: version counter changed" : "periodic reload");
      } else {
        correctVersions(connections);
        lastSync = clock.instant();
      }
    } catch (RuntimeException | Error e) { // no Error escapes the store either
      failure("version check failed", e);
    }
  }

  /**
   * A message may speed a change up, but Redis is the truth: the versions held are compared with
   * Redis's ({@code HGETALL} of the two versions hashes, once per sync interval), and a key whose
   * version differs (a forged or mistaken message) is read again and corrected.
   */
  private void correctVersions(RedisConnections c) {
    Map<String, Long> known = replica.knownVersions();
    if (known.isEmpty()) {
      return;
    }
    String marker = guard.readMarker(c);
    if (guard.knownEpoch().isPresent() && !guard.knownEpoch().get().equals(marker)) {
      // The data set may be gone (the counter can read the same, 0, before and after): a full
      // load tells, and keeps serving what it holds if so. Never correct keys one by one then.
      fullLoad(c);
      return;
    }
    Map<String, String> flags = Loader.retryOnce(() -> c.jedis.hgetAll(layout.versions));
    Map<String, String> segments = Loader.retryOnce(() -> c.jedis.hgetAll(layout.segmentVersions));
    List<String> differ = new ArrayList<>();
    known.forEach(
        (cacheKey, version) -> {
          boolean segment = cacheKey.startsWith(CacheEntry.SEGMENT_KEY_PREFIX);
          String stored =
              segment
                  ? segments.get(cacheKey.substring(CacheEntry.SEGMENT_KEY_PREFIX.length()))
                  : flags.get(cacheKey);
          if (!String.valueOf(version).equals(stored == null ? "0" : stored)) {
            differ.add(cacheKey);
          }
        });
    for (String cacheKey : differ) {
      Loader.Read read = loader.readOne(c, cacheKey);
      if (replica.applyRead(cacheKey, read.version(), read.raw(), true)) {
        StoreLog.log().log(
            Level.WARNING,
            cacheKey
                + ": the value served differed from Redis (version "
                + known.get(cacheKey)
                + " held, "
                + read.version()
                + " stored; a message that does not match Redis): corrected");
        scheduleSnapshotWrite();
      }
    }
  }

  /**
   * Redis came back without the flags (see {@link DataLossGuard}): keep serving them, say so, and
   * (unless turned off) write them back, one instance for all.
   */
  private void onDataLost(String marker, Loader.Loaded loaded, Set<String> held) {
    long missing =
        held.stream()
            .filter(
                k ->
                    k.startsWith(CacheEntry.SEGMENT_KEY_PREFIX)
                        ? !loaded
                            .segmentValues()
                            .containsKey(k.substring(CacheEntry.SEGMENT_KEY_PREFIX.length()))
                        : !loaded.flagValues().containsKey(k))
            .count();
    String what =
        "Redis lost the flags ("
            + layout.epoch
            + (marker == null ? " is gone" : " changed")
            + ", "
            + missing
            + " of the "
            + held.size()
            + " flags and segments served are missing): serving the last known ones";
    status.dataLost = true;
    if (!guard.restoreEnabled()) {
      status.update(
          what
              + "; writing them back is turned off (restoreAfterDataLoss(false)): restore them"
              + " with RedisFlagAdmin, or restart the instances to accept what Redis holds");
      return;
    }
    // Data loss is found by a load, over the connections it used.
    RedisConnections connections = Objects.requireNonNull(this.connections, "connected");
    if (guard.takeLock(connections)) {
      status.update(what + "; " + guard.instanceName() + " (this instance) writes them back");
      List<String> restored =
          guard.restore(connections, replica.storedValues(), replica.knownVersions());
      StoreLog.log().log(
          Level.WARNING,
          "wrote "
              + restored.size()
              + " flags and segments back to Redis after it lost them, as "
              + guard.instanceName()
              + " (audited, reason \""
              + DataLossGuard.RESTORE_REASON
              + "…\")");
      scheduleDataLossRecheck(0);
    } else {
      status.update(
          what
              + "; "
              + guard.lockHolder(connections).orElse("another instance")
              + " writes them back");
      scheduleDataLossRecheck(DATA_LOSS_RECHECK_MS);
    }
  }

  /** How soon an instance in {@code DATA_LOST} looks again, while another restores. */
  private static final long DATA_LOSS_RECHECK_MS = 200;

  private void scheduleDataLossRecheck(long delayMs) {
    if (dataLossRecheckPending) {
      return;
    }
    dataLossRecheckPending = true;
    try {
      var unused = worker.schedule(this::recheckDataLoss, delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // Closed meanwhile.
    }
  }

  private void recheckDataLoss() {
    dataLossRecheckPending = false;
    if (closed.get() || !status.dataLost || connections == null || reconnectPending) {
      return;
    }
    try {
      fullLoad(connections);
    } catch (RuntimeException | Error e) { // no Error escapes the store either
      failure("reload after data loss failed", e);
    }
  }

  private void onSubscribed() {
    if (closed.get()) {
      return;
    }
    // Subscribing needs the connections, opened before it.
    RedisConnections connections = Objects.requireNonNull(this.connections, "connected");
    status.subscribed = true;
    boolean again = status.subscribedBefore;
    status.subscribedBefore = true;
    try {
      if (again) {
        reconnects.incrementAndGet();
      }
      // A full resync each time, the first included: what was written between the load and this
      // subscription reached no listener. An SDK write moves the counter, but a raw SET does not,
      // so comparing counters would miss it until the next reconnection (regression:
      // RawEditRightAfterStartTest).
      fullLoad(connections);
      status.update("subscribed to invalidations on " + connections.describe());
    } catch (RuntimeException | Error e) { // no Error escapes the store either
      failure("resync after subscribing failed", e);
    }
  }

  private void onSubscriberLost(Throwable e) {
    if (closed.get()) {
      return;
    }
    status.subscribed = false;
    status.update(
        "lost the invalidation subscription (" + StoreLog.describe(e) + "); reconnecting");
  }

  private void failure(String what, Throwable e) {
    if (closed.get()) {
      return;
    }
    status.loadOk = false;
    if (e instanceof JedisConnectionException) {
      subscriber.breakConnection();
    }
    if (!servingSomething) {
      serveFallback();
    }
    status.update(what + ": " + StoreLog.describe(e));
    if (!reconnectPending) {
      reconnectPending = true;
      long delay = backoffMs + ThreadLocalRandom.current().nextLong(backoffMs / 2 + 1);
      backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
      var unused = worker.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }
  }

  private void serveFallback() {
    if (snapshotFile.isPresent() && snapshotFile.get().readable()) {
      SnapshotFile file = snapshotFile.get();
      try {
        StoreSnapshot snapshot = file.read();
        replica.serve(snapshot, true);
        servingSomething = true;
        status.snapshotServed = true;
        StoreLog.log().log(
            Level.WARNING,
            "Redis unreachable at start: serving "
                + snapshot.flags().size()
                + " flags from snapshot file "
                + file.path());
        return;
      } catch (IOException | RuntimeException e) {
        if (!snapshotUnreadableLogged) { // tried again at every failed attempt: said once
          snapshotUnreadableLogged = true;
          StoreLog.log().log(
              Level.WARNING,
              "cannot read snapshot file " + file.path() + ": " + StoreLog.describe(e));
        }
      }
    }
    if (bootstrap.isPresent()) {
      replica.serve(StoreSnapshot.of(bootstrap.get()), false);
      servingSomething = true;
    }
  }

  /** Reloads one flag, or a segment when {@code cacheKey} has the segment prefix. */
  private void reloadKey(String cacheKey) {
    runningReloads = 1;
    try {
      pendingKeys.remove(cacheKey);
      if (closed.get() || connections == null) {
        return;
      }
      try {
        Loader.Read read = loader.readOne(connections, cacheKey);
        if (replica.applyRead(cacheKey, read.version(), read.raw())) {
          scheduleSnapshotWrite();
        }
      } catch (RuntimeException | Error e) { // no Error escapes the store either
        failure("cannot reload " + cacheKey, e);
      }
    } finally {
      runningReloads = 0;
    }
  }

  /** Any thread: writes the snapshot file in half a second, unless a write is pending already. */
  private void scheduleSnapshotWrite() {
    if (snapshotFile.isEmpty()
        || !snapshotFile.get().writable()
        || closed.get()
        || !snapshotWritePending.compareAndSet(false, true)) {
      return;
    }
    try {
      var unused = worker.schedule(this::writeSnapshot, 500, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // Closed meanwhile.
    }
  }

  private void writeSnapshot() {
    snapshotWritePending.set(false);
    snapshotFile.orElseThrow().write(replica.sortedEntries());
  }
}
