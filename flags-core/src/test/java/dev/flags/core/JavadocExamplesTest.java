package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.spi.FlagStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of flags-core's javadoc. The javadoc shows the regions between {@code @start} and
 * {@code @end} ({@code {@snippet file=… region=…}}, with this source directory as the snippet
 * path), so every example compiles and runs here; {@code @replace} swaps a test's temporary file or
 * recorder for what a reader would write.
 */
class JavadocExamplesTest {

  @Test
  void flagsEvaluatesAFlagForAContext() {
    List<String> paths = new ArrayList<>();
    // @start region="flags"
    try (Flags flags =
        Flags.builder().store(InMemoryFlagStore.of(Flag.simple("new_ui_layout", true))).build()) {
      if (flags.isEnabled("new_ui_layout", EvaluationContext.of("user-42"))) {
        paths.add("new"); // @replace substring='paths.add("new");' replacement="// new code path"
      }
    }
    // @end
    assertThat(paths).containsExactly("new");
  }

  @Test
  void inMemoryStoreChangesReachTheClientAtOnce() {
    // @start region="in-memory"
    InMemoryFlagStore store = InMemoryFlagStore.of(Flag.simple("new_ui_layout", false));
    Flags flags = Flags.builder().store(store).build();
    store.upsert(Flag.simple("new_ui_layout", true)); // flags now serves true
    // @end
    try (flags) {
      assertThat(flags.isEnabled("new_ui_layout", EvaluationContext.of("user-42"))).isTrue();
    }
  }

  @Test
  void fileStoreServesTheFlagsOfItsFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, "{\"flags\": {\"new_ui_layout\": true}}");
    // @start region="file-store"
    // @replace substring="(file)" replacement='(Path.of("flags.json"))':
    FlagStore store = FileFlagStore.builder().path(file).build();
    Flags flags = Flags.builder().store(store).build();
    // @end
    try (flags) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> flags.isEnabled("new_ui_layout", EvaluationContext.of("user-42")));
    }
  }

  @Test
  void recordOutcomeCountsTheServedVariation() {
    List<dev.flags.core.spi.OutcomeBatch> delivered = new ArrayList<>();
    dev.flags.core.spi.OutcomeSink sink = delivered::add;
    EvaluationContext user = EvaluationContext.of("user-42");
    Runnable checkout = () -> {};
    // @start region="outcomes"
    try (Flags flags =
        Flags.builder()
            .store(InMemoryFlagStore.of(Flag.simple("new_checkout", true)))
            .outcomeSink(sink)
            .build()) {
      long start = System.nanoTime();
      boolean ok = true;
      try {
        checkout.run(); // @replace substring="checkout.run();" replacement="// the work"
      } catch (RuntimeException e) {
        ok = false;
        throw e;
      } finally {
        flags.recordOutcome("new_checkout", user, ok, Duration.ofNanos(System.nanoTime() - start));
      }
    }
    // @end
    assertThat(delivered).hasSize(1);
    assertThat(delivered.get(0).counts().get(0).variation()).isEqualTo(1);
    assertThat(delivered.get(0).counts().get(0).successes()).isEqualTo(1);
  }
}
