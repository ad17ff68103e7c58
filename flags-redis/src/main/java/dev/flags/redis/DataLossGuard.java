package dev.flags.redis;

import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.DefinitionKind;
import dev.flags.core.admin.spi.FlagRepository;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * Tells "every flag was deleted" (through the admin, audited: the marker stays) from "the data set
 * vanished" (Redis restarted empty, a FLUSHALL, a failover to an empty replica), and after a loss
 * writes the last known flags back, once across all instances.
 *
 * <p><b>The marker.</b> {@code <prefix>#epoch} holds a random id, set with {@code SET NX} by the
 * first store that finds it missing. Each store remembers the id it first saw. When a later load
 * finds it missing or different, and Redis lacks flags this instance holds, the data set was lost:
 * the store keeps serving what it holds (status {@code DATA_LOST}) instead of applying the empty
 * load. Without the right to write the marker (a read-only ACL), a loss is recognised by the
 * counter going back while flags vanish.
 *
 * <p><b>The restore</b> (on by default): the instance that takes {@code <prefix>#restore-lock}
 * ({@code SET NX PX 30000}, value: its name) writes back every flag and segment it holds, with the
 * write script's {@code create} (a flag someone re-created meanwhile is left alone), each audited
 * with the instance's name as actor and a reason starting {@value #RESTORE_REASON}; the version of
 * each continues from the one it had. It then puts the old marker back, which tells every other
 * instance that the data set is whole again. The lock is left to expire, so an instance that comes
 * late never restores a second time.
 *
 * <p>Worker-confined: only the store's worker thread uses it.
 */
final class DataLossGuard {

  /** The start of the audit reason of a restored flag. */
  static final String RESTORE_REASON = "restored after data loss";

  private static final long LOCK_MILLIS = 30_000;

  private final RedisLayout layout;
  private final boolean restore;
  private final String instanceName;
  private final long auditMaxLength;

  /** The marker this instance knows the data set by; null until established (or never writable). */
  private @Nullable String knownEpoch;

  private boolean markerUnwritable;

  DataLossGuard(RedisLayout layout, boolean restore, String instanceName, long auditMaxLength) {
    this.layout = layout;
    this.restore = restore;
    this.instanceName = instanceName;
    this.auditMaxLength = auditMaxLength;
  }

  /** The marker as read before a load, for {@link #lost}. */
  String readMarker(KeyReader reader) {
    return Loader.retryOnce(() -> reader.get(layout.epoch));
  }

  /**
   * Whether the load just read means the data set was lost: the marker moved or vanished (or, with
   * no marker, the counter, index and flags all vanished), and Redis lacks flags this instance
   * holds. When it was not lost, the marker is (re)established and remembered.
   *
   * @param marker the marker read before the load
   * @param held the cache keys of the flags and segments this instance holds
   * @param previousCounter the counter of the last load applied (-1 before the first)
   */
  boolean lost(
      KeyReader reader,
      String marker,
      Loader.Loaded loaded,
      Set<String> held,
      long previousCounter) {
    boolean changed = knownEpoch != null && !knownEpoch.equals(marker);
    // Without a marker (never writable): the counter, which only ever grows, went back.
    boolean vanished =
        knownEpoch == null && previousCounter > 0 && loaded.counter() < previousCounter;
    if ((changed || vanished) && !held.isEmpty() && lacksHeld(loaded, held)) {
      return true;
    }
    if (marker != null) {
      knownEpoch = marker;
    } else {
      establish(reader);
    }
    return false;
  }

  private static boolean lacksHeld(Loader.Loaded loaded, Set<String> held) {
    for (String k : held) {
      boolean present =
          k.startsWith(CacheEntry.SEGMENT_KEY_PREFIX)
              ? loaded
                  .segmentValues()
                  .containsKey(k.substring(CacheEntry.SEGMENT_KEY_PREFIX.length()))
              : loaded.flagValues().containsKey(k);
      if (!present) {
        return true;
      }
    }
    return false;
  }

  /** Sets the marker if none is set (SET NX) and remembers the one that is. */
  private void establish(KeyReader reader) {
    if (markerUnwritable) {
      String m = reader.get(layout.epoch);
      if (m != null) {
        knownEpoch = m;
      }
      return;
    }
    try {
      knownEpoch = reader.setIfAbsent(layout.epoch, UUID.randomUUID().toString());
    } catch (JedisDataException e) {
      markerUnwritable = true; // a read-only ACL or replica: the heuristic alone then
      StoreLog.log().log(
          Level.INFO,
          "cannot write "
              + layout.epoch
              + " ("
              + StoreLog.describe(e)
              + "): a lost data set is recognised only when the counter goes back and flags"
              + " vanish");
    }
  }

  /** The marker this instance knows, if any. */
  Optional<String> knownEpoch() {
    return Optional.ofNullable(knownEpoch);
  }

  boolean restoreEnabled() {
    return restore;
  }

  String instanceName() {
    return instanceName;
  }

  /** Takes the restore lock; true when this instance is to restore. */
  boolean takeLock(RedisConnections writer) {
    String r =
        writer.jedis.set(
            layout.restoreLock, instanceName, SetParams.setParams().nx().px(LOCK_MILLIS));
    return "OK".equals(r);
  }

  /** Who holds the restore lock, if anyone. */
  Optional<String> lockHolder(RedisConnections writer) {
    return Optional.ofNullable(writer.jedis.get(layout.restoreLock));
  }

  /**
   * Writes back every held value that Redis lacks ({@code create}: never over a value written
   * since), versions continuing from the held ones; then puts the marker back.
   *
   * @param entries cache key → stored value, as held
   * @param versions cache key → version, as held
   * @return the keys written back
   */
  List<String> restore(
      RedisConnections writer, Map<String, String> entries, Map<String, Long> versions) {
    List<String> restored = new ArrayList<>();
    String reason =
        RESTORE_REASON
            + " (the data set vanished: "
            + layout.epoch
            + " was "
            + knownEpoch
            + "); written back by "
            + instanceName;
    WriteScript script = new WriteScript(layout, auditMaxLength);
    for (Map.Entry<String, String> e : entries.entrySet()) {
      String cacheKey = e.getKey();
      boolean segment = cacheKey.startsWith(CacheEntry.SEGMENT_KEY_PREFIX);
      String key = segment ? cacheKey.substring(CacheEntry.SEGMENT_KEY_PREFIX.length()) : cacheKey;
      DefinitionKind kind = segment ? DefinitionKind.SEGMENT : DefinitionKind.FLAG;
      Long version = versions.get(cacheKey);
      if (version != null && version > 0) {
        // Versions continue from the held ones: the write below gives version + 1.
        writer.jedis.hsetnx(layout.of(kind).versions(), key, Long.toString(version));
      }
      // One create per key: a key written since the loss (by a person, or by another instance)
      // is left as it is.
      FlagRepository.Outcome outcome =
          script.run(
              writer::evalScript,
              List.of(
                  new FlagRepository.Write(
                      kind,
                      key,
                      FlagRepository.Operation.CREATE,
                      FlagRepository.ANY_VERSION,
                      Optional.of(e.getValue()),
                      AuditEntry.ACTION_RESTORE,
                      instanceName,
                      reason)));
      if (outcome instanceof FlagRepository.Applied) {
        restored.add(cacheKey);
      }
    }
    if (knownEpoch != null) {
      writer.jedis.set(layout.epoch, knownEpoch);
    }
    return restored;
  }
}
