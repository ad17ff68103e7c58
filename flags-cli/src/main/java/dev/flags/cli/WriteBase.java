package dev.flags.cli;

import java.util.OptionalLong;
import picocli.CommandLine.Option;

/**
 * A command that writes: who (--actor), why (--reason), from which version (--if-version, or the
 * version the command read; --force writes over whatever is stored). Prints the profile in force
 * before writing.
 */
abstract class WriteBase extends Base {

  @Option(
      names = "--actor",
      paramLabel = "NAME",
      description =
          "Who makes the change, for the audit log (FLAGCTL_ACTOR, the profile's actor;"
              + " default: your OS user). An admin HTTP API records its authenticated user instead.")
  String actor;

  @Option(
      names = {"--reason", "-m"},
      paramLabel = "TEXT",
      description = "Why, for the audit log.")
  String reason;

  @Option(
      names = "--if-version",
      paramLabel = "N",
      description =
          "Write only if the flag is still at version N (what you read with flagctl"
              + " get); default: the version this command reads.")
  Long ifVersion;

  @Option(
      names = "--force",
      description = "Write over whatever version is stored, even if it changed since it was read.")
  boolean force;

  @Override
  boolean writes() {
    return true;
  }

  /** Prints where the write goes: the profile and the store (stderr). */
  void banner() {
    err().println("flagctl: " + settings().banner());
    err().flush();
  }

  /** The actor: --actor, FLAGCTL_ACTOR, the profile's, else the OS user. */
  String actor() {
    if (actor != null) {
      if (settings().kind() == Settings.Kind.SERVER) {
        throw CliException.invalid(
            "--actor: the admin HTTP API records the user it authenticated, not a name the"
                + " caller picks; drop --actor (the server's credentials say who you are)");
      }
      return actor;
    }
    return settings().get(Key.ACTOR).orElseGet(() -> session().osUser());
  }

  Backend.Write write(long versionRead) {
    if (force && ifVersion != null) {
      throw CliException.invalid(
          "--force and --if-version contradict each other: give one (--force writes over any"
              + " version)");
    }
    OptionalLong v =
        force ? OptionalLong.empty() : OptionalLong.of(ifVersion != null ? ifVersion : versionRead);
    return new Backend.Write(actor(), reason == null ? "" : reason, v);
  }
}
