package dev.flags.core.spi;

import dev.flags.core.Flag;
import dev.flags.core.Segment;
import dev.flags.core.StoreStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link StoreSink} for tests: applies what a store delivers to its own maps, the way the client
 * would, and records every call. Every accessor returns a copy taken under the lock, so tests poll
 * it with Awaitility ({@code await().until(() -> sink.flag("a").isPresent())}).
 *
 * <p>It also checks two promises of the {@link FlagStore} contract: calls are never concurrent
 * ({@link #overlappingCalls()}) and come in order. Thread-safe.
 */
public final class RecordingSink implements StoreSink {

  /** What was called. */
  public enum Kind {
    REPLACE_ALL,
    UPSERT_FLAG,
    REMOVE_FLAG,
    UPSERT_SEGMENT,
    REMOVE_SEGMENT,
    MALFORMED_FLAG,
    STATUS
  }

  /**
   * One call.
   *
   * @param kind the method
   * @param key the flag or segment key; empty for {@code REPLACE_ALL} and {@code STATUS}
   * @param detail the problem of {@code MALFORMED_FLAG}, the status and detail of {@code STATUS},
   *     else empty
   * @param thread the name of the thread that called
   */
  public record Event(Kind kind, String key, String detail, String thread) {
    @Override
    public String toString() {
      return kind
          + (key.isEmpty() ? "" : " " + key)
          + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
  }

  private final Map<String, Flag> flags = new LinkedHashMap<>();
  private final Map<String, Segment> segments = new LinkedHashMap<>();
  private final Map<String, String> malformed = new LinkedHashMap<>();
  private final List<Event> events = new ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger overlapping = new AtomicInteger();
  private final AtomicInteger snapshots = new AtomicInteger();
  private StoreStatus status = StoreStatus.INITIALIZING;
  private String statusDetail = "";

  /** A sink holding nothing, status INITIALIZING. */
  public RecordingSink() {}

  @Override
  public void replaceAll(StoreSnapshot snapshot) {
    enter();
    try {
      synchronized (this) {
        flags.clear();
        flags.putAll(snapshot.flags());
        segments.clear();
        segments.putAll(snapshot.segments());
        malformed.clear();
        malformed.putAll(snapshot.malformedFlags());
        record(Kind.REPLACE_ALL, "", "");
      }
      snapshots.incrementAndGet();
    } finally {
      exit();
    }
  }

  @Override
  public void upsertFlag(Flag flag) {
    enter();
    try {
      synchronized (this) {
        flags.put(flag.key(), flag);
        malformed.remove(flag.key());
        record(Kind.UPSERT_FLAG, flag.key(), "");
      }
    } finally {
      exit();
    }
  }

  @Override
  public void removeFlag(String flagKey) {
    enter();
    try {
      synchronized (this) {
        flags.remove(flagKey);
        malformed.remove(flagKey);
        record(Kind.REMOVE_FLAG, flagKey, "");
      }
    } finally {
      exit();
    }
  }

  @Override
  public void upsertSegment(Segment segment) {
    enter();
    try {
      synchronized (this) {
        segments.put(segment.key(), segment);
        record(Kind.UPSERT_SEGMENT, segment.key(), "");
      }
    } finally {
      exit();
    }
  }

  @Override
  public void removeSegment(String segmentKey) {
    enter();
    try {
      synchronized (this) {
        segments.remove(segmentKey);
        record(Kind.REMOVE_SEGMENT, segmentKey, "");
      }
    } finally {
      exit();
    }
  }

  @Override
  public void malformedFlag(String flagKey, String problem) {
    enter();
    try {
      synchronized (this) {
        flags.remove(flagKey);
        malformed.put(flagKey, problem);
        record(Kind.MALFORMED_FLAG, flagKey, problem);
      }
    } finally {
      exit();
    }
  }

  @Override
  public void statusChanged(StoreStatus status, String detail) {
    enter();
    try {
      synchronized (this) {
        this.status = status;
        this.statusDetail = detail;
        record(Kind.STATUS, "", status + ": " + detail);
      }
    } finally {
      exit();
    }
  }

  /** The flags as the client would hold them now. */
  public synchronized Map<String, Flag> flags() {
    return Map.copyOf(flags);
  }

  /** One flag as the client would hold it now. */
  public synchronized Optional<Flag> flag(String key) {
    return Optional.ofNullable(flags.get(key));
  }

  /** The segments as the client would hold them now. */
  public synchronized Map<String, Segment> segments() {
    return Map.copyOf(segments);
  }

  /** One segment as the client would hold it now. */
  public synchronized Optional<Segment> segment(String key) {
    return Optional.ofNullable(segments.get(key));
  }

  /** Keys reported malformed and not replaced since, with their problems. */
  public synchronized Map<String, String> malformedFlags() {
    return Map.copyOf(malformed);
  }

  /** The last status reported; INITIALIZING before any. */
  public synchronized StoreStatus status() {
    return status;
  }

  /** The detail of the last status reported. */
  public synchronized String statusDetail() {
    return statusDetail;
  }

  /** Every call so far, in order. */
  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** The number of calls so far: pass it to {@link #eventsSince(int)} to see what came after. */
  public synchronized int mark() {
    return events.size();
  }

  /** The calls made after {@link #mark()} returned {@code mark}. */
  public synchronized List<Event> eventsSince(int mark) {
    return List.copyOf(events.subList(mark, events.size()));
  }

  /** The calls after {@code mark} that changed definitions (all but {@code STATUS}). */
  public synchronized List<Event> changesSince(int mark) {
    return events.subList(mark, events.size()).stream()
        .filter(e -> e.kind() != Kind.STATUS)
        .toList();
  }

  /** How many full snapshots arrived. */
  public int snapshotCount() {
    return snapshots.get();
  }

  /** How many calls started while another was still running: the contract says zero. */
  public int overlappingCalls() {
    return overlapping.get();
  }

  private void record(Kind kind, String key, String detail) {
    events.add(new Event(kind, key, detail, Thread.currentThread().getName()));
  }

  private void enter() {
    if (inFlight.incrementAndGet() > 1) {
      overlapping.incrementAndGet();
    }
  }

  private void exit() {
    inFlight.decrementAndGet();
  }
}
