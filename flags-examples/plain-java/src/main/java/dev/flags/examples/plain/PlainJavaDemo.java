package dev.flags.examples.plain;

import dev.flags.core.EvaluationContext;
import dev.flags.core.EvaluationDetail;
import dev.flags.core.FileFlagStore;
import dev.flags.core.Flag;
import dev.flags.core.FlagListener;
import dev.flags.core.Flags;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads a flag file, prints how a few users see each flag, and with {@code --watch} prints again
 * every time the file changes: edit {@code flags.json} while it runs, no restart needed.
 *
 * <pre>
 * java -jar flags-examples/plain-java/target/plain-java-demo.jar [flags.json] [--watch]
 * </pre>
 */
public final class PlainJavaDemo {
  private static final Path DEFAULT_FILE = Path.of("flags-examples/plain-java/flags.json");

  private static final List<EvaluationContext> USERS =
      List.of(
          EvaluationContext.builder("alice").set("country", "DE").set("plan", "pro").build(),
          EvaluationContext.builder("bob").set("country", "US").set("plan", "free").build(),
          EvaluationContext.builder("beta-tester-1")
              .set("country", "US")
              .set("plan", "free")
              .build());

  private PlainJavaDemo() {}

  public static void main(String[] args) throws InterruptedException {
    boolean watch = List.of(args).contains("--watch");
    Path file =
        List.of(args).stream()
            .filter(a -> !a.startsWith("--"))
            .findFirst()
            .map(Path::of)
            .orElse(DEFAULT_FILE);
    run(file, watch, System.out, new CountDownLatch(1));
  }

  /** Runs the demo until {@code stop} opens (only waited for with {@code watch}). */
  static void run(Path file, boolean watch, PrintStream out, CountDownLatch stop)
      throws InterruptedException {
    if (!Files.exists(file)) {
      out.println(
          "No flag file at " + file.toAbsolutePath() + "; pass its path as the first argument.");
      return;
    }
    // tag::file-store[]
    FileFlagStore store =
        FileFlagStore.builder().path(file).build(); // watched: edits apply without a restart
    try (Flags flags = Flags.builder().store(store).build()) {
      // end::file-store[]
      if (!flags.awaitInitialization(Duration.ofSeconds(5))) {
        out.println("Could not load " + file + ": " + store.lastError().orElse("timed out"));
        return;
      }
      print(flags, out);
      if (!watch) {
        return;
      }
      out.println("Watching " + file + " - edit it and see the answers change (Ctrl-C to stop).");
      flags.addListener(
          new FlagListener() {
            @Override
            public void onFlagChanged(String flagKey) {
              out.println("* " + flagKey + " changed");
              print(flags, out);
            }

            @Override
            public void onMalformedFlag(String flagKey, String problem) {
              out.println("! " + flagKey + ": " + problem);
            }
          });
      stop.await(Long.MAX_VALUE, TimeUnit.DAYS);
    }
  }

  static synchronized void print(Flags flags, PrintStream out) {
    for (Flag flag : flags.allFlags()) {
      StringBuilder line = new StringBuilder(String.format("%-22s", flag.key()));
      for (EvaluationContext user : USERS) {
        EvaluationDetail<?> d =
            flags.getJsonDetail(flag.key(), user, dev.flags.core.JsonValue.NULL);
        line.append(String.format(" %s=%s (%s)", user.key(), d.value(), d.reason()));
      }
      out.println(line);
    }
    int canary = 0;
    for (int i = 0; i < 1000; i++) {
      canary += flags.isEnabled("new_checkout_flow", EvaluationContext.of("user-" + i)) ? 1 : 0;
    }
    out.println("new_checkout_flow is on for " + canary + " of 1000 users");
    for (Flag old : flags.flagsPastKillDate()) {
      out.println(
          "past kill date: "
              + old.key()
              + " passed its kill date "
              + old.metadata().killDate().orElseThrow()
              + "; remove it from the code");
    }
  }
}
