package dev.flags.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.Segment;
import dev.flags.core.StoreStatus;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link FlagStore} shares, written once: each store's test extends this class
 * and says how to build the store on given flags and how to change its backing source (a file, a
 * Redis server, a map…). A store passes when it delivers the initial snapshot first, then exactly
 * the changes made to its source, one call at a time, never blocks {@code start}, and stops all of
 * its threads on {@code close}.
 *
 * <p>Published in flags-core's test-jar; depends only on JUnit 5, AssertJ and Awaitility.
 */
public abstract class FlagStoreContractTest {

  /** How a store reports a definition it cannot read. */
  protected enum MalformedHandling {
    /** Per definition: {@link StoreSink#malformedFlag} for that key, the others untouched. */
    PER_FLAG,
    /**
     * The whole source is rejected (one JSON document): status STALE, every previous definition
     * kept, including the old version of the broken one.
     */
    WHOLE_SOURCE,
    /**
     * The source holds only validated objects, so nothing malformed can be written; {@link
     * #writeMalformedFlag} throws {@link UnsupportedOperationException}.
     */
    NOT_POSSIBLE
  }

  /** An on/off switch. */
  protected static final Flag ALPHA = Flag.simple("alpha", true);

  /** A string flag with targets. */
  protected static final Flag BETA =
      Flag.builder("beta")
          .variations("red", "green")
          .fallthroughVariation(1)
          .target(0, "user-1")
          .build();

  /** Another switch, off. */
  protected static final Flag GAMMA = Flag.simple("gamma", false);

  /** A segment no flag uses, so it can be removed freely. */
  protected static final Segment TESTERS =
      Segment.builder("testers").include("user-1", "user-2").build();

  private FlagStore store;
  private RecordingSink sink;
  private final Set<Thread> threadsBeforeStart = new HashSet<>();

  /**
   * A new, not yet started store whose source holds exactly {@code initial}. Called at most once
   * per test; the changes below apply to its source.
   */
  protected abstract FlagStore createStore(FlagSet initial) throws Exception;

  /** Adds or replaces {@code flag} in the source, as an operator would. */
  protected abstract void writeFlag(Flag flag) throws Exception;

  /** Removes a flag from the source. */
  protected abstract void removeFlag(String key) throws Exception;

  /** Adds or replaces {@code segment} in the source. */
  protected abstract void writeSegment(Segment segment) throws Exception;

  /** Removes a segment from the source. */
  protected abstract void removeSegment(String key) throws Exception;

  /** How the store reports unreadable definitions; see {@link #writeMalformedFlag}. */
  protected abstract MalformedHandling malformedHandling();

  /**
   * Writes an unreadable definition for {@code key} into the source (invalid JSON, an unknown
   * variation index…).
   *
   * @throws UnsupportedOperationException when {@link #malformedHandling()} is {@code NOT_POSSIBLE}
   */
  protected void writeMalformedFlag(String key) throws Exception {
    throw new UnsupportedOperationException("this store's source holds only valid definitions");
  }

  /** How long a change to the source may take to reach the sink. */
  protected Duration changeTimeout() {
    return Duration.ofSeconds(10);
  }

  /** How long to watch for calls that must not come. */
  protected Duration quietPeriod() {
    return Duration.ofMillis(400);
  }

  /**
   * Whether a thread that appeared while the store ran belongs to it. The default excludes shared
   * pools the store did not start (the common fork-join pool, Awaitility's poller, the JDK's
   * process reaper and cleaner).
   */
  protected boolean isStoreThread(Thread thread) {
    String name = thread.getName();
    return !name.startsWith("ForkJoinPool.commonPool")
        && !name.startsWith("awaitility")
        && !name.equals("process reaper")
        && !name.equals("Common-Cleaner")
        && !name.equals("Attach Listener");
  }

  /** Closes the store and frees anything behind the source; called after each test. */
  protected void tearDownSource() throws Exception {}

  @AfterEach
  final void closeStoreAndCheckCalls() throws Exception {
    try {
      if (store != null) {
        store.close();
      }
      if (sink != null) {
        assertThat(sink.overlappingCalls()).as("sink calls that overlapped another call").isZero();
      }
    } finally {
      tearDownSource();
    }
  }

  /** Creates the store on {@code initial}, starts it, and waits for its first status OK. */
  protected final RecordingSink startStore(FlagSet initial) throws Exception {
    store = createStore(initial);
    sink = new RecordingSink();
    threadsBeforeStart.addAll(Thread.getAllStackTraces().keySet());
    store.start(sink);
    await("initial load").atMost(changeTimeout()).until(() -> sink.status() == StoreStatus.OK);
    return sink;
  }

  /** The store of this test, once {@link #startStore} ran. */
  protected final FlagStore store() {
    return store;
  }

  private static FlagSet initialSet() {
    return FlagSet.of(List.of(ALPHA, BETA), List.of(TESTERS));
  }

