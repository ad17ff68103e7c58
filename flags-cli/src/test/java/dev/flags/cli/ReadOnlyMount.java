package dev.flags.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real read-only file system: a read-only bind mount of a directory, as a Kubernetes ConfigMap or
 * a read-only container root is. Needs root with CAP_SYS_ADMIN (the project's machines and CI run
 * as root); unmounted by {@link #close()}.
 */
final class ReadOnlyMount implements AutoCloseable {

  private static final String HOW =
      "a read-only bind mount needs root with CAP_SYS_ADMIN (run the tests as root, or in a"
          + " container started with --cap-add SYS_ADMIN) and mount(8) (Debian: apt-get install"
          + " mount)";

  private final Path target;

  private ReadOnlyMount(Path target) {
    this.target = target;
  }

  static ReadOnlyMount bind(Path source, Path target) throws IOException, InterruptedException {
    run(HOW, "mount", "--bind", source.toString(), target.toString());
    ReadOnlyMount mount = new ReadOnlyMount(target);
    try {
      run(HOW, "mount", "-o", "remount,bind,ro", target.toString());
    } catch (AssertionError e) {
      mount.close();
      throw e;
    }
    return mount;
  }

  @Override
  public void close() throws IOException {
    try {
      run("umount failed", "umount", target.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while unmounting " + target, e);
    }
  }

  private static void run(String how, String... command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(how + " (" + e.getMessage() + ")", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed: " + out.strip() + "; " + how);
    }
  }
}
