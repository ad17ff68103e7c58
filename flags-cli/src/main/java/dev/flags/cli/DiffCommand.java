package dev.flags.cli;

import dev.flags.core.FlagSet;
import dev.flags.core.admin.ImportPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "What importing a flag file would change in the store: flags and segments to create,"
          + " update (and how) or, with --prune, delete. Writes nothing."
    },
    footerHeading = "%nExample:%n",
    footer = "  flagctl diff flags.json --profile prod")
final class DiffCommand extends Base {

  @Parameters(index = "0", paramLabel = "FILE", description = "The flag file.")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  String file;

  @Option(names = "--prune", description = "Also delete what the store has and the file lacks.")
  boolean prune;

  @Override
  public Integer call() {
    FlagSet set = FlagFiles.read(file, false);
    ImportPlan plan = session().backend(cli(), true, writes()).plan(set, prune);
    if (json()) {
      printJson(Views.json(plan));
    } else {
      out().print(Plans.describe(plan));
    }
    return Exit.OK;
  }
}
