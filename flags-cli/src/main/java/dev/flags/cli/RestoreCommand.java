package dev.flags.cli;

import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.RestorePoint;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "restore",
    aliases = "undo",
    mixinStandardHelpOptions = true,
    description = {
      "Sets a flag back to an earlier definition from the audit log, as a new version: by"
          + " default the one before its last change (undo), including the definition a raw edit"
          + " replaced (a hand-typed false, a redis-cli SET). A deleted flag comes back."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  flagctl restore new_checkout_flow",
      "  flagctl restore new_checkout_flow --to v7 --reason \"back to the canary\"",
      "  flagctl restore new_checkout_flow --to 1740910500000-0"
    })
final class RestoreCommand extends WriteBase {

  @Parameters(index = "0", paramLabel = "KEY", description = "The flag key.")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  String key;

  @Option(
      names = "--to",
      paramLabel = "VERSION|ENTRY",
      description =
          "A version (7 or v7), or an audit entry id (what that change wrote); default:"
              + " the version before the last change.")
  @Nullable String to;

  /** The entries read to find the last change of the definition. */
  private static final int UNDO_LOOKBACK = 100;

  @Override
  public Integer call() {
    RestorePoint point;
    if (to != null) {
      point = RestorePoint.parse(to);
    } else {
      point = null;
    }
    banner();
    Backend backend = backend();
    Optional<FlagState> before = backend.find(key);
    before.ifPresent(this::checkVersion);
    if (point == null) {
      // The last change of the definition: a guarded rollout's pause or resume is recorded too,
      // and there is nothing of the definition to undo in it.
      List<AuditEntry> last =
          backend.audit(AuditQuery.builder().flag(key).limit(UNDO_LOOKBACK).build()).stream()
              .filter(AuditEntry::changesDefinition)
              .limit(1)
              .toList();
      if (last.isEmpty()) {
        if (before.isEmpty()) {
          throw notFound(key);
        }
        throw CliException.notFound(
            "the audit log has no change of \""
                + key
                + "\" to undo; name a version with --to (flagctl audit "
                + key
                + " lists them)");
      }
      AuditEntry e = last.get(0);
      if (e.before().isEmpty()) {
        throw CliException.invalid(
            "the last change created \""
                + key
                + "\" (version "
                + e.version()
                + "): there is nothing before it to restore");
      }
      point = RestorePoint.version(e.version() - 1);
    }
    Backend.Write w = write(before.map(FlagState::version).orElse(0L));
    if (before.isEmpty()) {
      // A deleted flag: no version to name (the store records its next version itself).
      w = new Backend.Write(w.actor(), w.reason(), java.util.OptionalLong.empty());
    }
    FlagState after = backend.restore(key, point, w);
    String target =
        point instanceof RestorePoint.Version v
            ? "version " + v.version()
            : "entry " + ((RestorePoint.Entry) point).id();
    List<String> diff =
        before.isPresent()
            ? Diffs.lines(key, Optional.of(before.get().stored()), Optional.of(after.stored()))
            : List.of("created again");
    if (json()) {
      printJson(
          JsonOut.obj()
              .put("key", key)
              .put("restored", target)
              .put("version", after.version())
              .put("previousVersion", before.map(FlagState::version))
              .put("diff", diff)
              .put("summary", Views.json(after.summary())));
      return Exit.OK;
    }
    out()
        .println(
            key
                + " restored to "
                + target
                + ", now version "
                + after.version()
                + (diff.isEmpty() ? " (no difference)" : ": " + String.join("; ", diff)));
    before.ifPresent(b -> out().println("undo: flagctl restore " + key + " --to v" + b.version()));
    return Exit.OK;
  }
}
