package dev.flags.cli;

import dev.flags.core.FileFlagAdmin;
import dev.flags.core.FileFlagStore;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.json.FlagCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The flag-file backend: flags-core's {@code FileFlagAdmin}, and a {@code FileFlagStore} to watch.
 */
final class FileStores {
  private FileStores() {}

  /**
   * Opens the file (or directory) the settings name.
   *
   * @param mayCreate whether a missing file is fine (import creates it)
   */
  static Backend open(
      Settings s, Clock clock, Duration timeout, boolean mayCreate, boolean writes) {
    Path path = Path.of(s.values().get(Key.FILE)).toAbsolutePath().normalize();
    if (!mayCreate && !Files.exists(path)) {
      throw CliException.unreachable(
          path
              + " does not exist; check "
              + s.sources().get(Key.FILE)
              + " (flagctl profile show says where each setting comes from), or create it with"
              + " flagctl import FILE");
    }
    FlagAdmin admin =
        FileFlagAdmin.builder(path).clock(clock).lockTimeout(lockTimeout(timeout)).build();
    if (admin.readOnlyReason().isPresent()) {
      Optional<String> problem = unreadable(path);
      if (problem.isPresent()) {
        admin.close();
        // A flag file that does not parse holds no flag flagctl can show or change: say so
        // rather than list nothing or call every flag unknown.
        throw CliException.invalid(
            path
                + ": "
                + problem.get()
                + "; fix the file by hand first (flagctl validate "
                + path
                + " checks it)"
                + (writes ? "; nothing was written" : ""));
      }
    }
    return new AdminBackend(
        admin,
        () -> FileFlagStore.builder().path(path).build(),
        () -> List.of(),
        clock,
        () -> writeCheck(admin),
        true);
  }

  private static Duration lockTimeout(Duration timeout) {
    // FileFlagAdmin takes 1 ms to 10 min.
    Duration max = Duration.ofMinutes(10);
    return timeout.compareTo(max) > 0
        ? max
        : timeout.toMillis() < 1 ? Duration.ofMillis(1) : timeout;
  }

  /** Why a write cannot happen: the store's read-only reason (exit 4). */
  private static Optional<CliException> writeCheck(FlagAdmin admin) {
    return admin
        .readOnlyReason()
        .map(why -> new CliException(Exit.UNREACHABLE, why + "; nothing was written"));
  }

  /** The codec's message when {@code path} is a file that does not read as a flag file. */
  private static Optional<String> unreadable(Path path) {
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      return Optional.empty();
    }
    try {
      FlagCodec.standard().decodeFlagSet(Files.readAllBytes(path));
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
