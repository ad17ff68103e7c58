package dev.flags.cli;

import dev.flags.core.Flag;
import dev.flags.core.GuardedRollout;
import dev.flags.core.JsonValue;
import dev.flags.core.json.FlagCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A flag's guarded rollout plan (docs/guarded-rollouts.md): where it is, and an operator's pause,
 * resume, abort and restart. Not under {@code rollout}, which ramps a flag by hand: {@code flagctl
 * rollout pause 5%} would be a flag named pause.
 */
@Command(
    name = "plan",
    aliases = "guarded-rollout",
    mixinStandardHelpOptions = true,
    description = {
      "A flag's guarded rollout plan (member guardedRollout; docs/guarded-rollouts.md): its steps"
          + " and guard, where it is, the guard's last numbers and why it rolled back; pause,"
          + " resume, abort or restart it. Needs Redis (or --server of an application whose store is"
          + " Redis): a plan's state lives there, with the controller that runs it."
    },
    subcommands = {
      PlanCommand.Status.class,
      PlanCommand.Pause.class,
      PlanCommand.Resume.class,
      PlanCommand.Abort.class,
      PlanCommand.Restart.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  flagctl plan status new_checkout_flow",
      "  flagctl plan pause new_checkout_flow -m \"INC-9: latency\"",
      "  flagctl plan resume new_checkout_flow",
      "  flagctl plan abort new_checkout_flow --yes -m \"superseded\"",
      "  flagctl plan restart new_checkout_flow -m \"fix deployed\""
    })
final class PlanCommand implements Runnable {

