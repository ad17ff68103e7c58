package dev.flags.cli;

import dev.flags.core.admin.DefinitionKind;
import dev.flags.core.admin.ImportPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** An import plan for people. */
final class Plans {
  private Plans() {}

  static String describe(ImportPlan plan) {
    List<List<String>> rows = new ArrayList<>();
    for (ImportPlan.Item i : plan.changes()) {
      String what =
          i.kind() == DefinitionKind.FLAG
              ? String.join("; ", Diffs.lines(i.key(), i.before(), i.after()))
              : i.action() == ImportPlan.Action.UPDATE ? "changed" : "";
      rows.add(
          List.of(
              i.action().name().toLowerCase(Locale.ROOT),
              i.kind().name().toLowerCase(Locale.ROOT),
              i.key(),
              what));
    }
    StringBuilder b = new StringBuilder();
    if (!rows.isEmpty()) {
      b.append(Render.table(List.of("ACTION", "KIND", "KEY", "CHANGE"), rows));
    }
    b.append(
        plan.count(ImportPlan.Action.CREATE)
            + " to create, "
            + plan.count(ImportPlan.Action.UPDATE)
            + " to update, "
            + plan.count(ImportPlan.Action.DELETE)
            + " to delete, "
            + plan.count(ImportPlan.Action.UNCHANGED)
            + " unchanged\n");
    return b.toString();
  }
}
