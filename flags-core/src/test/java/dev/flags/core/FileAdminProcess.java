package dev.flags.core;

import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.FlagConflictException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another process using the same flag file, as flagctl or a second server would: started by the
 * tests with the test class path. Commands:
 *
 * <ul>
 *   <li>{@code hold-lock LOCKFILE}: takes the exclusive lock, prints {@code locked}, and keeps it
 *       until its standard input is closed.
 *   <li>{@code add-targets FILE ACTOR COUNT PREFIX}: adds COUNT targets, one write each.
 *   <li>{@code set-on FILE KEY true|false ACTOR EXPECTED_VERSION}: prints {@code applied} or {@code
 *       conflict: <message>}.
 * </ul>
 */
public final class FileAdminProcess {

  private FileAdminProcess() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "hold-lock" -> holdLock(Path.of(args[1]));
      case "add-targets" -> {
        try (FlagAdmin admin = FileFlagAdmin.builder(Path.of(args[1])).build()) {
          int count = Integer.parseInt(args[3]);
          for (int i = 0; i < count; i++) {
            admin.addTargets("checkout", true, List.of(args[4] + i), Change.by(args[2]));
          }
        }
        System.out.println("done");
      }
      case "set-on" -> {
        try (FlagAdmin admin = FileFlagAdmin.builder(Path.of(args[1])).build()) {
          admin.setOn(
              args[2],
              Boolean.parseBoolean(args[3]),
              Change.by(args[4])
                  .because("from another process")
                  .ifVersion(Long.parseLong(args[5])));
          System.out.println("applied");
        } catch (FlagConflictException e) {
          System.out.println("conflict: " + e.getMessage());
        }
      }
      default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
  }

  private static void holdLock(Path lockFile) throws IOException {
    try (FileChannel ch =
        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = ch.lock();
      System.out.println("locked");
      System.out.flush();
      InputStream in = System.in;
      while (in.read() >= 0) {
        // until the test closes our input
      }
      lock.release();
    }
  }

  /** Starts {@code args} in a new JVM with the test class path; standard error is inherited. */
  static Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(FileAdminProcess.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** Waits for the process to end and returns what it printed. */
  static String finish(Process p) throws Exception {
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the other process did not end: " + out);
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("the other process failed (" + p.exitValue() + "): " + out);
    }
    return out.strip();
  }
}
