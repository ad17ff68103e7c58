package dev.flags.integration;

import dev.flags.core.admin.FlagAdmin;
import java.nio.file.Path;
import java.util.function.Function;

/** The write API over a flag file: the one place that builds it. */
final class FileAdmins {

  private FileAdmins() {}

  /**
   * The admin of the flag file or directory at {@code path}.
   *
   * <p>LEAD (merge of file-admin): {@code FileFlagAdmin.builder(Path).build()} returns a core
   * {@link FlagAdmin} there. Replace the body with {@code return
   * FileFlagAdmin.builder(path).build();} (it refuses writes itself on a read-only file system,
   * with its reason).
   *
   * <p>Until then a flag file is served read-only through the admin API, with this reason.
   *
   * @param readOnly a read-only admin over the client, with the reason given
   */
  static FlagAdmin admin(Path path, Function<String, FlagAdmin> readOnly) {
    return readOnly.apply(
        "this build serves flag files read-only through the admin API; edit " + path + " instead");
  }
}