  private static final FlagCodec CODEC = FlagCodec.standard();

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(),
        "name what to do: flagctl plan status KEY, pause KEY, resume KEY, abort KEY or restart"
            + " KEY");
  }

  /** The flag and its plan, or exit 1. */
  static GuardedRollout planOf(FlagState s) {
    return s.readable()
        .guardedRollout()
        .orElseThrow(
            () ->
                CliException.notFound(
                    "flag \""
                        + s.key()
                        + "\" has no guarded rollout plan (member guardedRollout,"
                        + " docs/guarded-rollouts.md); flagctl rollout ramps it by hand"));
  }

  static JsonOut.Obj document(FlagState s, GuardedRollout plan, PlanStatus p) {
    Flag f = s.readable();
    JsonValue encoded = CODEC.parse(CODEC.encode(f));
    List<String> actions = new ArrayList<>();
    for (String a : List.of("pause", "resume", "abort", "restart")) {
      if (PlanStatus.allows(p.state(), a)) {
        actions.add(a);
      }
    }
    return JsonOut.obj()
        .put("key", s.key())
        .put("version", s.version())
        .put("plan", ((JsonValue.Obj) encoded).members().get("guardedRollout"))
        .put("percent", plan.percentServed(f))
        .put("state", p.state())
        .put("step", p.step())
        .put("stepPercent", plan.steps().get(step(plan, p)).percent())
        .put("stepStartedAt", p.stepStartedAt())
        .put("note", p.note())
        .put(
            "lastVerdict",
            p.lastVerdict()
                .map(
                    v ->
                        JsonOut.obj()
                            .put("outcome", v.outcome())
                            .put("detail", v.detail())
                            .put("at", v.at())))
        .put("actions", actions);
  }

  private static int step(GuardedRollout plan, PlanStatus p) {
    return Math.max(0, Math.min(p.step(), plan.steps().size() - 1));
  }

  /** The plan for people: state, the steps with the current one marked, guard, verdict, note. */
  static String describe(FlagState s, GuardedRollout plan, PlanStatus p, Instant now) {
    Flag f = s.readable();
    int i = step(plan, p);
    StringBuilder b = new StringBuilder();
    b.append(s.key())
        .append(": guarded rollout ")
        .append(p.state())
        .append(", step ")
        .append(i + 1)
        .append(" of ")
        .append(plan.steps().size())
        .append(" (")
        .append(plan.steps().get(i).percent())
        .append("%)");
    p.stepStartedAt()
        .ifPresent(
            t ->
                b.append(" since ")
                    .append(Render.time(t))
                    .append(" (")
                    .append(Render.ago(t, now))
                    .append(")"));
    b.append('\n');
    String serves =
        plan.percentServed(f)
            .map(
                x ->
                    Render.percent(x)
                        + " of users (those its targets and rules do not decide) get variation "
                        + Views.json(f.variations().get(plan.variation()))
                        + ", the rest "
                        + Views.json(f.variations().get(plan.baseline())))
            .orElse("its fallthrough serves another variation: the plan waits");
    b.append("serves     ")
        .append(serves)
        .append(f.on() ? "" : " (the flag is off: nobody gets it)")
        .append(" (version ")
        .append(s.version())
        .append(")\n");
    List<List<String>> rows = new ArrayList<>();
    for (int n = 0; n < plan.steps().size(); n++) {
      GuardedRollout.Step st = plan.steps().get(n);
      rows.add(
          List.of(
              (n == i && !p.state().equals("pending") ? "> " : "  ") + (n + 1),
              st.percent() + "%",
              Render.span(st.hold()),
              Long.toString(st.minRequests())));
    }
    b.append(Render.table(List.of("STEP", "PERCENT", "HOLD", "MIN REQUESTS"), rows));
    GuardedRollout.Guard g = plan.guard();
    b.append("guard      error rate of ")
        .append(Views.json(f.variations().get(plan.variation())))
        .append(" against ")
        .append(Views.json(f.variations().get(plan.baseline())))
        .append(": alpha ")
        .append(g.alpha())
        .append(", tolerance ")
        .append(trim(g.tolerance()))
        .append(", at least ")
        .append(g.minSamples())
        .append(" outcomes each");
    if (g.latencyPercentile().isPresent()) {
      b.append(
          String.format(
              Locale.ROOT,
              "; p%s latency at most %sx the baseline's",
              trim(100 * g.latencyPercentile().get()),
              trim(g.maxLatencyRatio().orElseThrow())));
    }
    b.append("; on trip: ")
        .append(plan.onTrip() == GuardedRollout.OnTrip.TURN_OFF ? "turn the flag off" : "roll back")
        .append('\n');
    p.lastVerdict()
        .ifPresent(
            v ->
                b.append("verdict    ")
                    .append(v.outcome())
                    .append(" ")
                    .append(Render.ago(v.at(), now))
                    .append(": ")
                    .append(v.detail())
                    .append('\n'));
    if (!p.note().isEmpty()) {
      b.append(p.state().equals("rolled-back") ? "why        " : "note       ")
          .append(p.note())
          .append('\n');
    }
    return b.toString();
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "Shows a flag's plan: its steps (> marks the current one), guard, state, the guard's"
              + " last numbers, and the last thing that happened (why it rolled back).",
      footerHeading = "%nExamples:%n",
      footer = {
        "  flagctl plan status new_checkout_flow",
        "  flagctl plan status new_checkout_flow --json"
      })
  static final class Status extends Base {
    @Parameters(index = "0", paramLabel = "KEY", description = "The flag key.")
    @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
    String key;

    @Override
    public Integer call() {
      FlagState s = require(key);
      GuardedRollout plan = planOf(s);
      PlanStatus p = backend().planStatus(key);
      if (json()) {
        printJson(document(s, plan, p));
      } else {
        out().print(describe(s, plan, p, session().clock.instant()));
      }
      return Exit.OK;
    }
  }

  /** Pause, resume, abort and restart: the same steps, one word apart. */
  abstract static class Action extends ActorBase {
    @Parameters(index = "0", paramLabel = "KEY", description = "The flag key.")
    @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
    String key;

    abstract String action();

    /** Whether to ask first (abort cannot be undone). */
    boolean asks() {
      return false;
    }

    boolean yes() {
      return false;
    }

    @Override
    public Integer call() {
      banner();
      FlagState s = require(key);
      GuardedRollout plan = planOf(s);
      if (asks() && !yes()) {
        String what =
            "aborting the guarded rollout of "
                + key
                + " stops it for good (the flag stays as it is; it starts again only after its"
                + " state is reset)";
        if (!session().confirm("flagctl: " + what + ". Go on?")) {
          throw new CliException(Exit.REFUSED, "not done: " + what + "; add --yes to do it");
        }
      }
      PlanStatus after =
          backend()
              .planAction(
                  key,
                  action(),
                  new Backend.Write(
                      actor(), reason == null ? "" : reason, java.util.OptionalLong.empty()));
      // Read again: the controller may have moved the flag meanwhile.
      FlagState now = require(key);
      if (json()) {
        printJson(document(now, plan, after).put("action", action()));
        return Exit.OK;
      }
      out()
          .println(
              key
                  + ": guarded rollout "
                  + after.state()
                  + " at step "
                  + (step(plan, after) + 1)
                  + " of "
                  + plan.steps().size()
                  + " ("
                  + plan.steps().get(step(plan, after)).percent()
                  + "%)"
                  + (after.note().isEmpty() ? "" : ": " + after.note()));
      if (after.state().equals("paused")) {
        out().println("undo: flagctl plan resume " + key);
      }
      return Exit.OK;
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description =
          "Pauses a running (or not yet started) plan where it is: the controller leaves the flag"
              + " at its step until flagctl plan resume.",
      footerHeading = "%nExample:%n",
      footer = "  flagctl plan pause new_checkout_flow -m \"INC-9: latency\"")
  static final class Pause extends Action {
    @Override
    String action() {
      return "pause";
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Resumes a paused plan; its step's hold counts from when the step began.",
      footerHeading = "%nExample:%n",
      footer = "  flagctl plan resume new_checkout_flow -m \"latency back to normal\"")
  static final class Resume extends Action {
    @Override
    String action() {
      return "resume";
    }
  }

  @Command(
      name = "abort",
      mixinStandardHelpOptions = true,
      description = {
        "Stops a plan for good: the flag stays as it is (ramp or kill it by hand). Asks first on"
            + " a terminal; elsewhere it needs --yes."
      },
      footerHeading = "%nExample:%n",
      footer = "  flagctl plan abort new_checkout_flow --yes -m \"superseded by v2\"")
  static final class Abort extends Action {
    @Option(
        names = {"--yes", "-y"},
        description = "Abort without asking.")
    boolean yes;

    @Override
    String action() {
      return "abort";
    }

    @Override
    boolean asks() {
      return true;
    }

    @Override
    boolean yes() {
      return yes;
    }
  }

  @Command(
      name = "restart",
      mixinStandardHelpOptions = true,
      description = {
        "Starts a plan that ended (done, rolled back or aborted) again: the controller takes it"
            + " up at its next look, from the step the flag's rollout is at, or from the first"
            + " step when it is at none (after a rollback, 0%%). A plan whose flag is off waits"
            + " until it is turned on."
      },
      footerHeading = "%nExample:%n",
      footer = "  flagctl plan restart new_checkout_flow -m \"INC-9 fixed in 2.4.1\"")
  static final class Restart extends Action {
    @Override
    String action() {
      return "restart";
    }
  }
}
