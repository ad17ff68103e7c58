package dev.flags.core;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A real read-only file system for the tests: a read-only bind mount of a directory, as a
 * Kubernetes ConfigMap or a read-only container root file system is. Needs root with CAP_SYS_ADMIN
 * (the tests' machines and CI run as root); unmounted by {@link #close()}.
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

  static ReadOnlyMount bind(Path source, Path target) throws IOException {
    ReadOnly.run(HOW, "mount", "--bind", source.toString(), target.toString());
    ReadOnlyMount mount = new ReadOnlyMount(target);
    try {
      ReadOnly.run(HOW, "mount", "-o", "remount,bind,ro", target.toString());
    } catch (AssertionError e) {
      mount.close();
      throw e;
    }
    return mount;
  }

  @Override
  public void close() throws IOException {
    ReadOnly.run("umount failed", "umount", target.toString());
  }
}
