package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.FlagClientTest.ManualStore;
import dev.flags.core.spi.StoreSink;
import dev.flags.core.spi.StoreSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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

  @Test
  void aFirstLoadDeliveredWithItsStatusIsReleasedWithThatStatus() {
    ManualStore store = new ManualStore();
    List<StoreStatus> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Flags flags = Flags.builder().store(store).build()) {
      flags.addListener(
          new FlagListener() {
            @Override
            public void onStatusChanged(StoreStatus status) {
              heard.add(status);
            }
          });
      AtomicReference<StoreStatus> seenWhenReleased = new AtomicReference<>();
      Thread waiter =
          new Thread(
              () -> {
                flags.awaitInitialization(Duration.ofSeconds(10));
                seenWhenReleased.set(flags.status());
              });
      waiter.start();
      store
          .sink
          .get()
          .replaceAll(
              StoreSnapshot.of(FlagSet.of(Flag.simple("f", true))), StoreStatus.OK, "loaded");
      org.awaitility.Awaitility.await().until(() -> seenWhenReleased.get() != null);
      assertThat(seenWhenReleased.get()).isEqualTo(StoreStatus.OK);
      assertThat(flags.statusDetail()).isEqualTo("loaded");
      org.awaitility.Awaitility.await().until(() -> heard.equals(List.of(StoreStatus.OK)));
    }
  }

  @Test
  void aStoreThatReportsItsStatusAfterTheLoadKeepsItsOwnStatusMeanwhile() {
    // A Redis store keeps INITIALIZING between its first load and its subscription: that is its
    // real status, and the client does not make one up.
    ManualStore store = new ManualStore();
    try (Flags flags = Flags.builder().store(store).build()) {
      store.sink.get().replaceAll(StoreSnapshot.of(FlagSet.of(Flag.simple("f", true))));
      assertThat(flags.isInitialized()).isTrue();
      assertThat(flags.status()).isEqualTo(StoreStatus.INITIALIZING);
      store.sink.get().statusChanged(StoreStatus.STALE, "serving a snapshot file");
      assertThat(flags.status()).isEqualTo(StoreStatus.STALE);
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
  void inMemoryStoreClientsAreOkWhenInitialized() {
    for (int i = 0; i < 300; i++) {
      try (Flags flags =
          Flags.builder().store(InMemoryFlagStore.of(Flag.simple("f", true))).build()) {
        assertThat(flags.awaitInitialization(Duration.ofSeconds(10))).isTrue();
        assertThat(flags.status()).as("client %d", i).isEqualTo(StoreStatus.OK);
      }
    }
  }

  @Test
  void fileStoreClientsAreOkWhenInitialized(@TempDir Path dir) throws Exception {
    // Regression: 120 of 300 clients read INITIALIZING after awaitInitialization() returned true.
    Path file = dir.resolve("flags.json");
    Files.writeString(file, "{\"flags\": {\"f\": true}}");
    for (int i = 0; i < 300; i++) {
      try (Flags flags =
          Flags.builder().store(FileFlagStore.builder().path(file).build()).build()) {
        assertThat(flags.awaitInitialization(Duration.ofSeconds(10))).isTrue();
        assertThat(flags.status()).as("client %d", i).isEqualTo(StoreStatus.OK);
      }
    }
  }
}
