package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.FlagClientTest.ManualStore;
import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.StoreSink;
import dev.flags.core.spi.StoreSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an evaluation sees while the store changes things, and what initialization promises. */
class ClientConsistencyTest {
  private static final EvaluationContext USER = EvaluationContext.of("u1");

  /**
   * State A and state B each answer "A"/"B" for {@code f} (through a segment) and for {@code g}
   * (through a prerequisite). Any mix of the two — new segments with old flags, a new flag with an
   * old prerequisite — answers "none" instead.
   */
  private static FlagSet state(String name) {
    String segment = "seg" + name;
    Flag f =
        Flag.builder("f")
            .variations("none", "A", "B")
            .fallthroughVariation(0)
            .rule(Rule.when(Clause.inSegment(segment)).serve(name.equals("A") ? 1 : 2))
            .build();
    Flag h =
        Flag.builder("h")
            .variations("none", "A", "B")
            .fallthroughVariation(name.equals("A") ? 1 : 2)
            .build();
    Flag g =
        Flag.builder("g")
            .variations("none", "A", "B")
            .offVariation(0)
            .fallthroughVariation(name.equals("A") ? 1 : 2)
            .prerequisite("h", name.equals("A") ? 1 : 2)
            .build();
    return FlagSet.of(List.of(f, g, h), List.of(Segment.builder(segment).include("u1").build()));
  }

  @Test
  void evaluationsDuringReloadsSeeOneWholeStateNeverAMix() throws Exception {
    ManualStore store = new ManualStore();
    StoreSnapshot a = StoreSnapshot.of(state("A"));
    StoreSnapshot b = StoreSnapshot.of(state("B"));
    try (Flags flags = Flags.builder().store(store).build()) {
      StoreSink sink = store.sink.get();
      sink.replaceAll(a);
      AtomicBoolean stop = new AtomicBoolean();
      Set<String> seen = ConcurrentHashMap.newKeySet();
      AtomicInteger mixed = new AtomicInteger();
      AtomicInteger evaluations = new AtomicInteger();
      List<Thread> readers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        Thread reader =
            new Thread(
                () -> {
                  while (!stop.get()) {
                    for (String key : List.of("f", "g")) {
                      String v = flags.getString(key, USER, "error");
                      evaluations.incrementAndGet();
                      if (v.equals("A") || v.equals("B")) {
                        seen.add(key + v);
                      } else {
                        mixed.incrementAndGet();
                      }
                    }
                  }
                });
        reader.start();
        readers.add(reader);
      }
      for (int i = 0; i < 20_000; i++) {
        sink.replaceAll(i % 2 == 0 ? b : a);
      }
      stop.set(true);
      for (Thread reader : readers) {
        reader.join(TimeUnit.SECONDS.toMillis(10));
      }
      assertThat(evaluations.get()).isPositive();
      assertThat(seen).as("both states were served").contains("fA", "fB", "gA", "gB");
      assertThat(mixed.get()).as("answers from a mix of the two states").isZero();
    }
  }

  /** Delivers its first load, then reports OK only when told to: the gap a real store has. */
  private static final class SlowToReportStore implements FlagStore {
    final CountDownLatch report = new CountDownLatch(1);
    private Thread thread;

    @Override
    public void start(StoreSink sink) {
      thread =
          new Thread(
              () -> {
                sink.replaceAll(StoreSnapshot.of(FlagSet.of(Flag.simple("f", true))));
                try {
                  report.await();
                } catch (InterruptedException e) {
                  return;
                }
                sink.statusChanged(StoreStatus.OK, "reported");
              });
      thread.start();
    }

    @Override
    public void close() {
      thread.interrupt();
    }
  }

  @Test
  void statusIsNoLongerInitializingOnceInitializationIsReleased() {
    SlowToReportStore store = new SlowToReportStore();
    List<StoreStatus> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Flags flags = Flags.builder().store(store).build()) {
      flags.addListener(
          new FlagListener() {
            @Override
            public void onStatusChanged(StoreStatus status) {
              heard.add(status);
            }
          });
      assertThat(flags.awaitInitialization(Duration.ofSeconds(10))).isTrue();
      assertThat(flags.status()).isEqualTo(StoreStatus.OK);
      store.report.countDown();
      org.awaitility.Awaitility.await().until(() -> flags.statusDetail().equals("reported"));
      assertThat(flags.status()).isEqualTo(StoreStatus.OK);
      // Listeners hear the store's own report, once.
      org.awaitility.Awaitility.await().until(() -> heard.equals(List.of(StoreStatus.OK)));
    }
  }

  @Test
  void aStoreThatSaysStaleAfterItsFirstLoadIsStale() {
    ManualStore store = new ManualStore();
    try (Flags flags = Flags.builder().store(store).build()) {
      store.sink.get().replaceAll(StoreSnapshot.of(FlagSet.of(Flag.simple("f", true))));
      assertThat(flags.status()).isEqualTo(StoreStatus.OK);
      store.sink.get().statusChanged(StoreStatus.STALE, "serving a snapshot file");
      assertThat(flags.status()).isEqualTo(StoreStatus.STALE);
      assertThat(flags.statusDetail()).isEqualTo("serving a snapshot file");
    }
  }

  @Test
  void aStatusTheStoreReportedBeforeItsFirstLoadIsKept() {
    ManualStore store = new ManualStore();
    try (Flags flags = Flags.builder().store(store).build()) {
      store.sink.get().statusChanged(StoreStatus.UNAVAILABLE, "Redis down; serving the bootstrap");
      store.sink.get().replaceAll(StoreSnapshot.of(FlagSet.of(Flag.simple("f", true))));
      assertThat(flags.isInitialized()).isTrue();
      assertThat(flags.status()).isEqualTo(StoreStatus.UNAVAILABLE);
    }
  }

  @Test
  void fileStoreClientsAreOkWhenInitialized(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, "{\"flags\": {\"f\": true}}");
    for (int i = 0; i < 100; i++) {
      try (Flags flags =
          Flags.builder().store(FileFlagStore.builder().path(file).build()).build()) {
        assertThat(flags.awaitInitialization(Duration.ofSeconds(10))).isTrue();
        assertThat(flags.status()).as("client %d", i).isEqualTo(StoreStatus.OK);
      }
    }
  }
}
