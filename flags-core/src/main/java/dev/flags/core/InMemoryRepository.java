package dev.flags.core;

import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.DefinitionKind;
import dev.flags.core.admin.spi.FlagRepository;
import dev.flags.core.json.FlagCodec;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The repository of an {@link InMemoryFlagStore}: the store's flags and segments, their versions
 * and an audit log kept in memory (the newest {@link InMemoryFlagStore#AUDIT_CAPACITY} entries).
 * Every method holds the store's lock, so a batch is applied as one change and reaches the client
 * before the write returns.
 */
final class InMemoryRepository implements FlagRepository {

  private final InMemoryFlagStore store;
  private final Clock clock;
  private final FlagCodec codec = FlagCodec.standard();

  InMemoryRepository(InMemoryFlagStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public Optional<Stored> read(DefinitionKind kind, String key) {
    synchronized (store) {
      return Optional.ofNullable(storedLocked(kind, key));
    }
  }

  @Override
  public long currentVersion(DefinitionKind kind, String key) {
    synchronized (store) {
      return store.versionLocked(kind, key);
    }
  }

  @Override
  public List<Stored> readAll(DefinitionKind kind) {
    synchronized (store) {
      Set<String> all =
          new HashSet<>(
              kind == DefinitionKind.FLAG
                  ? store.flagsLocked().keySet()
                  : store.segmentsLocked().keySet());
      if (kind == DefinitionKind.FLAG) {
        all.addAll(store.malformedKeysLocked());
      }
      List<String> keys = new ArrayList<>(all);
      keys.sort(Comparator.naturalOrder());
      List<Stored> out = new ArrayList<>(keys.size());
      for (String k : keys) {
        out.add(storedLocked(kind, k));
      }
      return out;
    }
  }

  @Override
  public Outcome write(List<Write> batch) {
    synchronized (store) {
      for (int i = 0; i < batch.size(); i++) {
        Write w = batch.get(i);
        Stored current = storedLocked(w.kind(), w.key());
        long version = store.versionLocked(w.kind(), w.key());
        Optional<AuditEntry> last = Optional.ofNullable(store.lastChangeLocked(w.kind(), w.key()));
        if (w.operation() == Operation.CREATE && current != null) {
          return new Conflict(i, Conflict.Why.EXISTS, version, last);
        }
        if (w.operation() != Operation.CREATE && current == null) {
          return new Conflict(i, Conflict.Why.MISSING, version, last);
        }
        if (w.expectedVersion() != ANY_VERSION && w.expectedVersion() != version) {
          return new Conflict(i, Conflict.Why.VERSION, version, last);
        }
      }
      List<AuditEntry> entries = new ArrayList<>(batch.size());
      for (Write w : batch) {
        Stored current = storedLocked(w.kind(), w.key());
        long next = store.versionLocked(w.kind(), w.key()) + 1;
        AuditEntry entry =
            new AuditEntry(
                store.nextAuditIdLocked(),
                clock.instant(),
                w.kind(),
                w.key(),
                next,
                w.action(),
                w.actor(),
                w.reason(),
                Optional.ofNullable(current).map(Stored::value),
                w.value());
        if (w.kind() == DefinitionKind.FLAG) {
          store.applyFlagLocked(
              w.key(),
              w.value().map(v -> codec.decodeFlag(w.key(), v).toBuilder().version(next).build()),
              w.value(),
              next,
              entry);
        } else {
          store.applySegmentLocked(
              w.key(),
              w.value().map(v -> withVersion(codec.decodeSegment(w.key(), v), next)),
              w.value(),
              next,
              entry);
        }
        entries.add(entry);
      }
      return new Applied(entries);
    }
  }

  @Override
  public List<AuditEntry> audit(AuditQuery query) {
    synchronized (store) {
      List<AuditEntry> out = new ArrayList<>();
      Iterator<AuditEntry> newestFirst = store.auditLocked().descendingIterator();
      while (newestFirst.hasNext() && out.size() < query.limit()) {
        AuditEntry e = newestFirst.next();
        if (query.matches(e)) {
          out.add(e);
        }
      }
      return out;
    }
  }

  @Override
  public Optional<AuditEntry> auditEntry(String id) {
    synchronized (store) {
      for (AuditEntry e : store.auditLocked()) {
        if (e.id().equals(id)) {
          return Optional.of(e);
        }
      }
      return Optional.empty();
    }
  }

  @Override
  public String description() {
    return "in memory";
  }

  @Override
  public void close() {
    // The store's lifetime is its owner's.
  }

  private @Nullable Stored storedLocked(DefinitionKind kind, String key) {
    String text = store.storedTextLocked(kind, key);
    if (text == null) {
      return null;
    }
    return new Stored(
        kind,
        key,
        store.versionLocked(kind, key),
        text,
        Optional.ofNullable(store.lastChangeLocked(kind, key)));
  }

  static Segment withVersion(Segment s, long version) {
    return new Segment(s.key(), version, s.included(), s.excluded(), s.rules(), s.description());
  }

  /** The audit log and the per-key bookkeeping of one store, guarded by the store's lock. */
  static final class State {
    final Deque<AuditEntry> audit = new ArrayDeque<>();
    final Map<String, Long> flagVersions = new HashMap<>();
    final Map<String, Long> segmentVersions = new HashMap<>();
    final Map<String, String> flagRaw = new HashMap<>();
    final Map<String, String> segmentRaw = new HashMap<>();
    final Map<String, AuditEntry> flagLastChange = new HashMap<>();
    final Map<String, AuditEntry> segmentLastChange = new HashMap<>();
    final Set<String> malformed = new HashSet<>();
    long nextId = 1;
  }
}
