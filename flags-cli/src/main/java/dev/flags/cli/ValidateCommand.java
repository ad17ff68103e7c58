package dev.flags.cli;

import dev.flags.core.FlagSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Checks a flag file as the SDK and flagctl import read it: JSON syntax, every rule of the"
          + " flag format, segments and prerequisites that exist, no unknown operator. Needs no"
          + " store."
    },
    footerHeading = "%nExample:%n",
    footer = "  flagctl validate flags.json && flagctl import flags.json --yes")
final class ValidateCommand extends Base {

  @Parameters(index = "0", paramLabel = "FILE", description = "The flag file.")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  String file;

  @Override
  public Integer call() {
    FlagSet set = FlagFiles.read(file, false);
    if (json()) {
      printJson(
          JsonOut.obj()
              .put("file", file)
              .put("valid", true)
              .put("flags", set.flags().size())
              .put("segments", set.segments().size()));
    } else {
      out()
          .println(
              file
                  + " is valid: "
                  + set.flags().size()
                  + (set.flags().size() == 1 ? " flag, " : " flags, ")
                  + set.segments().size()
                  + (set.segments().size() == 1 ? " segment" : " segments"));
    }
    return Exit.OK;
  }
}
