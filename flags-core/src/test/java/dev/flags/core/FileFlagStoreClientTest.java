package dev.flags.core;

import static dev.flags.core.FileFlagStoreContractTest.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store behind the real client: what an application sees when someone edits the file. */
class FileFlagStoreClientTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final EvaluationContext USER = EvaluationContext.of("user-1");

  @TempDir Path dir;

  @Test
  void editingTheFileChangesEvaluationsAndTellsListenersWhichFlagChanged() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, "{\"flags\": {\"new_ui_layout\": false, \"dark_mode\": true, \"banner\": false}}");
    List<String> changed = new CopyOnWriteArrayList<>();
    List<StoreStatus> statuses = new CopyOnWriteArrayList<>();
    try (Flags flags = Flags.builder().store(FileFlagStore.builder().path(file).build()).build()) {
      assertThat(flags.awaitInitialization(TIMEOUT)).isTrue();
      assertThat(flags.isEnabled("new_ui_layout", USER)).isFalse();
      flags.addListener(new FlagListener() {
        @Override
        public void onFlagChanged(String flagKey) {
          changed.add(flagKey);
        }

        @Override
        public void onStatusChanged(StoreStatus status) {
          statuses.add(status);
        }
      });

      writeAtomically(file, "{\"flags\": {\"new_ui_layout\": true, \"dark_mode\": true, \"banner\": false}}");

      await().atMost(TIMEOUT).until(() -> flags.isEnabled("new_ui_layout", USER));
      await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> changed.equals(List.of("new_ui_layout")));

      writeAtomically(file, "{\"flags\": {\"new_ui_layout\": fals");

      await().atMost(TIMEOUT).until(() -> flags.status() == StoreStatus.STALE);
      assertThat(flags.isEnabled("new_ui_layout", USER)).as("last good value kept").isTrue();
      assertThat(flags.isEnabled("dark_mode", USER)).isTrue();
      await().atMost(TIMEOUT).until(() -> statuses.contains(StoreStatus.STALE));
    }
    await().atMost(TIMEOUT).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.isAlive() && t.getName().equals(FileFlagStore.THREAD_NAME)));
  }
}
