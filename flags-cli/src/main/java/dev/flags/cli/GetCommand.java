package dev.flags.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
      "Shows one flag and its version: a readable view, its stored JSON (--definition) or both"
          + " with its summary (--json)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  flagctl get new_checkout_flow",
      "  flagctl get new_checkout_flow --definition > new_checkout_flow.json"
    })
final class GetCommand extends Base {

  @Parameters(index = "0", paramLabel = "KEY", description = "The flag key.")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  String key;

  @Option(
      names = "--definition",
      description =
          "Print only the stored definition, as JSON (members flagctl does not know"
              + " included).")
  boolean definition;

  @Override
  public Integer call() {
    FlagState s = require(key);
    if (json()) {
      printJson(Views.json(s));
    } else if (definition) {
      if (s.definition().isEmpty()) {
        out().println(s.stored());
      } else {
        out().println(JsonOut.pretty(s.definition().get()));
      }
    } else {
      out().print(Views.describe(s, session().clock.instant()));
    }
    return Exit.OK;
  }
}
