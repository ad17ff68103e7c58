package dev.flags.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A shell a user types flagctl into: runs the launcher (flags-cli/bin/flagctl) as a separate
 * process, in a directory of its own, with an environment of its own (no FLAGCTL_* of the machine,
 * a HOME and a profiles file in the test's directory, USER=alice).
 */
final class Shell {

  /** A command's result. */
  record Result(int code, String out, String err) {
    /** The output, for an assertion's message. */
    String both() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }

    /** stderr without the launcher's write banner ("flagctl: profile … / no profile: …"). */
    String errorLine() {
      return err.lines()
          .filter(l -> !l.startsWith("flagctl: no profile: ") && !l.startsWith("flagctl: profile "))
          .reduce((a, b) -> a + "\n" + b)
          .orElse("");
    }
  }

  final Path dir;
  final Map<String, String> env = new HashMap<>();

  Shell(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    Path home = Files.createDirectories(dir.resolve("home"));
    env.put("PATH", System.getenv("PATH"));
    env.put("HOME", home.toString());
    env.put("USER", "alice");
    env.put("LANG", "C.UTF-8");
    env.put("FLAGCTL_CONFIG", home.resolve(".config/flagctl/config").toString());
    env.put("FLAGCTL_JAVA", java());
  }

  static String launcher() {
    String l = System.getProperty("flagctl.launcher");
    assertThat(l)
        .as("flagctl.launcher: run these tests with ./mvnw -pl flags-cli -am verify (failsafe)")
        .isNotNull();
    return l;
  }

  static String java() {
    String j = System.getProperty("flagctl.java");
    return j != null ? j : Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  Shell with(String name, String value) {
    env.put(name, value);
    return this;
  }

  Shell without(String name) {
    env.remove(name);
    return this;
  }

  Result run(String... args) throws IOException, InterruptedException {
    return runWithInput(null, args);
  }

  /** Runs flagctl with {@code stdin} as its input (none: an empty input, no terminal). */
  Result runWithInput(String stdin, String... args) throws IOException, InterruptedException {
    Process p = start(args);
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    // Read both streams while it runs: a full pipe would block it.
    var out = readAsync(p.getInputStream());
    var err = readAsync(p.getErrorStream());
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("flagctl " + String.join(" ", args) + " did not end in 120 s");
    }
    return new Result(p.exitValue(), out.get(), err.get());
  }

  Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(launcher());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    return pb.start();
  }

  interface Text {
    String get();
  }

  static Text readAsync(java.io.InputStream in) {
    StringBuilder b = new StringBuilder();
    Thread t =
        new Thread(
            () -> {
              try {
                b.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                b.append("<" + e + ">");
              }
            });
    t.start();
    return () -> {
      try {
        t.join(TimeUnit.SECONDS.toMillis(120));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return b.toString();
    };
  }

  Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  String read(String name) throws IOException {
    return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
  }

  static String path(Path p) {
    return p.toString().replace(File.separatorChar, '/');
  }
}
