package dev.flags.core;

import static dev.flags.core.FileFlagStoreContractTest.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flags.core.json.FlagCodec;
import dev.flags.core.spi.RecordingSink;
import dev.flags.core.spi.StoreSink;
import dev.flags.core.spi.StoreSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour of the file store beyond the store contract: reloads, bad files, sources, threads. */
class FileFlagStoreTest {

  private static final FlagCodec CODEC = FlagCodec.standard();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofMillis(400);

  private static final Flag A = Flag.simple("a", true);
  private static final Flag B =
      Flag.builder("b").variations("red", "green").fallthroughVariation(1).build();
  private static final Flag C = Flag.simple("c", false);
  private static final Flag D = Flag.simple("d", true);

  @TempDir Path dir;

  private final List<FileFlagStore> stores = new ArrayList<>();
  private final List<LogRecord> logged = new ArrayList<>();
  private final Logger julLogger = Logger.getLogger(FileFlagStore.class.getName());
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          synchronized (logged) {
            logged.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureLogs() {
    julLogger.addHandler(capture);
  }

  @AfterEach
  void closeStores() {
    stores.forEach(FileFlagStore::close);
    julLogger.removeHandler(capture);
  }

  private FileFlagStore track(FileFlagStore store) {
    stores.add(store);
    return store;
  }

  private RecordingSink start(FileFlagStore store) {
    RecordingSink sink = new RecordingSink();
    track(store).start(sink);
    return sink;
  }

  private RecordingSink startOk(FileFlagStore store) {
    RecordingSink sink = start(store);
    await().atMost(TIMEOUT).until(() -> sink.status() == StoreStatus.OK);
    return sink;
  }

  private static String json(Flag... flags) {
    return CODEC.encode(FlagSet.of(flags));
  }

  private static String json(List<Flag> flags, List<Segment> segments) {
    return CODEC.encode(FlagSet.of(flags, segments));
  }

  private List<LogRecord> warnings() {
    synchronized (logged) {
      return logged.stream().filter(r -> r.getLevel() == Level.WARNING).toList();
    }
  }

  private static List<String> changes(RecordingSink sink, int mark) {
    return sink.changesSince(mark).stream().map(e -> e.kind() + " " + e.key()).toList();
  }

  private static long aliveWatcherThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().equals(FileFlagStore.THREAD_NAME))
        .count();
  }

  @Test
  void editingTheFileNotifiesExactlyTheChangedFlags() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, json(A, B, C));
    RecordingSink sink = startOk(FileFlagStore.builder().path(file).build());
    int mark = sink.mark();
    Flag newB = B.toBuilder().version(2).on(false).build();

    Files.writeString(file, json(A, newB, D)); // in place, as `echo > flags.json` does

    await().atMost(TIMEOUT).until(() -> sink.flags().equals(Map.of("a", A, "b", newB, "d", D)));
    await()
        .during(QUIET)
        .atMost(QUIET.multipliedBy(3))
        .untilAsserted(
            () ->
                assertThat(changes(sink, mark))
                    .containsExactlyInAnyOrder("UPSERT_FLAG b", "UPSERT_FLAG d", "REMOVE_FLAG c"));
  }

  @Test
  void seesASaveByAtomicRename() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, json(A));
    RecordingSink sink =
        startOk(FileFlagStore.builder().path(file).pollInterval(Duration.ofMinutes(1)).build());

    Path tmp = dir.resolve(".flags.json.swp");
    Files.writeString(tmp, json(A, D));
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

    await().atMost(TIMEOUT).until(() -> sink.flag("d").equals(Optional.of(D)));
    assertThat(sink.status()).isEqualTo(StoreStatus.OK);
  }

  @Test
  void seesASaveThatMovesTheOldFileAsideFirst() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, json(A));
    RecordingSink sink =
        startOk(FileFlagStore.builder().path(file).pollInterval(Duration.ofMinutes(1)).build());

    Files.move(
        file,
        dir.resolve("flags.json~"),
        StandardCopyOption.REPLACE_EXISTING); // vim's backup dance
    Files.writeString(file, json(A, D));

    await()
        .atMost(TIMEOUT)
        .until(() -> sink.flag("d").equals(Optional.of(D)) && sink.status() == StoreStatus.OK);
  }

  @Test
  void aDirectoryFollowsFilesAddedAndRemoved() throws Exception {
    Files.writeString(dir.resolve("a.json"), json(A));
    RecordingSink sink = startOk(FileFlagStore.builder().path(dir).build());
    int mark = sink.mark();

    Files.writeString(dir.resolve("b.json"), json(B));
    await().atMost(TIMEOUT).until(() -> sink.flags().equals(Map.of("a", A, "b", B)));
    Files.delete(dir.resolve("a.json"));
    await().atMost(TIMEOUT).until(() -> sink.flags().equals(Map.of("b", B)));

    assertThat(changes(sink, mark)).containsExactly("UPSERT_FLAG b", "REMOVE_FLAG a");
  }

  @Test
  void aDirectoryIgnoresHiddenAndNonJsonFiles() throws Exception {
    Files.writeString(dir.resolve("a.json"), json(A));
    Files.writeString(dir.resolve(".b.json"), json(B));
    Files.writeString(dir.resolve("c.json.bak"), json(C));
    Files.writeString(dir.resolve("README.md"), "not flags");

    RecordingSink sink = startOk(FileFlagStore.builder().path(dir).build());

    assertThat(sink.flags()).isEqualTo(Map.of("a", A));
  }

  @Test
  void aFlagMayUseASegmentDefinedInAnotherFileOfTheDirectory() throws Exception {
    Segment beta = Segment.builder("beta-testers").include("user-1").build();
    Flag gated =
        Flag.builder("gated")
            .fallthrough(false)
            .rule(Rule.when(Clause.inSegment("beta-testers")).serve(true))
            .build();
    Files.writeString(dir.resolve("segments.json"), json(List.of(), List.of(beta)));
    Files.writeString(
        dir.resolve("flags.json"), "{\"flags\": {\"gated\": " + CODEC.encode(gated) + "}}");

    RecordingSink sink = startOk(FileFlagStore.builder().path(dir).build());

    assertThat(sink.flags()).isEqualTo(Map.of("gated", gated));
    assertThat(sink.segments()).isEqualTo(Map.of("beta-testers", beta));
  }

  @Test
  void aKeyDefinedInTwoFilesRejectsTheWholeLoad() throws Exception {
    Files.writeString(dir.resolve("a.json"), json(A));
    FileFlagStore store = FileFlagStore.builder().path(dir).build();
    RecordingSink sink = startOk(store);

    writeAtomically(dir.resolve("z.json"), json(Flag.simple("a", false), D));

    await().atMost(TIMEOUT).until(() -> sink.status() == StoreStatus.STALE);
    assertThat(store.lastError())
        .hasValueSatisfying(error -> assertThat(error).contains("z.json", "a.json", "flag \"a\""));
    assertThat(sink.flags()).isEqualTo(Map.of("a", A));
  }

  @Test
  void brokenJsonKeepsTheLastGoodFlagsAndIsReportedOncePerVersion() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, json(A, B));
    FileFlagStore store =
        FileFlagStore.builder().path(file).pollInterval(Duration.ofMillis(20)).build();
    RecordingSink sink = startOk(store);
    int mark = sink.mark();

    // Atomic writes: an in-place write read half-way would be one more (bad) version, logged too.
    writeAtomically(file, "{\"flags\": {\"a\": false,");

    await().atMost(TIMEOUT).until(() -> sink.status() == StoreStatus.STALE);
    assertThat(sink.flags()).isEqualTo(Map.of("a", A, "b", B));
    assertThat(changes(sink, mark)).isEmpty();
    assertThat(store.lastError())
        .hasValueSatisfying(error -> assertThat(error).startsWith(file + ": "));
    assertThat(sink.statusDetail()).isEqualTo(store.lastError().orElseThrow());
    // Many polls later, the same bad version is still logged once.
    await().during(QUIET).atMost(QUIET.multipliedBy(3)).until(() -> warnings().size() == 1);
    assertThat(new SimpleFormatter().formatMessage(warnings().get(0)))
        .contains(file.toString(), "last good flags", "line 1");

    writeAtomically(file, "{\"flags\": {\"a\": nope}}");
    await().atMost(TIMEOUT).until(() -> warnings().size() >= 2);
    await().during(QUIET).atMost(QUIET.multipliedBy(3)).until(() -> warnings().size() == 2);
    assertThat(sink.status()).isEqualTo(StoreStatus.STALE);
  }

  @Test
  void recoversWhenTheFileIsFixed() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, json(A, B));
    FileFlagStore store = FileFlagStore.builder().path(file).build();
    RecordingSink sink = startOk(store);
    Files.writeString(file, "{oops");
    await().atMost(TIMEOUT).until(() -> sink.status() == StoreStatus.STALE);
    int mark = sink.mark();

    Files.writeString(file, json(A, C));

    await().atMost(TIMEOUT).until(() -> sink.status() == StoreStatus.OK);
    assertThat(store.lastError()).isEmpty();
    assertThat(sink.flags()).isEqualTo(Map.of("a", A, "c", C));
    assertThat(changes(sink, mark)).containsExactlyInAnyOrder("UPSERT_FLAG c", "REMOVE_FLAG b");
  }

  @Test
  void anInvalidFlagRejectsTheWholeFileNotJustThatFlag() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, json(A, B));
    FileFlagStore store = FileFlagStore.builder().path(file).build();
    RecordingSink sink = startOk(store);

    // a changes (valid), b points at a variation it does not have: neither is applied.
    writeAtomically(
        file,
        "{\"flags\": {\"a\": false, \"b\": "
            + "{\"variations\": [\"red\"], \"offVariation\": 0, \"fallthrough\": {\"variation\": 5}}}}");

    await().atMost(TIMEOUT).until(() -> sink.status() == StoreStatus.STALE);
    assertThat(sink.flags()).isEqualTo(Map.of("a", A, "b", B));
    assertThat(store.lastError())
        .hasValueSatisfying(error -> assertThat(error).contains("flags.b"));
  }

  @Test
  void aMissingFileIsUnavailableUntilItAppears() throws Exception {
    Path file = dir.resolve("later").resolve("flags.json");
    FileFlagStore store =
        FileFlagStore.builder().path(file).pollInterval(Duration.ofMillis(100)).build();
    RecordingSink sink = start(store);

    await().atMost(TIMEOUT).until(() -> sink.status() == StoreStatus.UNAVAILABLE);
    assertThat(store.lastError())
        .hasValueSatisfying(error -> assertThat(error).contains("file not found", file.toString()));
    assertThat(sink.snapshotCount()).isZero();

    Files.createDirectories(file.getParent());
    Files.writeString(file, json(A));

    await().atMost(TIMEOUT).until(() -> sink.status() == StoreStatus.OK);
    assertThat(sink.flags()).isEqualTo(Map.of("a", A));
    assertThat(sink.snapshotCount()).isEqualTo(1);
    assertThat(store.lastError()).isEmpty();
  }

  @Test
  void aBadFileAtStartIsUnavailable() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, "[]");
    FileFlagStore store = FileFlagStore.builder().path(file).build();
    RecordingSink sink = start(store);

    await().atMost(TIMEOUT).until(() -> sink.status() == StoreStatus.UNAVAILABLE);
    assertThat(store.lastError()).isPresent();
    assertThat(sink.snapshotCount()).isZero();
  }

  @Test
  void aDeletedFileKeepsTheLastGoodFlagsAsStale() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, json(A));
    FileFlagStore store = FileFlagStore.builder().path(file).build();
    RecordingSink sink = startOk(store);

    Files.delete(file);

    await().atMost(TIMEOUT).until(() -> sink.status() == StoreStatus.STALE);
    assertThat(sink.flags()).isEqualTo(Map.of("a", A));
  }

  @Test
  void invalidUtf8IsReportedNotGuessed() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.write(file, new byte[] {'{', '"', 'f', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
    FileFlagStore store = FileFlagStore.builder().path(file).build();
    RecordingSink sink = start(store);

    await().atMost(TIMEOUT).until(() -> sink.status() == StoreStatus.UNAVAILABLE);
    assertThat(store.lastError())
        .hasValueSatisfying(error -> assertThat(error).startsWith(file + ": invalid UTF-8"));
  }

  @Test
  void loadsAClasspathResourceOnceWithoutWatching() throws Exception {
    FileFlagStore store =
        FileFlagStore.builder().classpathResource("dev/flags/core/bootstrap-flags.json").build();
    RecordingSink sink = startOk(store);

    assertThat(sink.flags()).containsOnlyKeys("new_ui_layout", "checkout_theme");
    assertThat(sink.flags().get("new_ui_layout")).isEqualTo(Flag.simple("new_ui_layout", false));
    await("the loader thread to end").atMost(TIMEOUT).until(() -> aliveWatcherThreads() == 0);
  }

  @Test
  void aMissingClasspathResourceIsUnavailable() {
    FileFlagStore store = FileFlagStore.builder().classpathResource("/no/such/flags.json").build();
    RecordingSink sink = start(store);

    await().atMost(TIMEOUT).until(() -> sink.status() == StoreStatus.UNAVAILABLE);
    assertThat(store.lastError()).hasValue("classpath resource not found: no/such/flags.json");
  }

  @Test
  void pollingFindsChangesWhenWatchingIsOff() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, json(A));
    RecordingSink sink =
        startOk(
            FileFlagStore.builder()
                .path(file)
                .watch(false)
                .pollInterval(Duration.ofMillis(50))
                .build());

    Files.writeString(file, json(A, D));

    await().atMost(TIMEOUT).until(() -> sink.flag("d").equals(Optional.of(D)));
  }

  @Test
  void pollingNoticesARewriteThatKeepsSizeAndModificationTime() throws Exception {
    Path file = dir.resolve("flags.json");
    Flag before = Flag.builder("a").variations("one").build();
    Flag after = Flag.builder("a").variations("two").build();
    Files.writeString(file, json(before));
    FileTime mtime = Files.getLastModifiedTime(file);
    long size = Files.size(file);
    RecordingSink sink =
        startOk(
            FileFlagStore.builder()
                .path(file)
                .watch(false)
                .pollInterval(Duration.ofMillis(50))
                .build());

    // Same length, same timestamp: what a coarse-grained file system shows for a quick rewrite.
    Files.writeString(file, json(after));
    Files.setLastModifiedTime(file, mtime);
    assertThat(Files.size(file)).isEqualTo(size);

    await().atMost(TIMEOUT).until(() -> sink.flag("a").equals(Optional.of(after)));
  }

  @Test
  void aSinkThatThrowsDoesNotStopTheStore() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, json(A));
    RecordingSink recorder = new RecordingSink();
    StoreSink throwing =
        new StoreSink() {
          @Override
          public void replaceAll(StoreSnapshot snapshot) {
            recorder.replaceAll(snapshot);
            throw new IllegalStateException("sink bug");
          }

          @Override
          public void upsertFlag(Flag flag) {
            recorder.upsertFlag(flag);
          }

          @Override
          public void removeFlag(String flagKey) {
            recorder.removeFlag(flagKey);
          }

          @Override
          public void upsertSegment(Segment segment) {
            recorder.upsertSegment(segment);
          }

          @Override
          public void removeSegment(String segmentKey) {
            recorder.removeSegment(segmentKey);
          }

          @Override
          public void malformedFlag(String flagKey, String problem) {
            recorder.malformedFlag(flagKey, problem);
          }

          @Override
          public void statusChanged(StoreStatus status, String detail) {
            recorder.statusChanged(status, detail);
          }
        };
    track(FileFlagStore.builder().path(file).build()).start(throwing);
    await().atMost(TIMEOUT).until(() -> recorder.status() == StoreStatus.OK);

    Files.writeString(file, json(A, D));

    await().atMost(TIMEOUT).until(() -> recorder.flag("d").isPresent());
  }

  @Test
  void closeStopsTheWatcherThreadAndIsIdempotent() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, json(A));
    FileFlagStore store = FileFlagStore.builder().path(file).build();
    startOk(store);
    assertThat(aliveWatcherThreads()).isEqualTo(1);

    store.close();
    store.close();

    assertThat(aliveWatcherThreads()).isZero();
  }

  @Test
  void theWatcherThreadIsADaemon() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, json(A));
    startOk(FileFlagStore.builder().path(file).build());

    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(t -> t.getName().equals(FileFlagStore.THREAD_NAME))
        .allSatisfy(t -> assertThat(t.isDaemon()).isTrue())
        .hasSize(1);
  }

  @Test
  void startTwiceOrAfterCloseIsRejected() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, json(A));
    FileFlagStore store = FileFlagStore.builder().path(file).build();
    start(store);

    assertThatThrownBy(() -> store.start(new RecordingSink()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("store already started");
    FileFlagStore closed = FileFlagStore.builder().path(file).build();
    closed.close();
    assertThatThrownBy(() -> closed.start(new RecordingSink()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("store closed");
  }

  @Test
  void theBuilderNamesTheOptionItRejects() {
    assertThatThrownBy(() -> FileFlagStore.builder().build())
        .hasMessage("set path or classpathResource");
    assertThatThrownBy(
            () -> FileFlagStore.builder().path(dir).classpathResource("flags.json").build())
        .hasMessage("path and classpathResource are exclusive; set one");
    assertThatThrownBy(() -> FileFlagStore.builder().classpathResource(" "))
        .hasMessageContaining("classpathResource");
    assertThatThrownBy(() -> FileFlagStore.builder().pollInterval(Duration.ofMillis(1)))
        .hasMessage("pollInterval must be at least 10ms, got PT0.001S");
    assertThatThrownBy(() -> FileFlagStore.builder().debounce(Duration.ofMillis(-1)))
        .hasMessageContaining("debounce");
    assertThatThrownBy(() -> FileFlagStore.builder().path(null)).hasMessage("path");
  }

  @Test
  void writesThatKeepTheSameContentNotifyNothing() throws Exception {
    Path file = dir.resolve("flags.json");
    String text = json(A, B);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    RecordingSink sink =
        startOk(FileFlagStore.builder().path(file).pollInterval(Duration.ofMillis(50)).build());
    int mark = sink.mark();

    writeAtomically(file, text + "\n"); // formatting only: same definitions
    writeAtomically(file, text);

    await()
        .during(QUIET)
        .atMost(QUIET.multipliedBy(3))
        .until(() -> sink.eventsSince(mark).isEmpty());
  }

  @Test
  void anEmptySetRemovesEveryFlag() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, json(A, B));
    RecordingSink sink = startOk(FileFlagStore.builder().path(file).build());

    Files.writeString(file, "{\"flags\": {}}");

    await().atMost(TIMEOUT).until(() -> sink.flags().isEmpty());
    assertThat(sink.status()).isEqualTo(StoreStatus.OK);
  }

  @Test
  void anErrorInOneFileOfADirectoryNamesThatFileWithItsOwnLine() throws Exception {
    Files.writeString(dir.resolve("a.json"), json(A));
    Files.writeString(
        dir.resolve("b.json"),
        "{\"flags\": {\n  \"b\": {\"variations\": [\"red\"],\n    \"fallthrough\": {\"variation\": 5}}}}");
    FileFlagStore store = FileFlagStore.builder().path(dir).build();
    RecordingSink sink = start(store);

    await().atMost(TIMEOUT).until(() -> sink.status() == StoreStatus.UNAVAILABLE);
    assertThat(store.lastError())
        .hasValueSatisfying(
            error ->
                assertThat(error)
                    .startsWith(dir.resolve("b.json") + ": flags.b.fallthrough.variation: ")
                    .contains("(line 3, column"));
  }

  @Test
  void aReferenceNoFileDefinesNamesTheFileAndPath() throws Exception {
    Flag gated =
        Flag.builder("gated").rule(Rule.when(Clause.inSegment("nobody")).serve(true)).build();
    Segment nobody = Segment.builder("nobody").build();
    Files.writeString(dir.resolve("a.json"), json(A));
    Files.writeString(
        dir.resolve("gated.json"),
        json(List.of(gated), List.of(nobody)).replace("\"segments\"", "\"ignoredSegments\""));
    FileFlagStore store = FileFlagStore.builder().path(dir).build();
    RecordingSink sink = start(store);

    await().atMost(TIMEOUT).until(() -> sink.status() == StoreStatus.UNAVAILABLE);
    assertThat(store.lastError())
        .hasValueSatisfying(
            error ->
                assertThat(error)
                    .startsWith(dir.resolve("gated.json") + ": flags.gated.rules[0]")
                    .contains("nobody"));
  }
}
