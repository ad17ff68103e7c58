package dev.flags.core;

import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.StoreSink;
import dev.flags.core.spi.StoreSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Flags held in memory, changed from code: the config-dict of flags for small apps, and the test
 * double for users' own tests. Every change reaches the client at once, on the calling thread.
 *
 * {@snippet :
 * InMemoryFlagStore store = InMemoryFlagStore.of(Flag.simple("new_ui_layout", false));
 * Flags flags = Flags.builder().store(store).build();
 * store.upsert(Flag.simple("new_ui_layout", true)); // flags now serves true
 * }
 *
 * <p>Thread-safe: changes are serialized.
 */
public final class InMemoryFlagStore implements FlagStore {

  private final Map<String, Flag> flags = new LinkedHashMap<>();
  private final Map<String, Segment> segments = new LinkedHashMap<>();
  private StoreSink sink;
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
            throw new FlagValidationException(key, e.getMessage());
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
    flags.put(flag.key(), flag);
    if (sink != null && !closed) {
      sink.upsertFlag(flag);
    }
  }

  /** Adds or replaces a segment. */
  public synchronized void upsert(Segment segment) {
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
    flags.remove(flagKey);
    if (sink != null && !closed) {
      sink.removeFlag(flagKey);
    }
  }

  /** Removes a segment. */
  public synchronized void removeSegment(String segmentKey) {
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
   * Stops delivering changes to the client (which is closing); later changes stay in this store
   * only.
   */
  @Override
  public synchronized void close() {
    closed = true;
  }
}
