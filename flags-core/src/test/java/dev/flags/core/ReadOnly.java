package dev.flags.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes a directory read-only for the tests in a way that stops root too: {@code chattr +i} (the
 * immutable attribute) when the tests run as root, as they do in CI, where permissions stop
 * nothing; {@code chmod a-w} otherwise. Undone by {@link #close()}.
 */
final class ReadOnly implements AutoCloseable {

  private final Path dir;
  private final boolean immutable;

  private ReadOnly(Path dir, boolean immutable) {
    this.dir = dir;
    this.immutable = immutable;
  }

  static ReadOnly make(Path dir) throws IOException {
    if (isRoot()) {
      run(
          "chattr not found: install it (Debian: apt-get install e2fsprogs); as root, only the"
              + " immutable attribute makes a directory read-only",
          "chattr",
          "+i",
          dir.toString());
      return new ReadOnly(dir, true);
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
    return new ReadOnly(dir, false);
  }

  @Override
  public void close() throws IOException {
    if (immutable) {
      run("chattr -i failed", "chattr", "-i", dir.toString());
    } else {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  static boolean isRoot() throws IOException {
    return run("id not found", "id", "-u").equals("0");
  }

  /** Runs a command and returns its output; fails the test with {@code missing} if it cannot. */
  static String run(String missing, String... command) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(missing + " (" + e.getMessage() + ")", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    boolean ended;
    try {
      ended = p.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (!ended || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed: " + out + "; " + missing);
    }
    return out;
  }
}