  @Test
  void deliversTheInitialSnapshotBeforeAnyChange() throws Exception {
    RecordingSink sink = startStore(initialSet());

    assertThat(sink.changesSince(0))
        .first()
        .extracting(RecordingSink.Event::kind)
        .isEqualTo(RecordingSink.Kind.REPLACE_ALL);
    assertThat(sink.flags()).isEqualTo(initialSet().flags());
    assertThat(sink.segments()).isEqualTo(initialSet().segments());
    assertThat(sink.snapshotCount()).isEqualTo(1);
  }

  @Test
  void reportsStatusOkOnceLoaded() throws Exception {
    RecordingSink sink = startStore(initialSet());

    assertThat(sink.status()).isEqualTo(StoreStatus.OK);
    assertThat(sink.events())
        .filteredOn(e -> e.kind() == RecordingSink.Kind.STATUS)
        .last()
        .satisfies(e -> assertThat(e.detail()).startsWith("OK"));
  }

  @Test
  void startReturnsWithoutWaitingForTheFirstLoad() throws Exception {
    store = createStore(initialSet());
    RecordingSink recorder = new RecordingSink();
    sink = recorder;
    threadsBeforeStart.addAll(Thread.getAllStackTraces().keySet());
    Thread caller = Thread.currentThread();
    CountDownLatch startReturned = new CountDownLatch(1);
    AtomicBoolean startWaitedForDelivery = new AtomicBoolean();
    // A store that delivers on its own thread must return from start while that thread is still
    // inside the sink; a store that delivers on the caller's thread holds its data in memory.
    StoreSink slowSink =
        new DelegatingSink(recorder) {
          @Override
          public void replaceAll(StoreSnapshot snapshot) {
            if (Thread.currentThread() != caller) {
              try {
                if (!startReturned.await(5, TimeUnit.SECONDS)) {
                  startWaitedForDelivery.set(true);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            super.replaceAll(snapshot);
          }
        };

    long began = System.nanoTime();
    store.start(slowSink);
    Duration took = Duration.ofNanos(System.nanoTime() - began);
    startReturned.countDown();

    assertThat(took).isLessThan(Duration.ofSeconds(2));
    await().atMost(changeTimeout()).until(() -> recorder.status() == StoreStatus.OK);
    assertThat(startWaitedForDelivery).as("start waited for the sink").isFalse();
    assertThat(recorder.flags()).isEqualTo(initialSet().flags());
  }

  @Test
  void deliversANewFlag() throws Exception {
    RecordingSink sink = startStore(initialSet());

    writeFlag(GAMMA);

    await()
        .atMost(changeTimeout())
        .until(() -> sink.flag("gamma").equals(java.util.Optional.of(GAMMA)));
  }

  @Test
  void deliversAChangedFlag() throws Exception {
    RecordingSink sink = startStore(initialSet());
    Flag changed = BETA.toBuilder().version(2).fallthroughVariation(0).build();

    writeFlag(changed);

    await()
        .atMost(changeTimeout())
        .until(() -> sink.flag("beta").equals(java.util.Optional.of(changed)));
  }

  @Test
  void deliversARemovedFlag() throws Exception {
    RecordingSink sink = startStore(initialSet());

    removeFlag("alpha");

    await().atMost(changeTimeout()).until(() -> sink.flag("alpha").isEmpty());
    assertThat(sink.flags()).containsOnlyKeys("beta");
  }

  @Test
  void deliversANewAndAChangedSegment() throws Exception {
    RecordingSink sink = startStore(initialSet());
    Segment admins = Segment.builder("admins").include("root").build();
    Segment moreTesters =
        Segment.builder("testers").version(2).include("user-1", "user-2", "user-3").build();

    writeSegment(admins);
    writeSegment(moreTesters);

    await()
        .atMost(changeTimeout())
        .until(
            () ->
                sink.segments().equals(java.util.Map.of("admins", admins, "testers", moreTesters)));
  }

  @Test
  void deliversARemovedSegment() throws Exception {
    RecordingSink sink = startStore(initialSet());

    removeSegment("testers");

    await().atMost(changeTimeout()).until(() -> sink.segments().isEmpty());
  }

  @Test
  void aChangeToOneFlagNotifiesOnlyThatFlag() throws Exception {
    RecordingSink sink = startStore(FlagSet.of(List.of(ALPHA, BETA, GAMMA), List.of(TESTERS)));
    int mark = sink.mark();
    Flag changed = GAMMA.toBuilder().version(7).on(true).build();

    writeFlag(changed);

    await()
        .atMost(changeTimeout())
        .until(() -> sink.flag("gamma").equals(java.util.Optional.of(changed)));
    await()
        .during(quietPeriod())
        .atMost(quietPeriod().multipliedBy(3))
        .untilAsserted(
            () ->
                assertThat(sink.changesSince(mark))
                    .extracting(e -> e.kind() + " " + e.key())
                    .containsExactly("UPSERT_FLAG gamma"));
  }

  @Test
  void endsWithTheLastOfQuickSuccessiveChanges() throws Exception {
    RecordingSink sink = startStore(initialSet());
    Flag last = null;

    for (int version = 1; version <= 5; version++) {
      last = BETA.toBuilder().version(version).build();
      writeFlag(last);
    }

    Flag expected = last;
    await()
        .atMost(changeTimeout())
        .until(() -> sink.flag("beta").equals(java.util.Optional.of(expected)));
    await()
        .during(quietPeriod())
        .atMost(quietPeriod().multipliedBy(3))
        .until(() -> sink.flag("beta").equals(java.util.Optional.of(expected)));
  }

  @Test
  void keepsOtherFlagsWhenADefinitionIsMalformed() throws Exception {
    if (malformedHandling() == MalformedHandling.NOT_POSSIBLE) {
      assertThatThrownBy(() -> writeMalformedFlag("beta"))
          .isInstanceOf(UnsupportedOperationException.class);
      return;
    }
    RecordingSink sink = startStore(initialSet());

    writeMalformedFlag("beta");

    if (malformedHandling() == MalformedHandling.PER_FLAG) {
      await().atMost(changeTimeout()).until(() -> sink.malformedFlags().containsKey("beta"));
      assertThat(sink.flags()).containsOnlyKeys("alpha").containsEntry("alpha", ALPHA);
    } else {
      await().atMost(changeTimeout()).until(() -> sink.status() == StoreStatus.STALE);
      assertThat(sink.flags()).isEqualTo(initialSet().flags());
      assertThat(sink.statusDetail()).isNotBlank();
    }
    assertThat(sink.segments()).isEqualTo(initialSet().segments());
  }

  @Test
  void recoversWhenAMalformedDefinitionIsFixed() throws Exception {
    if (malformedHandling() == MalformedHandling.NOT_POSSIBLE) {
      assertThatThrownBy(() -> writeMalformedFlag("beta"))
          .isInstanceOf(UnsupportedOperationException.class);
      return;
    }
    RecordingSink sink = startStore(initialSet());
    writeMalformedFlag("beta");
    await()
        .atMost(changeTimeout())
        .until(
            () -> sink.malformedFlags().containsKey("beta") || sink.status() == StoreStatus.STALE);
    Flag fixed = BETA.toBuilder().version(3).build();

    writeFlag(fixed);

    await()
        .atMost(changeTimeout())
        .until(
            () ->
                sink.flag("beta").equals(java.util.Optional.of(fixed))
                    && sink.malformedFlags().isEmpty()
                    && sink.status() == StoreStatus.OK);
  }

  @Test
  void closeIsIdempotent() throws Exception {
    startStore(initialSet());

    assertThatCode(
            () -> {
              store.close();
              store.close();
            })
        .doesNotThrowAnyException();
  }

  @Test
  void closeStopsEveryThreadTheStoreStarted() throws Exception {
    startStore(initialSet());

    store.close();

    await("threads of the store to end")
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(Thread.getAllStackTraces().keySet())
                    .filteredOn(Thread::isAlive)
                    .filteredOn(t -> !threadsBeforeStart.contains(t))
                    .filteredOn(this::isStoreThread)
                    .extracting(Thread::getName)
                    .isEmpty());
  }

  @Test
  void deliversNothingAfterClose() throws Exception {
    RecordingSink sink = startStore(initialSet());
    store.close();
    int mark = sink.mark();

    writeFlag(GAMMA);
    removeFlag("alpha");

    await()
        .during(quietPeriod())
        .atMost(quietPeriod().multipliedBy(3))
        .until(() -> sink.eventsSince(mark).isEmpty());
  }

  /** Forwards every call; tests override one method to slow it down or observe it. */
  private static class DelegatingSink implements StoreSink {
    private final StoreSink delegate;

    DelegatingSink(StoreSink delegate) {
      this.delegate = delegate;
    }

    @Override
    public void replaceAll(StoreSnapshot snapshot) {
      delegate.replaceAll(snapshot);
    }

    @Override
    public void upsertFlag(Flag flag) {
      delegate.upsertFlag(flag);
    }

    @Override
    public void removeFlag(String flagKey) {
      delegate.removeFlag(flagKey);
    }

    @Override
    public void upsertSegment(Segment segment) {
      delegate.upsertSegment(segment);
    }

    @Override
    public void removeSegment(String segmentKey) {
      delegate.removeSegment(segmentKey);
    }

    @Override
    public void malformedFlag(String flagKey, String problem) {
      delegate.malformedFlag(flagKey, problem);
    }

    @Override
    public void statusChanged(StoreStatus status, String detail) {
      delegate.statusChanged(status, detail);
    }
  }
}
