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
    Files.writeString(
        file, "{\"flags\": {\"new_ui_layout\": false, \"dark_mode\": true, \"banner\": false}}");
    List<String> changed = new CopyOnWriteArrayList<>();
    List<StoreStatus> statuses = new CopyOnWriteArrayList<>();
    try (Flags flags = Flags.builder().store(FileFlagStore.builder().path(file).build()).build()) {
      assertThat(flags.awaitInitialization(TIMEOUT)).isTrue();
      assertThat(flags.isEnabled("new_ui_layout", USER)).isFalse();
      flags.addListener(
          new FlagListener() {
            @Override
            public void onFlagChanged(String flagKey) {
              changed.add(flagKey);
            }

            @Override
            public void onStatusChanged(StoreStatus status) {
              statuses.add(status);
            }
          });

      writeAtomically(
          file, "{\"flags\": {\"new_ui_layout\": true, \"dark_mode\": true, \"banner\": false}}");

      await().atMost(TIMEOUT).until(() -> flags.isEnabled("new_ui_layout", USER));
      await()
          .during(Duration.ofMillis(300))
          .atMost(TIMEOUT)
          .until(() -> changed.equals(List.of("new_ui_layout")));

      writeAtomically(file, "{\"flags\": {\"new_ui_layout\": fals");

      await().atMost(TIMEOUT).until(() -> flags.status() == StoreStatus.STALE);
      assertThat(flags.isEnabled("new_ui_layout", USER)).as("last good value kept").isTrue();
      assertThat(flags.isEnabled("dark_mode", USER)).isTrue();
      await().atMost(TIMEOUT).until(() -> statuses.contains(StoreStatus.STALE));
    }
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.isAlive() && t.getName().equals(FileFlagStore.THREAD_NAME)));
  }

  @Test
  void eachBadVersionOfTheFileReachesListenersWithItsError() throws Exception {
    // Regression: a second bad version (STALE again) was dropped and the error text never reached
    // Flags users.
    Path file = dir.resolve("flags.json");
    Files.writeString(file, "{\"flags\": {\"dark_mode\": true}}");
    List<String> errors = new CopyOnWriteArrayList<>();
    List<StoreStatus> statuses = new CopyOnWriteArrayList<>();
    try (Flags flags = Flags.builder().store(FileFlagStore.builder().path(file).build()).build()) {
      assertThat(flags.awaitInitialization(TIMEOUT)).isTrue();
      flags.addListener(
          new FlagListener() {
            @Override
            public void onStatusChanged(StoreStatus status) {
              statuses.add(status);
            }

            @Override
            public void onStoreError(StoreStatus status, String problem) {
              errors.add(status + " " + problem);
            }
          });

      writeAtomically(file, "{\"flags\": {\"dark_mode\": fals");
      await().atMost(TIMEOUT).until(() -> errors.size() == 1);
      assertThat(errors.get(0)).startsWith("STALE ").contains(file.toString()).contains("line 1");
      assertThat(flags.statusDetail()).isEqualTo(errors.get(0).substring("STALE ".length()));

      writeAtomically(
          file,
          "{\"flags\": {\"dark_mode\": {\"variations\": [true], \"fallthrough\": {\"variation\": 5}}}}");
      await().atMost(TIMEOUT).until(() -> errors.size() == 2);
      assertThat(errors.get(1)).startsWith("STALE ").contains("out of range");
      assertThat(flags.statusDetail()).contains("out of range");
      assertThat(statuses).as("the status itself changed once").containsOnlyOnce(StoreStatus.STALE);
      assertThat(flags.isEnabled("dark_mode", USER)).as("last good value kept").isTrue();

      writeAtomically(file, "{\"flags\": {\"dark_mode\": false}}");
      await().atMost(TIMEOUT).until(() -> flags.status() == StoreStatus.OK);
      assertThat(flags.statusDetail()).doesNotContain("out of range");
      await().atMost(TIMEOUT).until(() -> statuses.get(statuses.size() - 1) == StoreStatus.OK);
      assertThat(errors).hasSize(2);
    }
  }
}
