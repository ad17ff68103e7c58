package dev.flags.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

@Command(
    name = "stale",
    aliases = "past-kill-date",
    mixinStandardHelpOptions = true,
    description = {
      "Flags to clean up: those past their kill date, oldest first, with their owner. Remove them"
          + " from the code, then from the store."
    },
    footerHeading = "%nExample:%n",
    footer = "  flagctl stale --json")
final class StaleCommand extends Base {

  @Override
  public Integer call() {
    Instant now = session().clock.instant();
    List<Summary> stale =
        backend().list().stream()
            .filter(Summary::pastKillDate)
            .sorted(java.util.Comparator.comparing(s -> s.killDate().orElseThrow()))
            .toList();
    if (json()) {
      printJson(JsonOut.obj().put("flags", stale.stream().map(Views::json).toList()));
      return Exit.OK;
    }
    List<List<String>> rows = new ArrayList<>();
    for (Summary s : stale) {
      rows.add(
          List.of(
              s.key(),
              Render.date(s.killDate().orElseThrow()),
              Render.ago(s.killDate().orElseThrow(), now),
              s.owner().isEmpty() ? "-" : s.owner(),
              s.on().orElse(false) ? "on" : "off",
              Views.rolloutCell(s)));
    }
    out()
        .print(
            Render.table(List.of("KEY", "KILL DATE", "PASSED", "OWNER", "STATE", "ROLLOUT"), rows));
    out()
        .println(
            stale.isEmpty()
                ? "no flag is past its kill date"
                : stale.size()
                    + (stale.size() == 1 ? " flag is" : " flags are")
                    + " past their kill date");
    return Exit.OK;
  }
}
