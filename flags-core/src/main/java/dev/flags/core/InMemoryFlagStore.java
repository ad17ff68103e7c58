package dev.flags.core;

import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.DefinitionKind;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.json.FlagCodec;
import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.StoreSink;
import dev.flags.core.spi.StoreSnapshot;
import java.time.Clock;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Flags held in memory, changed from code: the config-dict of flags for small apps, and the test
 * double for users' own tests. Every change reaches the client at once, on the calling thread.
 *
 * {@snippet file="dev/flags/core/JavadocExamplesTest.java" region="in-memory"}
 *
 * <p>{@link #admin()} gives the same {@link FlagAdmin} as the file and Redis stores have:
 * validated, versioned, audited changes (the audit log is kept in memory). Changes made directly
 * with {@link #upsert}, {@link #set} and {@link #removeFlag} move the version forward but are not
 * audited.
 *
 * <p>Thread-safe: changes are serialized.
 */
public final class InMemoryFlagStore implements FlagStore {

  /** How many audit entries the store keeps: the newest 10,000. */
  public static final int AUDIT_CAPACITY = 10_000;

  private final Map<String, Flag> flags = new LinkedHashMap<>();
  private final Map<String, Segment> segments = new LinkedHashMap<>();
  private static final FlagCodec CODEC = FlagCodec.standard();

  private final InMemoryRepository.State state = new InMemoryRepository.State();
  private @Nullable StoreSink sink; // null until started
  private boolean closed;

  private InMemoryFlagStore() {}

  /** A store holding these flags. */
  public static InMemoryFlagStore of(Flag... flags) {
    return of(FlagSet.of(flags));
  }

  /** A store holding this flag set. */
  public static InMemoryFlagStore of(FlagSet set) {
    InMemoryFlagStore store = new InMemoryFlagStore();
    store.flags.putAll(set.flags());
    store.segments.putAll(set.segments());
    return store;
  }

  /** An empty store. */
  public static InMemoryFlagStore empty() {
    return new InMemoryFlagStore();
  }

  /**
   * A store of simple on/off flags from a map, such as {@code Map.of("new_ui_layout", false)}:
   * Boolean values make on/off switches; other values ({@link String}, {@link Number}, lists, maps)
   * make a flag serving that value to everyone.
   *
   * @throws FlagValidationException naming the bad key or value
   */
  public static InMemoryFlagStore ofValues(Map<String, ?> values) {
    InMemoryFlagStore store = new InMemoryFlagStore();
    values.forEach(
        (key, value) -> {
          Flag flag;
          try {
            flag =
                value instanceof Boolean b
                    ? Flag.simple(key, b)
                    : Flag.builder(key).variations(value).build();
          } catch (IllegalArgumentException e) {
            throw new FlagValidationException(key, String.valueOf(e.getMessage()));
          }
          store.flags.put(key, flag);
        });
    return store;
  }

  @Override
  public synchronized void start(StoreSink sink) {
    if (this.sink != null) {
      throw new IllegalStateException("store already started");
    }
    if (closed) {
      throw new IllegalStateException("store closed");
    }
    this.sink = Objects.requireNonNull(sink, "sink");
    sink.replaceAll(new StoreSnapshot(flags, segments, Map.of()), StoreStatus.OK, "in memory");
  }

  /** Adds or replaces a flag. */
  public synchronized void upsert(Flag flag) {
    rawChangeLocked(DefinitionKind.FLAG, flag.key(), flag.version(), CODEC.encode(flag));
    state.malformed.remove(flag.key());
    flags.put(flag.key(), flag);
    if (sink != null && !closed) {
      sink.upsertFlag(flag);
    }
  }

  /** Adds or replaces a segment. */
  public synchronized void upsert(Segment segment) {
    rawChangeLocked(
        DefinitionKind.SEGMENT, segment.key(), segment.version(), CODEC.encode(segment));
    segments.put(segment.key(), segment);
    if (sink != null && !closed) {
      sink.upsertSegment(segment);
    }
  }

  /** Sets a flag to an on/off switch serving {@code value} to everyone. */
  public void set(String flagKey, boolean value) {
    upsert(Flag.simple(flagKey, value));
  }

  /** Removes a flag. */
  public synchronized void removeFlag(String flagKey) {
    rawChangeLocked(DefinitionKind.FLAG, flagKey, 0, null);
    flags.remove(flagKey);
    if (sink != null && !closed) {
      sink.removeFlag(flagKey);
    }
  }

  /** Removes a segment. */
  public synchronized void removeSegment(String segmentKey) {
    rawChangeLocked(DefinitionKind.SEGMENT, segmentKey, 0, null);
    segments.remove(segmentKey);
    if (sink != null && !closed) {
      sink.removeSegment(segmentKey);
    }
  }

  /** The flags held now. */
  public synchronized List<Flag> flags() {
    return List.copyOf(flags.values());
  }

  /**
   * The write API over this store: validated, versioned changes with an audit log in memory, seen
   * by the client before each call returns. Audit times come from the system clock.
   */
  public FlagAdmin admin() {
    return admin(Clock.systemUTC());
  }

  /** Like {@link #admin()}, with audit times from {@code clock}. */
  public FlagAdmin admin(Clock clock) {
    Objects.requireNonNull(clock, "clock");
    return FlagAdmin.builder(new InMemoryRepository(this, clock)).clock(clock).build();
  }

  // ---------------------------------------------------------------- for InMemoryRepository

  Map<String, Flag> flagsLocked() {
    return flags;
  }

  Map<String, Segment> segmentsLocked() {
    return segments;
  }

  long versionLocked(DefinitionKind kind, String key) {
    Long v = (kind == DefinitionKind.FLAG ? state.flagVersions : state.segmentVersions).get(key);
    if (v != null) {
      return v;
    }
    if (kind == DefinitionKind.FLAG) {
      Flag f = flags.get(key);
      return f == null ? 0 : f.version();
    }
    Segment s = segments.get(key);
    return s == null ? 0 : s.version();
  }

  @Nullable String rawLocked(DefinitionKind kind, String key) {
    return (kind == DefinitionKind.FLAG ? state.flagRaw : state.segmentRaw).get(key);
  }

  @Nullable AuditEntry lastChangeLocked(DefinitionKind kind, String key) {
    return (kind == DefinitionKind.FLAG ? state.flagLastChange : state.segmentLastChange).get(key);
  }

  Deque<AuditEntry> auditLocked() {
    return state.audit;
  }

  String nextAuditIdLocked() {
    return Long.toString(state.nextId++);
  }

  void applyFlagLocked(
      String key, Optional<Flag> flag, Optional<String> raw, long version, AuditEntry entry) {
    state.flagVersions.put(key, version);
    state.malformed.remove(key);
    recordLocked(state.flagLastChange, key, entry);
    if (flag.isPresent()) {
      flags.put(key, flag.get());
      state.flagRaw.put(key, raw.orElseThrow());
      if (sink != null && !closed) {
        sink.upsertFlag(flag.get());
      }
    } else {
      flags.remove(key);
      state.flagRaw.remove(key);
      if (sink != null && !closed) {
        sink.removeFlag(key);
      }
    }
  }

  void applySegmentLocked(
      String key, Optional<Segment> segment, Optional<String> raw, long version, AuditEntry entry) {
    state.segmentVersions.put(key, version);
    recordLocked(state.segmentLastChange, key, entry);
    if (segment.isPresent()) {
      segments.put(key, segment.get());
      state.segmentRaw.put(key, raw.orElseThrow());
      if (sink != null && !closed) {
        sink.upsertSegment(segment.get());
      }
    } else {
      segments.remove(key);
      state.segmentRaw.remove(key);
      if (sink != null && !closed) {
        sink.removeSegment(key);
      }
    }
  }

  private void recordLocked(Map<String, AuditEntry> last, String key, AuditEntry entry) {
    last.put(key, entry);
    state.audit.addLast(entry);
    if (state.audit.size() > AUDIT_CAPACITY) {
      state.audit.removeFirst();
    }
  }

  /**
   * A change made without the admin (from code, or a raw text for tests): the version moves forward
   * and an audit entry records it as a raw edit, as Redis records a redis-cli SET.
   */
  private void rawChangeLocked(
      DefinitionKind kind, String key, long given, @Nullable String after) {
    boolean flag = kind == DefinitionKind.FLAG;
    String before = storedTextLocked(kind, key);
    long current = versionLocked(kind, key);
    long next = before != null || current > 0 ? Math.max(given, current + 1) : Math.max(given, 1);
    (flag ? state.flagVersions : state.segmentVersions).put(key, next);
    Map<String, String> raw = flag ? state.flagRaw : state.segmentRaw;
    if (after == null) {
      raw.remove(key);
      state.malformed.remove(key);
    }
    if (before == null && after == null) {
      return;
    }
    AuditEntry entry =
        new AuditEntry(
            nextAuditIdLocked(),
            java.time.Instant.now(),
            kind,
            key,
            next,
            AuditEntry.ACTION_RAW_EDIT,
            AuditEntry.RAW_EDIT_ACTOR,
            "",
            Optional.ofNullable(before),
            Optional.ofNullable(after));
    recordLocked(flag ? state.flagLastChange : state.segmentLastChange, key, entry);
  }

  /** The stored text of a key, or null. */
  @Nullable String storedTextLocked(DefinitionKind kind, String key) {
    String raw = rawLocked(kind, key);
    if (raw != null) {
      return raw;
    }
    if (kind == DefinitionKind.FLAG) {
      Flag f = flags.get(key);
      return f == null ? null : CODEC.encode(f);
    }
    Segment s = segments.get(key);
    return s == null ? null : CODEC.encode(s);
  }

  java.util.Set<String> malformedKeysLocked() {
    return state.malformed;
  }

  /**
   * Stores a flag's text as someone without the admin would (the test of the shared admin
   * contract's raw edits): recorded as a raw edit; a text that does not read makes the flag
   * malformed.
   */
  synchronized void putRaw(String key, String text) {
    Flag flag;
    try {
      flag = CODEC.decodeFlag(key, text);
    } catch (IllegalArgumentException e) {
      rawChangeLocked(DefinitionKind.FLAG, key, 0, text);
      state.flagRaw.put(key, text);
      state.malformed.add(key);
      flags.remove(key);
      if (sink != null && !closed) {
        sink.malformedFlag(key, String.valueOf(e.getMessage()));
      }
      return;
    }
    rawChangeLocked(DefinitionKind.FLAG, key, flag.version(), text);
    state.flagRaw.put(key, text);
    state.malformed.remove(key);
    Flag versioned = flag.toBuilder().version(versionLocked(DefinitionKind.FLAG, key)).build();
    flags.put(key, versioned);
    if (sink != null && !closed) {
      sink.upsertFlag(versioned);
    }
  }

  /**
   * Stops delivering changes to the client (which is closing); later changes stay in this store
   * only.
   */
  @Override
  public synchronized void close() {
    closed = true;
  }
}
