package dev.flags.redis;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Reads Redis into the {@link Replica}: the full load (the index, then versions and values in
 * batches, decoded on a second thread the first time), the version counter, and single keys through
 * the read script that also records raw edits.
 *
 * <p>Worker-confined, but for {@link #readOne}, which the subscriber thread calls too.
 */
final class Loader {

  private static final int MGET_BATCH = 500;

  private final RedisLayout layout;
  private final Replica replica;
  private final long auditMaxLength;

  private long lastCounter = -1;
  private volatile boolean scriptFallbackWarned;

  /**
   * What a full load read.
   *
   * @param flagValues flag key → stored value
   * @param decoded flag key → entry, for a first load (decoded while fetching); else empty
   * @param segmentValues segment key → stored value
   * @param versions cache key → version read before the value
   * @param counter the version counter, read first
   */
  record Loaded(
      Map<String, String> flagValues,
      Map<String, CacheEntry> decoded,
      Map<String, String> segmentValues,
      Map<String, Long> versions,
      long counter) {}

  /**
   * One key as read: its value (null when absent) and version (-1 when read without the script).
   */
  record Read(long version, String raw) {}

  Loader(RedisLayout layout, Replica replica, long auditMaxLength) {
    this.layout = layout;
    this.replica = replica;
    this.auditMaxLength = auditMaxLength;
  }

  /** The counter read by the last full load (-1 before the first). */
  long lastCounter() {
    return lastCounter;
  }

  long readCounter(KeyReader reader) {
    String c = retryOnce(() -> reader.get(layout.counter));
    return c == null ? 0 : Long.parseLong(c);
  }

  /**
   * Runs a read again once when its pooled connection turned out dead (after a restart or
   * failover).
   */
  static <T> T retryOnce(Supplier<T> read) {
    try {
      return read.get();
    } catch (JedisConnectionException e) {
      return read.get();
    }
  }

  /**
   * Reads every indexed flag and segment, and those the replica holds; decodes the flags on a
   * second thread as they arrive when {@code first} (the client waits for the first load).
   */
  Loaded read(KeyReader reader, boolean first) {
    long counter = readCounter(reader);
    Map<String, Long> versions = new HashMap<>();
    Map<String, String> flagValues;
    Map<String, CacheEntry> decoded;
    if (first) {
      try (BatchDecoder decoder = new BatchDecoder(replica::parse)) {
        flagValues = loadIndexed(reader, false, versions, decoder::submit);
        decoded = decoder.results();
      }
    } else {
      flagValues = loadIndexed(reader, false, versions, batch -> {});
      decoded = Map.of();
    }
    Map<String, String> segmentValues = loadIndexed(reader, true, versions, batch -> {});
    return new Loaded(flagValues, decoded, segmentValues, versions, counter);
  }

  /** Records the counter of a load that was applied. */
  void loaded(Loaded loaded) {
    lastCounter = loaded.counter();
  }

  /**
   * Reads the values of the indexed keys and of the keys the replica holds. A key the replica holds
   * that is missing from the index (someone deleted or trimmed the index) is put back in it, so a
   * damaged index never removes a flag that is still stored.
   */
  private Map<String, String> loadIndexed(
      KeyReader reader,
      boolean segments,
      Map<String, Long> loadedVersions,
      Consumer<Map<String, String>> onBatch) {
    String indexKey = segments ? layout.segmentIndex : layout.index;
    UnaryOperator<String> redisKey = segments ? layout::segmentKey : layout::flagKey;
    Set<String> indexed = reader.smembers(indexKey);
    Set<String> wanted = new LinkedHashSet<>(indexed);
    String versionsKey = segments ? layout.segmentVersions : layout.versions;
    String cachePrefix = segments ? CacheEntry.SEGMENT_KEY_PREFIX : "";
    replica.addHeldKeys(segments, wanted);
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
              loadedVersions.put(cachePrefix + key, version);
              if (!indexed.contains(key)) {
                unindexed.add(key);
              }
            }
          }
          values.putAll(batchValues);
          onBatch.accept(batchValues);
        });
    if (!unindexed.isEmpty()) {
      StoreLog.log().log(
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

  /**
   * Reads one value (a flag, or a segment when {@code cacheKey} has the segment prefix) through the
   * script that also records a raw edit; plain GET where scripts are denied.
   *
   * <p>Called by the worker and the subscriber thread.
   */
  Read readOne(RedisConnections connections, String cacheKey) {
    boolean segment = cacheKey.startsWith(CacheEntry.SEGMENT_KEY_PREFIX);
    String key = segment ? cacheKey.substring(CacheEntry.SEGMENT_KEY_PREFIX.length()) : cacheKey;
    String[] scriptKeys = segment ? layout.segmentScriptKeys(key) : layout.scriptKeys(key);
    String redisKey = segment ? layout.segmentKey(key) : layout.flagKey(key);
    String before = replica.rawOf(cacheKey);
    try {
      List<String> args =
          List.of(
              key,
              "read",
              "-1",
              "",
              "",
              "",
              Long.toString(auditMaxLength),
              layout.channel,
              before,
              segment ? "segment" : "flag");
      List<?> r =
          (List<?>)
              retryOnce(() -> connections.evalScript(Scripts.READ, List.of(scriptKeys), args));
      return new Read((Long) r.get(0), r.size() > 1 ? (String) r.get(1) : null);
    } catch (JedisDataException e) {
      // A read-only replica or an ACL without EVAL/write rights: read plainly, audit nothing.
      if (!scriptFallbackWarned) {
        scriptFallbackWarned = true;
        StoreLog.log().log(
            Level.WARNING,
            "cannot run the flag read script ("
                + StoreLog.describe(e)
                + "); reading flags with GET, raw edits will not be audited");
      }
      return new Read(-1, connections.jedis.get(redisKey));
    }
  }
}
