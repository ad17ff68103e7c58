package dev.flags.examples.plain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainJavaDemoTest {

  @Test
  void quickStartPrintsWhatTheReadmeSays() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      QuickStart.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo("false true RULE_MATCH(rule 0)\ntrue\n");
  }

  @Test
  void demoPrintsEvaluationsOfTheShippedFlagFile() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PlainJavaDemo.run(
        Path.of("flags.json"),
        false,
        new PrintStream(bytes, true, StandardCharsets.UTF_8),
        new CountDownLatch(0));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("beta_payment_gateway   alice=true (RULE_MATCH(rule 0 \"pro-eu\"))");
    assertThat(out).contains("bob=false (FALLTHROUGH)");
    assertThat(out).contains("beta-tester-1=true (TARGET_MATCH)");
    assertThat(out).contains("checkout_button_color  alice=\"blue\"");
    assertThat(out)
        .containsPattern("new_checkout_flow is on for (8[0-9]|9[0-9]|1[01][0-9]) of 1000 users");
    assertThat(out)
        .contains("past kill date: summer_banner passed its kill date 2026-09-30T00:00:00Z");
  }

  @Test
  void editingTheFileWhileTheDemoRunsChangesTheOutput(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("flags.json");
    Files.copy(Path.of("flags.json"), file);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    CountDownLatch stop = new CountDownLatch(1);
    Thread demo =
        new Thread(
            () -> {
              try {
                PlainJavaDemo.run(file, true, out, stop);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    demo.start();
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> bytes.toString(StandardCharsets.UTF_8).contains("Watching"));
      String edited =
          Files.readString(file).replace("\"new_ui_layout\": false", "\"new_ui_layout\": true");
      Files.writeString(file, edited);
      // The demo prints the change line, then the table row by row: wait for the row itself (the
      // assertion once ran between the two on a loaded machine).
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(bytes.toString(StandardCharsets.UTF_8))
                      .contains("* new_ui_layout changed")
                      .contains("new_ui_layout          alice=true (FALLTHROUGH)"));
    } finally {
      stop.countDown();
      demo.join(10_000);
    }
  }
}
