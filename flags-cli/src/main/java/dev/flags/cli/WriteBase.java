package dev.flags.cli;

import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * A command that writes a flag: who and why ({@link ActorBase}), from which version (--if-version,
 * or the version the command read; --force writes over whatever is stored).
 */
abstract class WriteBase extends ActorBase {

  @Option(
      names = "--if-version",
      paramLabel = "N",
      description =
          "Write only if the flag is still at version N (what you read with flagctl"
              + " get); default: the version this command reads.")
  @Nullable Long ifVersion;

  @Option(
      names = "--force",
      description = "Write over whatever version is stored, even if it changed since it was read.")
  boolean force;

  /**
   * Refuses, before anything is asked or written, a write made from a version (--if-version) that
   * is no longer the stored one, saying who changed it meanwhile.
   */
  void checkVersion(FlagState current) {
    if (force || ifVersion == null || ifVersion == current.version()) {
      return;
    }
    java.time.Instant now = session().clock.instant();
    String by =
        current
            .summary()
            .lastChange()
            .map(
                c ->
                    " (changed by "
                        + c.actor()
                        + " "
                        + Render.ago(c.time(), now)
                        + (c.reason().isEmpty() ? "" : ": " + c.reason())
                        + ")")
            .orElse("");
    throw new dev.flags.core.admin.FlagConflictException(
        current.key(),
        ifVersion,
        current.version(),
        current
            .summary()
            .lastChange()
            .map(
                c ->
                    new dev.flags.core.admin.AuditEntry(
                        c.id(),
                        c.time(),
                        dev.flags.core.admin.DefinitionKind.FLAG,
                        current.key(),
                        current.version(),
                        c.action(),
                        c.actor(),
                        c.reason(),
                        java.util.Optional.empty(),
                        java.util.Optional.empty())),
        "flag \""
            + current.key()
            + "\" was changed meanwhile: you read version "
            + ifVersion
            + ", it is now version "
            + current.version()
            + by
            + "; review it and retry");
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
