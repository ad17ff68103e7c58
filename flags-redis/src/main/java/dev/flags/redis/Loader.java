package dev.flags.redis;

import dev.flags.core.admin.DefinitionKind;
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
import org.jspecify.annotations.Nullable;
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
  private final long maxValueBytes;
  private final Problems problems;

  private long lastCounter = -1;
  private volatile boolean scriptFallbackWarned;

  /** Whether the first load scans for flag keys missing from the index. */
  private final boolean adoptRawKeys;

  /** The flag keys the first load's scan found. */
  private Set<String> adopted = Set.of();

  /** Those of them the index did not list. */
  private List<String> adoptedUnindexed = List.of();

  /** The flag index as the last load read it. */
  private Set<String> lastIndexed = Set.of();

  /** The batch read script was refused (an ACL without EVAL): read without size checks. */
  private boolean scriptDenied;

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
  record Read(long version, @Nullable String raw) {}

  Loader(
      RedisLayout layout,
      Replica replica,
      long auditMaxLength,
      long maxValueBytes,
      boolean adoptRawKeys,
      Problems problems) {
    this.adoptRawKeys = adoptRawKeys;
    this.layout = layout;
    this.replica = replica;
    this.auditMaxLength = auditMaxLength;
    this.maxValueBytes = maxValueBytes;
    this.problems = problems;
  }

  /** The counter read by the last full load (-1 before the first). */
  long lastCounter() {
    return lastCounter;
  }

  /**
   * The version counter; {@link #DAMAGED_COUNTER} when it is not an integer (reported), which makes
   * every check reload everything, as without keyspace notifications.
   */
  long readCounter(KeyReader reader) {
    String c;
    try {
      c = retryOnce(() -> reader.get(layout.counter));
    } catch (JedisDataException e) {
      return damagedCounter("is not a string");
    }
    if (c == null) {
      problems.clear(layout.counter);
      return 0;
    }
    try {
      long counter = Long.parseLong(c);
      problems.clear(layout.counter);
      return counter;
    } catch (NumberFormatException e) {
      return damagedCounter("holds \"" + abbreviate(c) + "\", not an integer");
    }
  }

  /** The counter of a damaged {@code #counter}: never equal to a counter read before. */
  static final long DAMAGED_COUNTER = Long.MIN_VALUE;

  private long damagedCounter(String what) {
    problems.report(
        layout.counter,
        layout.counter
            + " "
            + what
            + ": changes are found by reloading everything every sync interval until it is"
            + " repaired (the next write through the SDK repairs it, or SET "
            + layout.counter
            + " 0)");
    return DAMAGED_COUNTER;
  }

  String tooLarge(long bytes) {
    return "the value has "
        + bytes
        + " bytes, over the limit of "
        + maxValueBytes
        + " (maxValueBytes); it was not read";
  }

  static String wrongType(String redisKey, String type) {
    return redisKey
        + " holds a "
        + type
        + ", not a string: delete it (DEL "
        + redisKey
        + ") or write the flag as a string";
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
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
    adopted = Set.of();
    adoptedUnindexed = List.of();
    if (first) {
      try (BatchDecoder decoder = new BatchDecoder(replica::parse)) {
        flagValues = loadIndexed(reader, false, versions, decoder::submit, null, null);
        if (adoptRawKeys) {
          // While the decoding thread works through the batches just read, scan for flag keys the
          // index does not list, and read those too: the scan's round trips hide behind decoding.
          Set<String> found = scanFlagKeys(reader);
          found.removeAll(lastIndexed);
          found.removeAll(flagValues.keySet());
          if (!found.isEmpty()) {
            adopted = found;
            flagValues.putAll(
                loadIndexed(reader, false, versions, decoder::submit, lastIndexed, found));
          }
        }
        decoded = decoder.results();
      }
    } else {
      flagValues = loadIndexed(reader, false, versions, batch -> {}, null, null);
      decoded = Map.of();
    }
    Map<String, String> segmentValues =
        loadIndexed(reader, true, versions, batch -> {}, null, null);
    return new Loaded(flagValues, decoded, segmentValues, versions, counter);
  }

  /** SCAN's COUNT hint: keys looked at per step, whatever their name. */
  static final int SCAN_COUNT = 1000;

  /**
   * Every flag key under the prefix, found with an incremental {@code SCAN … MATCH <prefix>*}
   * (never {@code KEYS}, which blocks the server): the keys written the simple way ({@code
   * redis-cli SET feature:x true}) that the index does not list are loaded with the others.
   * Internal keys ({@code #index}, …) are not flag keys and are left out.
   */
  private Set<String> scanFlagKeys(KeyReader reader) {
    Set<String> found = new LinkedHashSet<>();
    String pattern = RedisLayout.globEscape(layout.prefix) + "*";
    String cursor = "0";
    do {
      List<String> step = reader.scan(cursor, pattern, SCAN_COUNT);
      cursor = step.get(0);
      for (int i = 1; i < step.size(); i++) {
        layout.flagKeyOf(step.get(i)).ifPresent(found::add);
      }
    } while (!cursor.equals("0"));
    return found;
  }

  /**
   * The flag keys the first load's scan found that the index did not list (see {@link
   * #scanFlagKeys}).
   */
  List<String> adoptedUnindexed() {
    return adoptedUnindexed;
  }

  /** Records the counter of a load that was applied. */
  void loaded(Loaded loaded) {
    lastCounter = loaded.counter();
  }

  /**
   * Reads the values of the indexed keys and of the keys the replica holds. A key the replica holds
   * that is missing from the index (someone deleted or trimmed the index) is put back in it, so a
   * damaged index never removes a flag that is still stored.
   *
   * @param knownIndex the index if already read (else it is read here)
   * @param only the keys to read instead of the indexed and held ones (the adopted keys)
   */
  private Map<String, String> loadIndexed(
      KeyReader reader,
      boolean segments,
      Map<String, Long> loadedVersions,
      Consumer<Map<String, String>> onBatch,
      @Nullable Set<String> knownIndex,
      @Nullable Set<String> only) {
    String indexKey = segments ? layout.segmentIndex : layout.index;
    UnaryOperator<String> redisKey = segments ? layout::segmentKey : layout::flagKey;
    Set<String> indexed = knownIndex != null ? knownIndex : readIndex(reader, indexKey);
    if (!segments) {
      lastIndexed = indexed;
    }
    Set<String> wanted;
    if (only != null) {
      wanted = only;
    } else {
      wanted = new LinkedHashSet<>(indexed);
      replica.addHeldKeys(segments, wanted);
    }
    String versionsKey = segments ? layout.segmentVersions : layout.versions;
    String cachePrefix = segments ? CacheEntry.SEGMENT_KEY_PREFIX : "";
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
    List<String> badVersions = new ArrayList<>();
    String[] versionsProblem = {null};
    KeyReader.BatchReplies accept =
        (b, versions, got) -> {
          String[] batch = fieldBatches.get(b);
          Map<String, String> batchValues = new HashMap<>(batch.length * 2);
          for (int i = 0; i < batch.length; i++) {
            String key = batch[i];
            if (got.get(i) != null && RedisLayout.isValidFlagKey(key)) {
              batchValues.put(key, got.get(i));
              loadedVersions.put(cachePrefix + key, version(versions.get(i), key, badVersions));
              if (!indexed.contains(key)) {
                unindexed.add(key);
              }
            }
          }
          values.putAll(batchValues);
          onBatch.accept(batchValues);
        };
    // Versions before values, batch by batch: a version read first is at most the value's, so a
    // later message with a newer version is never ignored.
    List<BatchRead.Sizes> sizes = scriptDenied ? null : checkSizes(reader, versionsKey, keyBatches);
    if (sizes == null) {
      reader.readBatches(versionsKey, fieldBatches, keyBatches, accept);
    } else {
      boolean versionsReadable = sizes.stream().allMatch(BatchRead.Sizes::versionsReadable);
      if (!versionsReadable) {
        versionsProblem[0] = "it holds a " + sizes.get(0).versionsType() + ", not a hash";
      }
      List<String[]> toRead = new ArrayList<>(keyBatches.size());
      for (int b = 0; b < keyBatches.size(); b++) {
        toRead.add(sizes.get(b).keysToRead(keyBatches.get(b), absentKey()));
      }
      reader.readBatches(
          versionsReadable ? versionsKey : absentKey(),
          fieldBatches,
          toRead,
          (b, versions, got) -> accept.accept(b, versions, sizes.get(b).values(got)));
    }
    if (versionsProblem[0] != null) {
      problems.report(
          versionsKey,
          versionsKey
              + " cannot be read ("
              + versionsProblem[0]
              + "): flags are served, but a late message may overwrite a newer value until it is"
              + " repaired (DEL "
              + versionsKey
              + "; the next write through the SDK recreates it)");
    } else if (!badVersions.isEmpty()) {
      problems.report(
          versionsKey,
          versionsKey
              + " holds a version that is not an integer for "
              + badVersions
              + ": those flags are served, their version counts as 0 (repair: HSET "
              + versionsKey
              + " "
              + badVersions.get(0)
              + " <the version>, or write the flag through the SDK)");
    } else {
      problems.clear(versionsKey);
    }
    if (!segments && !adopted.isEmpty()) {
      List<String> raw = new ArrayList<>(unindexed);
      raw.retainAll(adopted);
      unindexed.removeAll(adopted);
      adoptedUnindexed = raw;
      if (!raw.isEmpty()) {
        // Indexed, with a digest and an audit entry, by the read script right after this load.
        StoreLog.log().log(
            Level.INFO,
            "adopting "
                + raw.size()
                + " flag key(s) written without the SDK and missing from "
                + indexKey
                + ": "
                + (raw.size() <= 20 ? raw : raw.subList(0, 20) + "…"));
      }
    }
    if (!unindexed.isEmpty() && indexed != UNREADABLE_INDEX) { // reported as damaged already
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

  /** A key that never exists (flag keys cannot hold '#'): read in place of one not to be read. */
  private String absentKey() {
    return layout.prefix + "#absent";
  }

  /**
   * The size check of each batch ({@link BatchRead}), pipelined; null when the script is refused
   * (an ACL without EVAL), which is said once, and from then on values are read unchecked.
   */
  private @Nullable List<BatchRead.Sizes> checkSizes(
      KeyReader reader, String versionsKey, List<String[]> keyBatches) {
    List<List<String>> scriptKeys = new ArrayList<>(keyBatches.size());
    List<List<String>> scriptArgs = new ArrayList<>(keyBatches.size());
    for (String[] batch : keyBatches) {
      scriptKeys.add(BatchRead.keys(versionsKey, batch));
      scriptArgs.add(List.of(Long.toString(maxValueBytes)));
    }
    List<BatchRead.Sizes> sizes = new ArrayList<>(keyBatches.size());
    RuntimeException[] denied = {null};
    reader.evalBatches(
        BatchRead.SIZES,
        scriptKeys,
        scriptArgs,
        reply -> {
          if (reply instanceof RuntimeException e) {
            denied[0] = e;
          } else if (denied[0] == null) {
            sizes.add(BatchRead.decode(reply, keyBatches.get(sizes.size()), maxValueBytes));
          }
        });
    if (denied[0] != null) {
      scriptDenied = true;
      StoreLog.log().log(
          Level.WARNING,
          "cannot run the size check script ("
              + StoreLog.describe(denied[0])
              + "); reading flags without checking their size first");
      return null;
    }
    return sizes;
  }

  /**
   * One batch of keys read as a full load reads them (sizes checked first): the values, with
   * stand-ins for those not read, or null when the script is refused. For lookups of unknown keys.
   */
  @Nullable List<String> readChecked(KeyReader reader, String[] fields, String[] redisKeys) {
    List<String[]> batches = new ArrayList<>(1);
    batches.add(redisKeys);
    List<BatchRead.Sizes> sizes = checkSizes(reader, layout.versions, batches);
    if (sizes == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    reader.readBatches(
        sizes.get(0).versionsReadable() ? layout.versions : absentKey(),
        List.<String[]>of(fields),
        List.<String[]>of(sizes.get(0).keysToRead(redisKeys, absentKey())),
        (b, versions, got) -> out.addAll(sizes.get(0).values(got)));
    return out;
  }

  /** A set of keys; a key of another type is reported and read as empty (see the caller). */
  private Set<String> readIndex(KeyReader reader, String indexKey) {
    try {
      Set<String> members = reader.smembers(indexKey);
      problems.clear(indexKey);
      return members;
    } catch (JedisDataException e) {
      if (!String.valueOf(e.getMessage()).contains("WRONGTYPE")) {
        throw e;
      }
      problems.report(
          indexKey,
          indexKey
              + " is not a set: only the keys this instance already holds are loaded until it is"
              + " repaired (DEL "
              + indexKey
              + ", then restart an instance, or write any flag through the SDK)");
      return UNREADABLE_INDEX;
    }
  }

  /**
   * What {@link #readIndex} answers for an index of another type: empty, and told apart from an
   * empty set by identity, so the load does not try to add the keys it found back to it (the {@code
   * SADD} would fail with WRONGTYPE and, with it, every later full reload).
   */
  private static final Set<String> UNREADABLE_INDEX =
      java.util.Collections.unmodifiableSet(new java.util.HashSet<>());

  private static long version(String stored, String key, List<String> bad) {
    if (stored == null) {
      return 0L;
    }
    try {
      return Long.parseLong(stored);
    } catch (NumberFormatException e) {
      bad.add(key);
      return 0L;
    }
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
    String redisKey = segment ? layout.segmentKey(key) : layout.flagKey(key);
    ReadScript script =
        new ReadScript(
            layout,
            segment ? DefinitionKind.SEGMENT : DefinitionKind.FLAG,
            auditMaxLength,
            maxValueBytes);
    try {
      ReadScript.Result r = retryOnce(() -> script.one(connections::evalScript, key, false));
      if (r.tooLong().isPresent()) {
        return new Read(r.version(), CacheEntry.unread(tooLarge(r.tooLong().getAsLong())));
      }
      if (r.wrongType().isPresent()) {
        return new Read(r.version(), CacheEntry.unread(wrongType(redisKey, r.wrongType().get())));
      }
      return new Read(r.version(), r.value().orElse(null));
    } catch (JedisDataException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("WRONGTYPE")) {
        String type = connections.jedis.type(redisKey);
        if (!type.equals("string") && !type.equals("none")) {
          return new Read(-1, CacheEntry.unread(wrongType(redisKey, type)));
        }
        // The value is a string: an internal key the script touches has the wrong type.
        problems.report(
            "read script",
            "the flag read script fails on a damaged internal key ("
                + message
                + "): flags are read with GET and raw edits are not audited until it is repaired;"
                + " "
                + layout.versions
                + " and "
                + layout.digests
                + " must be hashes, "
                + layout.index
                + " a set, "
                + layout.counter
                + " an integer, "
                + layout.audit
                + " a stream (DEL the damaged one; the SDK recreates it)");
        return new Read(-1, connections.jedis.get(redisKey));
      }
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
