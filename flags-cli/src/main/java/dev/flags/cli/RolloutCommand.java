package dev.flags.cli;

import dev.flags.core.Flag;
import dev.flags.core.Rollout;
import java.math.BigDecimal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "rollout",
    mixinStandardHelpOptions = true,
    description = {
      "Ramps a boolean flag: the share of users (those its targets and rules do not decide) that"
          + " get true. Keeps the rollout's algorithm, salt and bucketBy, so a ramp up only adds"
          + " users and a ramp down only removes them; prints the share that changes.",
      "A ramp down asks first on a terminal; elsewhere it needs --yes."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      // picocli formats help texts: a literal % is written %%
      "  flagctl rollout new_checkout_flow 25%% --reason \"canary ok\"",
      "  flagctl rollout new_checkout_flow 5%% --yes --reason \"INC-9: latency\""
    })
final class RolloutCommand extends WriteBase {

  @Parameters(index = "0", paramLabel = "KEY", description = "The flag key.")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  String key;

  @Parameters(
      index = "1",
      paramLabel = "PERCENT",
      description = "0%% to 100%%, in steps of 0.001%%: 25%%, 12.5%%, 0.1%%.")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  String percent;

  @Option(
      names = {"--yes", "-y"},
      description = "Ramp down without asking.")
  boolean yes;

  @Override
  public Integer call() {
    double to = parse(percent);
    banner();
    FlagState before = require(key);
    checkVersion(before);
    Flag f = before.readable();
    if (!f.isBoolean()) {
      throw CliException.invalid(
          "rollout: flag \""
              + key
              + "\" is not a boolean flag (its variations are "
              + f.variations().stream().map(Views::json).toList()
              + "); change its rollout in a flag file and flagctl import it; nothing was written");
    }
    double from = Summary.truePercentage(f).orElse(0.0);
    double share = Math.abs(round(to - from));
    String direction = to > from ? "adds" : to < from ? "removes" : "none";
    String who = " of users (those its targets and rules do not decide)";
    if (direction.equals("none") && f.fallthrough() instanceof Rollout) {
      if (json()) {
        printJson(result(before, before, from, to, share, direction));
      } else {
        out()
            .println(
                key
                    + " is already at "
                    + Render.percent(to)
                    + " (version "
                    + before.version()
                    + "); nothing to change");
      }
      return Exit.OK;
    }
    if (direction.equals("removes") && !yes) {
      String what =
          "ramping "
              + key
              + " down from "
              + Render.percent(from)
              + " to "
              + Render.percent(to)
              + " takes true away from "
              + Render.percent(share)
              + who;
      if (!session().confirm("flagctl: " + what + ". Go on?")) {
        throw new CliException(Exit.REFUSED, "not done: " + what + "; add --yes to do it");
      }
    }
    FlagState after = backend().setRollout(key, to, write(before.version()));
    if (json()) {
      printJson(result(before, after, from, to, share, direction));
      return Exit.OK;
    }
    Flag a = after.readable();
    StringBuilder line =
        new StringBuilder()
            .append(key)
            .append(": rollout ")
            .append(Render.percent(from))
            .append(" -> ")
            .append(Render.percent(to))
            .append(" (version ")
            .append(after.version())
            .append("): ")
            .append(Render.percent(share))
            .append(who)
            .append(direction.equals("removes") ? " stop getting true" : " start getting true");
    if (a.fallthrough() instanceof Rollout r) {
      line.append("; ")
          .append(r.algorithm().wireName())
          .append(", salt ")
          .append(a.effectiveSalt())
          .append(r.bucketBy().map(b -> ", bucketBy " + b).orElse(""))
          .append(" kept");
    }
    out().println(line);
    if (!a.on()) {
      out().println("note: " + key + " is off, so nobody gets the rollout until flagctl on " + key);
    }
    return Exit.OK;
  }

  private JsonOut.Obj result(
      FlagState before, FlagState after, double from, double to, double share, String direction) {
    return JsonOut.obj()
        .put("key", key)
        .put("version", after.version())
        .put("previousVersion", before.version())
        .put(
            "change",
            JsonOut.obj()
                .put("from", from)
                .put("to", to)
                .put("share", share)
                .put("direction", direction))
        .put("summary", Views.json(after.summary()));
  }

  private static double round(double d) {
    return Math.round(d * 1000) / 1000.0;
  }

  /** {@code 25%}, {@code 25}, {@code 12.5%}: 0 to 100 in steps of 0.001. */
  static double parse(String text) {
    String t = text.strip();
    String digits = t.endsWith("%") ? t.substring(0, t.length() - 1).strip() : t;
    BigDecimal p;
    try {
      if (!digits.matches("-?[0-9]+(\\.[0-9]+)?")) {
        throw new NumberFormatException(digits);
      }
      p = new BigDecimal(digits);
    } catch (NumberFormatException e) {
      throw CliException.invalid(
          "rollout: \""
              + text
              + "\" is not a percentage; give one like 25% or 12.5%; nothing"
              + " was written");
    }
    if (p.signum() < 0 || p.compareTo(BigDecimal.valueOf(100)) > 0) {
      throw CliException.invalid(
          "rollout: "
              + text
              + " is not a percentage from 0% to 100%; give one like 25% or 12.5%; nothing was"
              + " written");
    }
    if (p.stripTrailingZeros().scale() > 3) {
      throw CliException.invalid(
          "rollout: "
              + text
              + " is finer than the 0.001% steps a rollout has; round it, e.g. "
              + p.setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString()
              + "%; nothing was written");
    }
    return p.doubleValue();
  }
}
