package dev.flags.cli;

import dev.flags.core.Flag;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** on, off and kill: targeting on or off, the definition kept (the kill switch). */
abstract class SwitchCommand extends WriteBase {

  @Parameters(index = "0", paramLabel = "KEY", description = "The flag key.")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  String key;

  int set(boolean on, boolean undoHint) {
    banner();
    FlagState before = require(key);
    checkVersion(before);
    Flag f = before.readable();
    if (f.on() == on) {
      if (json()) {
        printJson(result(before, before, false));
      } else {
        out()
            .println(
                key
                    + " is already "
                    + (on ? "on" : "off")
                    + " (version "
                    + before.version()
                    + "); nothing to change");
      }
      return Exit.OK;
    }
    FlagState after = backend().setOn(key, on, write(before.version()));
    if (json()) {
      printJson(result(before, after, true));
      return Exit.OK;
    }
    Flag a = after.readable();
    if (on) {
      out()
          .println(
              key
                  + " is on (version "
                  + after.version()
                  + "): it serves its targets, rules"
                  + " and fallthrough again ("
                  + Views.serve(a, a.fallthrough())
                  + ")");
    } else {
      out()
          .println(
              key
                  + " is off (version "
                  + after.version()
                  + "): everyone gets "
                  + Views.json(a.variations().get(a.offVariation()))
                  + ", its off variation");
    }
    if (undoHint) {
      out().println("undo: " + String.join("   or   ", undo(before)));
    }
    return Exit.OK;
  }

  List<String> undo(FlagState before) {
    return List.of("flagctl on " + key, "flagctl restore " + key + " --to v" + before.version());
  }

  JsonOut.Obj result(FlagState before, FlagState after, boolean changed) {
    return JsonOut.obj()
        .put("key", key)
        .put("changed", changed)
        .put("version", after.version())
        .put("previousVersion", before.version())
        .put("undo", changed ? undo(before) : List.of())
        .put("summary", Views.json(after.summary()));
  }

  @Command(
      name = "on",
      mixinStandardHelpOptions = true,
      description = "Turns a flag's targeting on: it serves its targets, rules and fallthrough.",
      footerHeading = "%nExample:%n",
      footer = "  flagctl on new_checkout_flow --reason \"INC-7 fixed\"")
  static final class On extends SwitchCommand {
    @Override
    public Integer call() {
      return set(true, false);
    }
  }

  @Command(
      name = "off",
      mixinStandardHelpOptions = true,
      description = {
        "Turns a flag off: everyone gets its off variation; the definition (targets, rules,"
            + " rollout) is kept for flagctl on.",
        "Asks first on a terminal; elsewhere it needs --yes. flagctl kill asks nothing."
      },
      footerHeading = "%nExample:%n",
      footer = "  flagctl off new_checkout_flow --yes --reason \"INC-7: card errors\"")
  static final class Off extends SwitchCommand {
    @Option(
        names = {"--yes", "-y"},
        description = "Do not ask.")
    boolean yes;

    @Override
    public Integer call() {
      if (!yes) {
        FlagState s = require(key);
        checkVersion(s);
        if (s.readable().on()) {
          Flag f = s.readable();
          String what =
              "turn "
                  + key
                  + " off: everyone gets "
                  + Views.json(f.variations().get(f.offVariation()));
          if (!session().confirm("flagctl: " + what + "?")) {
            throw new CliException(
                Exit.REFUSED,
                "not done: " + what + "; add --yes to do it (or use flagctl kill " + key + ")");
          }
        }
      }
      return set(false, true);
    }
  }

  @Command(
      name = "kill",
      mixinStandardHelpOptions = true,
      description = {
        "The kill switch: turns a flag off at once, asking nothing, keeps its definition, and"
            + " prints how to undo it."
      },
      footerHeading = "%nExample:%n",
      footer = "  flagctl kill new_checkout_flow --reason \"INC-7: card errors\"")
  static final class Kill extends SwitchCommand {
    @Override
    public Integer call() {
      return set(false, true);
    }
  }
}
