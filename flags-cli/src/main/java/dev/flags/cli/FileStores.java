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
  static Backend open(Settings s, Clock clock, Duration timeout, boolean mayCreate) {
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
    return new AdminBackend(
        admin,
        () -> FileFlagStore.builder().path(path).build(),
        () -> List.of(),
        clock,
        () -> writeCheck(admin, path),
        true);
  }

  private static Duration lockTimeout(Duration timeout) {
    // FileFlagAdmin takes 1 ms to 10 min.
    Duration max = Duration.ofMinutes(10);
    return timeout.compareTo(max) > 0
        ? max
        : timeout.toMillis() < 1 ? Duration.ofMillis(1) : timeout;
  }

  /**
   * Why a write cannot happen, with the exit code that fits: a flag file that does not parse is
   * invalid input (fix the file), any other read-only reason an unwritable store.
   */
  private static Optional<CliException> writeCheck(FlagAdmin admin, Path path) {
    Optional<String> why = admin.readOnlyReason();
    if (why.isEmpty()) {
      return Optional.empty();
    }
    boolean malformed = false;
    if (Files.isRegularFile(path) && Files.isReadable(path)) {
      try {
        FlagCodec.standard().decodeFlagSet(Files.readAllBytes(path));
      } catch (IllegalArgumentException e) {
        malformed = true;
      } catch (IOException e) {
        malformed = false;
      }
    }
    return Optional.of(
        new CliException(
            malformed ? Exit.INVALID : Exit.UNREACHABLE, why.get() + "; nothing was written"));
  }
}
