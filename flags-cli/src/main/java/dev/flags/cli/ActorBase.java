package dev.flags.cli;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * A command that changes something: who (--actor), why (--reason). Prints the profile in force
 * before writing.
 */
abstract class ActorBase extends Base {

  @Option(
      names = "--actor",
      paramLabel = "NAME",
      description =
          "Who makes the change, for the audit log (FLAGCTL_ACTOR, the profile's actor;"
              + " default: your OS user). An admin HTTP API records its authenticated user instead.")
  @Nullable String actor;

  @Option(
      names = {"--reason", "-m"},
      paramLabel = "TEXT",
      description = "Why, for the audit log.")
  @Nullable String reason;

  @Override
  boolean writes() {
    return true;
  }

  /**
   * Prints where the write goes: the profile and the store (stderr). Every write starts here, so it
   * also refuses what the store cannot take before anything is read: a chosen actor for an admin
   * HTTP API.
   */
  void banner() {
    if (actor != null && settings().kind() == Settings.Kind.SERVER) {
      actor();
    }
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
}
