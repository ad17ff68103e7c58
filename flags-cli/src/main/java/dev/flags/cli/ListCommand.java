package dev.flags.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "list",
    aliases = "ls",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the flags: on/off, rollout, targets and rules, owner, kill date (past ones marked),"
          + " the last change, and malformed flags with their problem."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  flagctl list",
      "  flagctl list --owner team-payments --past-kill-date",
      "  flagctl list --malformed --json"
    })
final class ListCommand extends Base {

  @Option(names = "--tag", paramLabel = "TAG", description = "Only flags with this tag.")
  @Nullable String tag;

  @Option(names = "--owner", paramLabel = "OWNER", description = "Only flags of this owner.")
  @Nullable String owner;

  @Option(names = "--past-kill-date", description = "Only flags past their kill date.")
  boolean pastKillDate;

  @Option(names = "--malformed", description = "Only flags whose stored value does not read.")
  boolean malformed;

  @Override
  public Integer call() {
    Backend backend = backend();
    List<Summary> all = backend.list();
    List<Summary> shown =
        all.stream()
            .filter(s -> tag == null || s.tags().contains(tag))
            .filter(s -> owner == null || s.owner().equals(owner))
            .filter(s -> !pastKillDate || s.pastKillDate())
            .filter(s -> !malformed || s.malformed().isPresent())
            .toList();
    if (json()) {
      printJson(
          JsonOut.obj()
              .put("store", backend.description())
              .put("writable", backend.readOnlyReason().isEmpty())
              .put("readOnlyReason", backend.readOnlyReason())
              .put("flags", shown.stream().map(Views::json).toList()));
      return Exit.OK;
    }
    out().print(table(shown, session().clock.instant()));
    long past = shown.stream().filter(Summary::pastKillDate).count();
    long bad = shown.stream().filter(s -> s.malformed().isPresent()).count();
    out()
        .println(
            shown.size()
                + (shown.size() == 1 ? " flag" : " flags")
                + (shown.size() < all.size() ? " of " + all.size() : "")
                + " in "
                + backend.description()
                + (past > 0 ? "; " + past + " past kill date" : "")
                + (bad > 0 ? "; " + bad + " malformed" : ""));
    backend.readOnlyReason().ifPresent(r -> out().println("read-only: " + r));
    return Exit.OK;
  }

  static String table(List<Summary> flags, Instant now) {
    List<List<String>> rows = new ArrayList<>();
    for (Summary s : flags) {
      if (s.malformed().isPresent()) {
        rows.add(
            List.of(
                s.key(),
                "MALFORMED",
                "-",
                "-",
                "-",
                "-",
                "-",
                last(s, now) + "  " + Render.cut(s.malformed().get(), 100)));
        continue;
      }
      String state = s.on().orElse(false) ? "on" : s.killedByRawEdit() ? "off (raw)" : "off";
      rows.add(
          List.of(
              s.key(),
              state,
              Views.rolloutCell(s),
              Integer.toString(s.targets()),
              Integer.toString(s.rules()),
              s.owner().isEmpty() ? "-" : s.owner(),
              s.killDate().map(k -> Render.date(k) + (s.pastKillDate() ? " PAST" : "")).orElse("-"),
              last(s, now)));
    }
    return Render.table(
        List.of("KEY", "STATE", "ROLLOUT", "TARGETS", "RULES", "OWNER", "KILL DATE", "LAST CHANGE"),
        rows);
  }

  private static String last(Summary s, Instant now) {
    return s.lastChange().map(c -> c.actor() + " " + Render.ago(c.time(), now)).orElse("-");
  }
}
