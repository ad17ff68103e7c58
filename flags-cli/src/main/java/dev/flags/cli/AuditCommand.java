package dev.flags.cli;

import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "audit",
    aliases = "log",
    mixinStandardHelpOptions = true,
    description = {
      "The audit log, newest first: who changed what, when, why, and what changed. Changes made"
          + " without flagctl or the SDK (a hand edit, a redis-cli SET) show as \"unknown (raw"
          + " edit)\"."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  flagctl audit new_checkout_flow --since 2h",
      "  flagctl audit --actor alice --since 2026-03-01 --json"
    })
final class AuditCommand extends Base {

  @Parameters(index = "0", arity = "0..1", paramLabel = "KEY", description = "Only this flag.")
  @Nullable String key;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description = "Only changes since then: a time ago (30m, 2h, 7d), a date or an instant.")
  @Nullable String since;

  @Option(names = "--until", paramLabel = "WHEN", description = "Only changes until then.")
  @Nullable String until;

  @Option(names = "--actor", paramLabel = "NAME", description = "Only changes by this actor.")
  @Nullable String actor;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "At most N entries (default 100, at most 10000).")
  int limit = AuditQuery.DEFAULT_LIMIT;

  @Override
  public Integer call() {
    Instant now = session().clock.instant();
    AuditQuery.Builder q = AuditQuery.builder();
    if (key != null) {
      q.flag(key);
    }
    if (actor != null) {
      q.actor(actor);
    }
    if (since != null) {
      q.from(Durations.since(since, now, "--since"));
    }
    if (until != null) {
      q.to(Durations.since(until, now, "--until"));
    }
    if (limit < 1 || limit > AuditQuery.MAX_LIMIT) {
      throw CliException.invalid(
          "--limit: must be within 1.." + AuditQuery.MAX_LIMIT + ", got " + limit);
    }
    q.limit(limit);
    List<AuditEntry> entries = backend().audit(q.build());
    if (json()) {
      printJson(JsonOut.obj().put("entries", entries.stream().map(Views::json).toList()));
      return Exit.OK;
    }
    List<List<String>> rows = new ArrayList<>();
    for (AuditEntry e : entries) {
      rows.add(
          List.of(
              Render.time(e.time()),
              (e.kind() == dev.flags.core.admin.DefinitionKind.SEGMENT ? "segment " : "") + e.key(),
              "v" + e.version(),
              e.actor(),
              e.action(),
              String.join("; ", Diffs.lines(e.key(), e.before(), e.after())),
              e.reason().isEmpty() ? "" : "\"" + e.reason() + "\"",
              e.id()));
    }
    out()
        .print(
            Render.table(
                List.of("TIME", "FLAG", "VERSION", "ACTOR", "ACTION", "CHANGE", "REASON", "ENTRY"),
                rows));
    out()
        .println(
            entries.size()
                + (entries.size() == 1 ? " change" : " changes")
                + (entries.size() == limit ? " (the newest " + limit + "; --limit for more)" : ""));
    return Exit.OK;
  }
}
