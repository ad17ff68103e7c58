package dev.flags.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.flags.core.Flag;
import dev.flags.core.Segment;
import dev.flags.core.json.FlagCodec;
import dev.flags.core.spi.StoreSink;
import dev.flags.core.spi.StoreSnapshot;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The store's parsed copy of Redis (a Caffeine cache: present, malformed and negative entries) and
 * the diff that brings it and the client in line with what was read. Every change goes to the sink.
 *
 * <p>Thread-safe: every change and sink call is made under one lock, by the worker (loads,
 * looked-up keys) or the subscriber thread (messages, notified keys); callers' threads only read
 * entries and claim lookups of unknown keys ({@link #claimLookup}), through the cache's concurrent
 * map.
 */
final class Replica {

  private final RedisLayout layout;
  private final FlagCodec codec = FlagCodec.standard();
  private final Ticker ticker;
  private final long negativeTtlNanos;
  private final Cache<String, CacheEntry> cache;

  /**
   * Under the lock: the Redis version each cached value is known to be at least (key → version).
   */
  private final Map<String, Long> knownVersions = new HashMap<>();

  // Counted on callers' threads (prefetch of unknown keys): an adder does not contend.
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  private @Nullable StoreSink sink; // null until attached

  /** Misses remembered at most (see {@link #claimLookup}). */
  private final int maxMisses;

  /** About how many misses are remembered: kept in step where misses come and go. */
  private final AtomicInteger missCount = new AtomicInteger();

  Replica(RedisLayout layout, Ticker ticker, Duration negativeTtl, int maxMisses) {
    this.maxMisses = maxMisses;
    this.layout = layout;
    this.ticker = ticker;
    this.negativeTtlNanos = negativeTtl.toNanos();
    // Unbounded and without expiry policies: flags stay until Redis says otherwise, and the one
    // kind of entry that expires, a miss, carries its own deadline (see claimLookup). A bounded
    // cache would add a timer wheel and write buffers that a fresh JVM pays for on every put of
    // the first load, for nothing to evict.
    this.cache = Caffeine.newBuilder().build();
  }

  /** The client's sink; attached before the store starts. */
  private StoreSink sink() {
    return Objects.requireNonNull(sink, "attached before the store starts");
  }

  void attach(StoreSink sink) {
    this.sink = sink;
  }

  // ---------------------------------------------------------------- unknown keys (any thread)

  /**
   * Whether the caller should look {@code flagKey} up in Redis: true for one caller per unknown key
   * or expired miss, which is then remembered as missing until the lookup says otherwise. When
   * {@code maxMisses} misses are remembered already, a new unknown key is neither remembered nor
   * looked up (until misses expire): a flood of distinct unknown keys is bounded in memory and in
   * Redis calls.
   */
  boolean claimLookup(String flagKey) {
    CacheEntry known = cache.getIfPresent(flagKey);
    long now = ticker.read();
    if (known != null && !(known instanceof CacheEntry.Absent a && a.expired(now))) {
      hits.increment();
      return false;
    }
    if (known == null && missCount.get() >= maxMisses) {
      hits.increment(); // answered without Redis: treated as missing
      return false;
    }
    CacheEntry miss = absentUntil(now);
    boolean claimed;
    if (known == null) {
      claimed = cache.asMap().putIfAbsent(flagKey, miss) == null;
      if (claimed) {
        missCount.incrementAndGet();
      }
    } else {
      claimed = cache.asMap().replace(flagKey, known, miss);
    }
    if (claimed) { // one caller per expired miss looks again
      misses.increment();
    }
    return claimed;
  }

  private CacheEntry.Absent absentUntil(long now) {
    return new CacheEntry.Absent(now + negativeTtlNanos);
  }

  /** Forgets misses past their deadline, so keys looked up once do not pile up. */
  void dropExpiredMisses() {
    long now = ticker.read();
    cache
        .asMap()
        .values()
        .removeIf(
            e -> {
              boolean drop = e instanceof CacheEntry.Absent a && a.expired(now);
              if (drop) {
                missCount.decrementAndGet();
              }
              return drop;
            });
  }

  // ---------------------------------------------------------------- reads (any thread)

  long size() {
    return cache.estimatedSize();
  }

  long flagCount() {
    long flags = 0;
    for (CacheEntry e : cache.asMap().values()) {
      if (e instanceof CacheEntry.Present) {
        flags++;
      }
    }
    return flags;
  }

  long hits() {
    return hits.sum();
  }

  long misses() {
    return misses.sum();
  }

  /** The value last stored for a cache key, as the "before" of a raw edit ("" when unknown). */
  String rawOf(String cacheKey) {
    CacheEntry old = cache.getIfPresent(cacheKey);
    return old instanceof CacheEntry.Present p
        ? p.raw()
        : old instanceof CacheEntry.PresentSegment ps
            ? ps.raw()
            : old instanceof CacheEntry.Malformed m ? m.raw() : "";
  }

  /** The keys of the flags (or segments) held, present or malformed: a load reads them too. */
  void addHeldKeys(boolean segments, Set<String> into) {
    for (Map.Entry<String, CacheEntry> e : cache.asMap().entrySet()) {
      String k = e.getKey();
      if (e.getValue() instanceof CacheEntry.Absent
          || k.startsWith(CacheEntry.SEGMENT_KEY_PREFIX) != segments) {
        continue;
      }
      into.add(segments ? k.substring(CacheEntry.SEGMENT_KEY_PREFIX.length()) : k);
    }
  }

  /** The cache keys of the flags and segments held (present or malformed). */
  /** Up to {@code max} flags held, with their stored values (for {@link ChangePathWarmUp}). */
  java.util.List<CacheEntry.Present> presentSample(int max) {
    java.util.List<CacheEntry.Present> sample = new java.util.ArrayList<>();
    for (CacheEntry e : cache.asMap().values()) {
      if (sample.size() >= max) {
        break;
      }
      if (e instanceof CacheEntry.Present p && !p.raw().isEmpty()) { // "": from a snapshot file
        sample.add(p);
      }
    }
    return sample;
  }

  java.util.Set<String> heldKeys() {
    java.util.Set<String> held = new java.util.HashSet<>();
    cache
        .asMap()
        .forEach(
            (k, e) -> {
              if (!(e instanceof CacheEntry.Absent)) {
                held.add(k);
              }
            });
    return held;
  }

  /**
   * The values held, as stored (cache key → value), for a restore: a value served from the snapshot
   * file is encoded again; one never read (too large, not a string) is left out.
   */
  Map<String, String> storedValues() {
    Map<String, String> out = new TreeMap<>();
    cache
        .asMap()
        .forEach(
            (k, e) -> {
              String raw =
                  e instanceof CacheEntry.Present p
                      ? (p.raw().isEmpty() ? codec.encode(p.flag()) : p.raw())
                      : e instanceof CacheEntry.PresentSegment ps
                          ? (ps.raw().isEmpty() ? codec.encode(ps.segment()) : ps.raw())
                          : e instanceof CacheEntry.Malformed m ? m.raw() : null;
              if (raw != null && !raw.isEmpty() && !raw.startsWith(CacheEntry.UNREAD)) {
                out.put(k, raw);
              }
            });
    return out;
  }

  /** The entries, sorted by cache key: what the snapshot file is written from. */
  Map<String, CacheEntry> sortedEntries() {
    return new TreeMap<>(cache.asMap());
  }

  // ---------------------------------------------------------------- changes (worker, subscriber)

  /**
   * Taken by every change and sink call: the worker applies loads and looked-up keys, the
   * subscriber thread applies messages and notified keys, and the sink hears them one at a time.
   */
  private final Object lock = new Object();

  /**
   * Under the lock: counts single-key changes, so a full load can tell which came after it began.
   */
  private long seq;

  /** Under the lock: the {@link #seq} of the last single-key change of each cache key. */
  private final Map<String, Long> touchedAt = new HashMap<>();

  /** The versions the replica holds values of (cache key → version), as of now. */
  Map<String, Long> knownVersions() {
    synchronized (lock) {
      return new HashMap<>(knownVersions);
    }
  }

  /**
   * Marks the start of a full load: keys changed singly after this are newer than what it reads.
   */
  long beginLoad() {
    synchronized (lock) {
      return seq;
    }
  }

  /**
   * Applies what a full load read (see {@link Loader.Loaded}). Keys changed by a message or a
   * single read since {@code startedAt} keep their newer value.
   *
   * @param first whether this is the first load from Redis: it then replaces whatever is served
   * @return whether anything changed (a first load always counts)
   */
  boolean applyLoad(boolean first, Loader.Loaded loaded, long startedAt) {
    synchronized (lock) {
      boolean changed;
      if (first) {
        replaceAll(loaded.flagValues(), loaded.decoded(), loaded.segmentValues());
        changed = true;
      } else {
        changed = reconcile(loaded.flagValues(), loaded.segmentValues(), startedAt);
      }
      Map<String, Long> versions = loaded.versions();
      knownVersions.keySet().removeIf(k -> !versions.containsKey(k) && !touchedSince(k, startedAt));
      versions.forEach(
          (k, v) -> {
            if (!touchedSince(k, startedAt)) {
              knownVersions.put(k, v);
            }
          });
      touchedAt.values().removeIf(at -> at <= startedAt);
      return changed;
    }
  }

  private boolean touchedSince(String cacheKey, long startedAt) {
    Long at = touchedAt.get(cacheKey);
    return at != null && at > startedAt;
  }

  /**
   * Applies a value carried by an invalidation message, unless the replica already holds that
   * version or a newer one (a reload may have overtaken the message).
   *
   * @return whether anything changed
   */
  boolean applyMessage(String cacheKey, long version, @Nullable String raw) {
    synchronized (lock) {
      Long known = knownVersions.get(cacheKey);
      if (known != null && known >= version) {
        return false;
      }
      knownVersions.put(cacheKey, version);
      touchedAt.put(cacheKey, ++seq);
      return applyAny(cacheKey, raw);
    }
  }

  /**
   * Applies one key as read from Redis ({@code raw} null: absent), unless a message with a newer
   * version was applied while it was being read.
   *
   * @param version the version read with the value, or -1 when unknown (read without the script)
   * @return whether anything changed
   */
  boolean applyRead(String cacheKey, long version, @Nullable String raw) {
    return applyRead(cacheKey, version, raw, false);
  }

  /**
   * Like {@link #applyRead(String, long, String)}; with {@code correct}, applied whatever version
   * is known: the periodic sync found the known version to differ from Redis's (a forged or
   * mistaken message), so what was just read is the truth.
   */
  boolean applyRead(String cacheKey, long version, @Nullable String raw, boolean correct) {
    synchronized (lock) {
      if (version >= 0) {
        Long known = knownVersions.get(cacheKey);
        if (!correct && known != null && known > version) {
          return false;
        }
        knownVersions.put(cacheKey, version);
      } else {
        knownVersions.remove(cacheKey);
      }
      touchedAt.put(cacheKey, ++seq);
      return applyAny(cacheKey, raw);
    }
  }

  /** Serves a snapshot file's or a bootstrap's definitions, replacing everything. */
  void serve(StoreSnapshot snapshot, boolean cacheIt) {
    synchronized (lock) {
      serveLocked(snapshot, cacheIt);
    }
  }

  private void serveLocked(StoreSnapshot snapshot, boolean cacheIt) {
    if (cacheIt) {
      cache.invalidateAll();
      missCount.set(0);
      snapshot.flags().forEach((k, f) -> cache.put(k, new CacheEntry.Present(f, "")));
      snapshot
          .segments()
          .forEach(
              (k, seg) ->
                  cache.put(
                      CacheEntry.SEGMENT_KEY_PREFIX + k, new CacheEntry.PresentSegment(seg, "")));
    }
    sink().replaceAll(snapshot);
  }

  /**
   * Replaces whatever is served (nothing, a bootstrap or a snapshot file) with all of Redis: {@code
   * decoded} holds the entries of every key of {@code flagValues}.
   */
  private void replaceAll(
      Map<String, String> flagValues,
      Map<String, CacheEntry> decoded,
      Map<String, String> segmentValues) {
    Map<String, Flag> flags = new LinkedHashMap<>(flagValues.size() * 2);
    Map<String, Segment> segments = new LinkedHashMap<>();
    Map<String, String> malformed = new LinkedHashMap<>();
    cache.invalidateAll();
    missCount.set(0);
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
      CacheEntry entry = Objects.requireNonNull(decoded.get(key), "every value read is decoded");
      cache.put(key, entry);
      if (entry instanceof CacheEntry.Present p) {
        flags.put(key, p.flag());
      } else if (entry instanceof CacheEntry.Malformed m) {
        malformed.put(key, m.problem());
        logMalformed("flag", layout.flagKey(key), m.problem());
      }
    }
    sink().replaceAll(new StoreSnapshot(flags, segments, malformed));
  }

  /**
   * Brings the replica and the client in line with all of Redis: only what changed reaches the
   * client.
   *
   * @return whether anything changed
   */
  private boolean reconcile(
      Map<String, String> flagValues, Map<String, String> segmentValues, long startedAt) {
    boolean changed = false;
    // Segments first, so a flag arriving with a new segment finds it.
    for (Map.Entry<String, String> e : segmentValues.entrySet()) {
      if (!touchedSince(CacheEntry.SEGMENT_KEY_PREFIX + e.getKey(), startedAt)) {
        changed |= applySegment(e.getKey(), e.getValue());
      }
    }
    for (Map.Entry<String, String> e : flagValues.entrySet()) {
      if (!touchedSince(e.getKey(), startedAt)) {
        changed |= apply(e.getKey(), e.getValue());
      }
    }
    for (Map.Entry<String, CacheEntry> e : Map.copyOf(cache.asMap()).entrySet()) {
      if (e.getValue() instanceof CacheEntry.Absent || touchedSince(e.getKey(), startedAt)) {
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
    return changed;
  }

  /** {@link #apply} or {@link #applySegment}, by the cache key's form. */
  private boolean applyAny(String cacheKey, @Nullable String raw) {
    return cacheKey.startsWith(CacheEntry.SEGMENT_KEY_PREFIX)
        ? applySegment(cacheKey.substring(CacheEntry.SEGMENT_KEY_PREFIX.length()), raw)
        : apply(cacheKey, raw);
  }

  /** Like {@link #apply} for a segment. A malformed segment is logged and removed. */
  private boolean applySegment(String key, @Nullable String raw) {
    String cacheKey = CacheEntry.SEGMENT_KEY_PREFIX + key;
    CacheEntry old = cache.getIfPresent(cacheKey);
    boolean wasPresent = old instanceof CacheEntry.PresentSegment;
    if (raw == null) {
      cache.invalidate(cacheKey);
      if (wasPresent) {
        sink().removeSegment(key);
      }
      return wasPresent || old instanceof CacheEntry.Malformed;
    }
    if ((old instanceof CacheEntry.PresentSegment p && p.raw().equals(raw))
        || (old instanceof CacheEntry.Malformed m && m.raw().equals(raw))) {
      return false;
    }
    CacheEntry entry = parseSegment(key, raw);
    cache.put(cacheKey, entry);
    if (entry instanceof CacheEntry.PresentSegment p) {
      sink().upsertSegment(p.segment());
    } else if (entry instanceof CacheEntry.Malformed m) {
      logMalformed("segment", layout.segmentKey(key), m.problem());
      if (wasPresent) {
        sink().removeSegment(key);
      }
    }
    return true;
  }

  /**
   * Brings one key of the replica and the client in line with {@code raw} (null: absent).
   *
   * @return whether anything changed
   */
  private boolean apply(String key, @Nullable String raw) {
    CacheEntry old = cache.getIfPresent(key);
    if (raw == null) {
      if (!(old instanceof CacheEntry.Absent)) {
        // A miss already remembered keeps its expiry: the negative TTL counts from the first miss.
        cache.put(key, absentUntil(ticker.read()));
        missCount.incrementAndGet();
      }
      if (old instanceof CacheEntry.Present || old instanceof CacheEntry.Malformed) {
        sink().removeFlag(key);
        return true;
      }
      return false;
    }
    if ((old instanceof CacheEntry.Present p && p.raw().equals(raw))
        || (old instanceof CacheEntry.Malformed m && m.raw().equals(raw))) {
      return false;
    }
    CacheEntry entry = parse(key, raw);
    if (cache.asMap().put(key, entry) instanceof CacheEntry.Absent) {
      missCount.decrementAndGet();
    }
    if (entry instanceof CacheEntry.Present p) {
      sink().upsertFlag(p.flag());
    } else if (entry instanceof CacheEntry.Malformed m) {
      logMalformed("flag", layout.flagKey(key), m.problem());
      sink().malformedFlag(key, m.problem());
    }
    return true;
  }

  // ---------------------------------------------------------------- decoding (any thread)

  /**
   * Decodes a flag's stored value; never throws. Called by the first load's decoding thread too.
   */
  CacheEntry parse(String key, String raw) {
    if (raw.startsWith(CacheEntry.UNREAD)) {
      return new CacheEntry.Malformed(raw.substring(CacheEntry.UNREAD.length()), raw);
    }
    if (!raw.isEmpty() && (isSpace(raw.charAt(0)) || isSpace(raw.charAt(raw.length() - 1)))) {
      String bare = raw.strip();
      if (bare.equalsIgnoreCase("true") || bare.equalsIgnoreCase("false")) {
        // A plain reader (value.lower() == 'true') reads " true" as not true: rather than
        // disagree with the services that read the key that way, report it.
        return new CacheEntry.Malformed(
            "\""
                + raw
                + "\" has white space around "
                + bare
                + ", which a plain reader (value.lower() == 'true') does not read as "
                + bare
                + ": write exactly true or false",
            raw);
      }
    }
    try {
      // The client finds flags by key on every evaluation. Callers pass literals, which are
      // interned: decoding with the interned key (the codec keeps the instance it is given) lets
      // that lookup succeed on a reference comparison, as it does for flags built in code, without
      // building and validating the flag a second time.
      return new CacheEntry.Present(codec.decodeFlag(key.intern(), raw), raw);
    } catch (RuntimeException e) {
      return new CacheEntry.Malformed(e.getMessage() == null ? e.toString() : e.getMessage(), raw);
    } catch (OutOfMemoryError | StackOverflowError e) {
      // One value too big or too deep for this JVM: that flag is malformed, the store goes on.
      return new CacheEntry.Malformed("cannot decode it: " + StoreLog.describe(e), raw);
    }
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  CacheEntry parseSegment(String key, String raw) {
    if (raw.startsWith(CacheEntry.UNREAD)) {
      return new CacheEntry.Malformed(raw.substring(CacheEntry.UNREAD.length()), raw);
    }
    try {
      return new CacheEntry.PresentSegment(codec.decodeSegment(key, raw), raw);
    } catch (RuntimeException e) {
      return new CacheEntry.Malformed(e.getMessage() == null ? e.toString() : e.getMessage(), raw);
    } catch (OutOfMemoryError | StackOverflowError e) {
      return new CacheEntry.Malformed("cannot decode it: " + StoreLog.describe(e), raw);
    }
  }

  private static void logMalformed(String kind, String redisKey, String problem) {
    // Called once per distinct bad value: apply() skips a value equal to the cached one.
    StoreLog.log().log(
        Level.WARNING,
        kind
            + " "
            + redisKey
            + " in Redis is malformed, "
            + (kind.equals("flag") ? "serving defaults" : "ignored")
            + ": "
            + problem);
  }

  /** For the snapshot file: the codec the replica decodes with. */
  FlagCodec codec() {
    return codec;
  }
}
