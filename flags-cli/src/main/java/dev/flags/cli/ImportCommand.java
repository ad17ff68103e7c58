package dev.flags.cli;

import dev.flags.core.FlagSet;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.FlagConflictException;
import dev.flags.core.admin.ImportPlan;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Imports a flag file into the store: shows what it would change (the dry run), then — on"
          + " a terminal after you say yes, elsewhere with --yes — applies it all or nothing, each"
          + " change audited. If anything changed since the plan was made, nothing is written"
          + " (exit 3); --force plans again and applies."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  flagctl import flags.json                 # the plan, and a question",
      "  flagctl import flags.json --yes --reason \"release 42\"",
      "  flagctl import flags.json --prune --yes   # also delete what the file lacks"
    })
final class ImportCommand extends WriteBase {

  @Parameters(index = "0", paramLabel = "FILE", description = "The flag file.")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  String file;

  @Option(names = "--prune", description = "Also delete what the store has and the file lacks.")
  boolean prune;

  @Option(
      names = {"--yes", "-y"},
      description = "Apply without asking.")
  boolean yes;

  @Override
  public Integer call() {
    if (ifVersion != null) {
      throw CliException.invalid(
          "--if-version: an import checks the version of every definition it plans from; drop it");
    }
    FlagSet set = FlagFiles.read(file, true);
    banner();
    Backend backend = session().backend(cli(), true, writes());
    ImportPlan plan = backend.plan(set, prune);
    if (!json()) {
      out().print(Plans.describe(plan));
      out().flush();
    }
    if (plan.isEmpty()) {
      if (json()) {
        printJson(JsonOut.obj().put("plan", Views.json(plan)).put("applied", List.of()));
      } else {
        out().println("nothing to import");
      }
      return Exit.OK;
    }
    if (!yes && !session().confirm("flagctl: apply this plan?")) {
      if (json()) {
        printJson(JsonOut.obj().put("plan", Views.json(plan)).put("applied", List.of()));
      }
      throw new CliException(
          Exit.REFUSED, "not imported (that was the dry run): add --yes to apply this plan");
    }
    List<AuditEntry> applied;
    try {
      applied = backend.apply(plan, write(0));
    } catch (FlagConflictException e) {
      if (!force) {
        throw new CliException(
            Exit.CONFLICT,
            e.getMessage()
                + " since the plan was made; nothing was written: run flagctl import again"
                + " (or add --force to plan again and apply)",
            java.util.Map.of(),
            e);
      }
      plan = backend.plan(set, prune);
      if (!json()) {
        out().println("the store changed meanwhile; the new plan:");
        out().print(Plans.describe(plan));
      }
      applied = backend.apply(plan, write(0));
    }
    if (json()) {
      printJson(
          JsonOut.obj()
              .put("plan", Views.json(plan))
              .put("applied", applied.stream().map(Views::json).toList()));
    } else {
      out()
          .println(
              "imported "
                  + file
                  + ": "
                  + applied.size()
                  + (applied.size() == 1 ? " change" : " changes")
                  + " written, each in the audit log");
    }
    return Exit.OK;
  }
}
