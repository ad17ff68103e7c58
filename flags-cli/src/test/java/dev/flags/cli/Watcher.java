package dev.flags.cli;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A running {@code flagctl watch}: its output lines as they come, stopped by its process. */
final class Watcher implements AutoCloseable {
  private final Process process;
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();

  Watcher(Shell shell, String... args) throws IOException {
    String[] all = new String[args.length + 1];
    all[0] = "watch";
    System.arraycopy(args, 0, all, 1, args.length);
    process = shell.start(all);
    process.getOutputStream().close();
    pump(process.getInputStream(), out);
    pump(process.getErrorStream(), err);
    // flagctl says it is watching once the store's first load is in.
    await("flagctl watch to start; stderr: " + err)
        .atMost(Duration.ofSeconds(60))
        .until(() -> lines(err).stream().anyMatch(l -> l.startsWith("flagctl: watching ")));
  }

  private static void pump(InputStream in, List<String> into) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  synchronized (into) {
                    into.add(line);
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "watch-output");
    t.setDaemon(true);
    t.start();
  }

  private static List<String> lines(List<String> l) {
    synchronized (l) {
      return List.copyOf(l);
    }
  }

  List<String> out() {
    return lines(out);
  }

  List<String> err() {
    return lines(err);
  }

  /** Waits for an output line that matches. */
  String awaitLine(Predicate<String> p) {
    await("a line of flagctl watch; so far: " + out() + " / " + err())
        .atMost(Duration.ofSeconds(30))
        .until(() -> out().stream().anyMatch(p));
    return out().stream().filter(p).findFirst().orElseThrow();
  }

  Process process() {
    return process;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
