package dev.flags.cli;

import java.util.List;
import picocli.CommandLine.Command;

@Command(
    name = "adopt",
    mixinStandardHelpOptions = true,
    description = {
      "Redis: indexes the raw flag keys other tools wrote (redis-cli SET feature:x true), the"
          + " adoption the SDK does at start-up: each gets a version and an audit entry, so"
          + " flagctl list, audit and restore know it."
    },
    footerHeading = "%nExample:%n",
    footer = "  flagctl adopt --redis redis://10.0.0.5:6379 --actor alice")
final class AdoptCommand extends WriteBase {

  @Override
  public Integer call() {
    if (settings().kind() == Settings.Kind.FILE) {
      String note =
          "a flag file needs no adoption: flagctl reads every flag in it, and records a hand edit"
              + " as a raw edit the first time it meets it";
      if (json()) {
        printJson(JsonOut.obj().put("adopted", List.of()).put("note", note));
      } else {
        out().println(note);
      }
      return Exit.OK;
    }
    banner();
    List<String> adopted = backend().adopt();
    if (json()) {
      printJson(JsonOut.obj().put("adopted", adopted));
    } else if (adopted.isEmpty()) {
      out()
          .println(
              "nothing to adopt: every flag key in " + backend().description() + " is indexed");
    } else {
      out()
          .println(
              "adopted "
                  + adopted.size()
                  + (adopted.size() == 1 ? " flag: " : " flags: ")
                  + String.join(", ", adopted));
    }
    return Exit.OK;
  }
}
