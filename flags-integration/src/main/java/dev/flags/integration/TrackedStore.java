package dev.flags.integration;

import dev.flags.core.Flag;
import dev.flags.core.Segment;
import dev.flags.core.StoreStatus;
import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.StoreSink;
import dev.flags.core.spi.StoreSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Wraps the store the client reads, to know what the client does not say: which flags are malformed
 * (and why), the segments, and when the last full load came. The health report counts malformed
 * flags from it, and the read-only admin lists segments from it, without asking the store again.
 * Everything else passes through unchanged.
 *
 * <p>Thread-safe: the store calls the sink from its own thread, readers read from any.
 */
final class TrackedStore implements FlagStore {

  private final FlagStore delegate;
  private final Clock clock;
  private final Map<String, String> malformed = new ConcurrentHashMap<>();
  private final Map<String, Segment> segments = new ConcurrentHashMap<>();
  private volatile @Nullable Instant lastFullLoad;

  TrackedStore(FlagStore delegate, Clock clock) {
    this.delegate = delegate;
    this.clock = clock;
  }

  @Override
  public void start(StoreSink sink) {
    delegate.start(new Sink(sink));
  }

  @Override
  public void prefetch(String flagKey) {
    delegate.prefetch(flagKey);
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** The malformed flags the store reported and has not replaced since, by key. */
  Map<String, String> malformed() {
    return new TreeMap<>(malformed);
  }

  /** Why the flag is malformed, if it is. */
  Optional<String> malformed(String flagKey) {
    return Optional.ofNullable(malformed.get(flagKey));
  }

  /** The segments the store delivered, by key. */
  Map<String, Segment> segments() {
    return new TreeMap<>(segments);
  }

  /** When the store last delivered everything it holds. */
  Optional<Instant> lastFullLoad() {
    return Optional.ofNullable(lastFullLoad);
  }

  private final class Sink implements StoreSink {
    private final StoreSink client;

    Sink(StoreSink client) {
      this.client = client;
    }

    @Override
    public void replaceAll(StoreSnapshot snapshot) {
      malformed.keySet().retainAll(snapshot.malformedFlags().keySet());
      malformed.putAll(snapshot.malformedFlags());
      segments.keySet().retainAll(snapshot.segments().keySet());
      segments.putAll(snapshot.segments());
      lastFullLoad = clock.instant();
      client.replaceAll(snapshot);
    }

    @Override
    public void upsertFlag(Flag flag) {
      malformed.remove(flag.key());
      client.upsertFlag(flag);
    }

    @Override
    public void removeFlag(String flagKey) {
      malformed.remove(flagKey);
      client.removeFlag(flagKey);
    }

    @Override
    public void upsertSegment(Segment segment) {
      segments.put(segment.key(), segment);
      client.upsertSegment(segment);
    }

    @Override
    public void removeSegment(String segmentKey) {
      segments.remove(segmentKey);
      client.removeSegment(segmentKey);
    }

    @Override
    public void malformedFlag(String flagKey, String problem) {
      malformed.put(flagKey, problem);
      client.malformedFlag(flagKey, problem);
    }

    @Override
    public void statusChanged(StoreStatus status, String detail) {
      client.statusChanged(status, detail);
    }
  }
}
