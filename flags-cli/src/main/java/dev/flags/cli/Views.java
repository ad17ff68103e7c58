package dev.flags.cli;

import dev.flags.core.Clause;
import dev.flags.core.Flag;
import dev.flags.core.JsonValue;
import dev.flags.core.Prerequisite;
import dev.flags.core.Rollout;
import dev.flags.core.Rule;
import dev.flags.core.Serve;
import dev.flags.core.Target;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.ImportPlan;
import dev.flags.core.json.FlagCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** How flags, changes and plans look: for people, and as --json. */
final class Views {
  private static final FlagCodec CODEC = FlagCodec.standard();

  private Views() {}

  // ------------------------------------------------------------------ JSON

  static JsonOut.Obj json(Summary s) {
    return JsonOut.obj()
        .put("key", s.key())
        .put("on", s.on())
        .put("version", s.version())
        .put("variations", s.variations())
        .put("type", s.malformed().isPresent() ? null : s.type())
        .put(
            "rollout",
            s.rollout()
                .map(
                    r ->
                        JsonOut.obj()
                            .put("percentage", r.percentage())
                            .put("algorithm", r.algorithm())
                            .put("bucketBy", r.bucketBy())
                            .put(
                                "weights",
                                r.weights().stream()
                                    .map(
                                        w ->
                                            JsonOut.obj()
                                                .put("variation", w.variation())
                                                .put("weight", w.weight()))
                                    .toList())))
        .put("targets", s.targets())
        .put("rules", s.rules())
        .put("owner", s.owner())
        .put("description", s.description())
        .put("tags", s.tags())
        .put("killDate", s.killDate())
        .put("pastKillDate", s.pastKillDate())
        .put(
            "lastChange",
            s.lastChange()
                .map(
                    c ->
                        JsonOut.obj()
                            .put("actor", c.actor())
                            .put("time", c.time())
                            .put("action", c.action())
                            .put("reason", c.reason())
                            .put("id", c.id())))
        .put("malformed", s.malformed())
        .put("killedByRawEdit", s.killedByRawEdit());
  }

  static JsonOut.Obj json(FlagState f) {
    JsonOut.Obj o =
        JsonOut.obj()
            .put("key", f.key())
            .put("version", f.version())
            .put("definition", f.definition());
    if (f.flag().isEmpty()) {
      o.put("stored", f.stored()).put("malformed", f.summary().malformed());
    }
    return o.put("summary", json(f.summary()));
  }

  static JsonOut.Obj json(AuditEntry e) {
    return JsonOut.obj()
        .put("id", e.id())
        .put("time", e.time())
        .put("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT))
        .put("key", e.key())
        .put("version", e.version())
        .put("action", e.action())
        .put("actor", e.actor())
        .put("reason", e.reason())
        .put("rawEdit", e.isRawEdit())
        .put("diff", Diffs.lines(e.key(), e.before(), e.after()))
        .put("before", e.before())
        .put("after", e.after());
  }

  static JsonOut.Obj json(Explanation x) {
    return JsonOut.obj()
        .put("flag", x.flag())
        .put(
            "context",
            JsonOut.obj()
                .put("key", x.contextKey())
                .put("kind", x.kind())
                .put("anonymous", x.anonymous())
                .put("attributes", new JsonValue.Obj(x.attributes())))
        .put("value", x.value())
        .put("variation", x.variation())
        .put("reason", x.reason())
        .put("ruleIndex", x.ruleIndex())
        .put("ruleId", x.ruleId())
        .put("bucket", x.bucket())
        .put("prerequisite", x.prerequisite())
        .put("error", x.error())
        .put("explanation", x.explanation());
  }

  static JsonOut.Obj json(ImportPlan plan) {
    List<JsonOut.Obj> items = new ArrayList<>();
    for (ImportPlan.Item i : plan.items()) {
      items.add(
          JsonOut.obj()
              .put("kind", i.kind().name().toLowerCase(java.util.Locale.ROOT))
              .put("key", i.key())
              .put("action", i.action().name().toLowerCase(java.util.Locale.ROOT))
              .put("version", i.expectedVersion())
              .put(
                  "diff",
                  i.kind() == dev.flags.core.admin.DefinitionKind.FLAG
                      ? Diffs.lines(i.key(), i.before(), i.after())
                      : List.of()));
    }
    return JsonOut.obj()
        .put("create", plan.count(ImportPlan.Action.CREATE))
        .put("update", plan.count(ImportPlan.Action.UPDATE))
        .put("delete", plan.count(ImportPlan.Action.DELETE))
        .put("unchanged", plan.count(ImportPlan.Action.UNCHANGED))
        .put("items", items);
  }

  // ------------------------------------------------------------------ people

  /** The readable view of one flag (flagctl get). */
  static String describe(FlagState s, Instant now) {
    StringBuilder b = new StringBuilder();
    b.append(s.key()).append("  version ").append(s.version()).append('\n');
    if (s.flag().isEmpty()) {
      line(b, "MALFORMED", s.summary().malformed().orElse("?"));
      line(b, "stored", Render.cut(s.stored().replace('\n', ' '), 200));
      line(b, "fix", "flagctl restore " + s.key() + " (the version before), or import a fixed one");
      lastChange(b, s.summary(), now);
      return b.toString();
    }
    Flag f = s.flag().get();
    line(
        b,
        "on",
        f.on()
            ? "true"
            : "false: everyone gets variation "
                + f.offVariation()
                + " ("
                + json(f.variations().get(f.offVariation()))
                + ")"
                + (s.summary().killedByRawEdit()
                    ? "; killed by a raw edit: flagctl restore " + s.key() + " brings it back"
                    : ""));
    List<String> vs = new ArrayList<>();
    for (int i = 0; i < f.variations().size(); i++) {
      vs.add(i + ": " + json(f.variations().get(i)));
    }
    line(b, "variations", String.join(", ", vs));
    line(b, "off", "variation " + f.offVariation());
    line(b, "fallthrough", serve(f, f.fallthrough()));
    for (Target t : f.targets()) {
      List<String> keys = t.keys().stream().sorted().toList();
      String shown =
          keys.size() <= 10
              ? String.join(", ", keys)
              : String.join(", ", keys.subList(0, 10)) + " (+" + (keys.size() - 10) + " more)";
      line(b, "target", value(f, t.variation()) + ": " + shown);
    }
    for (int i = 0; i < f.rules().size(); i++) {
      Rule r = f.rules().get(i);
      line(
          b,
          "rule " + i,
          (r.id().isEmpty() ? "" : r.id() + ": ")
              + r.clauses().stream().map(Views::clause).collect(Collectors.joining(" and "))
              + " -> "
              + serve(f, r.serve()));
    }
    for (Prerequisite p : f.prerequisites()) {
      line(b, "prerequisite", p.flagKey() + " must serve variation " + p.variation());
    }
    f.salt().ifPresent(salt -> line(b, "salt", salt));
    if (!f.metadata().description().isEmpty()) {
      line(b, "description", f.metadata().description());
    }
    if (!f.metadata().owner().isEmpty()) {
      line(b, "owner", f.metadata().owner());
    }
    if (!f.metadata().tags().isEmpty()) {
      line(b, "tags", String.join(", ", f.metadata().tags()));
    }
    f.metadata()
        .killDate()
        .ifPresent(
            k ->
                line(
                    b,
                    "kill date",
                    Render.date(k)
                        + (now.isAfter(k) ? " (PAST, " + Render.ago(k, now) + ")" : "")));
    lastChange(b, s.summary(), now);
    return b.toString();
  }

  private static void lastChange(StringBuilder b, Summary s, Instant now) {
    s.lastChange()
        .ifPresent(
            c ->
                line(
                    b,
                    "last change",
                    c.actor()
                        + " "
                        + Render.ago(c.time(), now)
                        + " ("
                        + c.action()
                        + (c.reason().isEmpty() ? "" : ": " + c.reason())
                        + ")"));
  }

  private static void line(StringBuilder b, String label, String value) {
    b.append("  ").append(label).append(" ".repeat(Math.max(1, 14 - label.length())));
    b.append(value).append('\n');
  }

  static String serve(Flag f, Serve s) {
    if (s instanceof Serve.Variation v) {
      return "variation " + v.index() + " (" + value(f, v.index()) + ")";
    }
    Rollout r = (Rollout) s;
    StringBuilder b = new StringBuilder("rollout ");
    List<String> parts = new ArrayList<>();
    for (Rollout.WeightedVariation w : r.weights()) {
      parts.add(value(f, w.variation()) + " " + Render.percent(w.weight() / 1000.0));
    }
    b.append(String.join(", ", parts));
    b.append(" (").append(r.algorithm().wireName());
    r.bucketBy().ifPresent(a -> b.append(", by ").append(a));
    return b.append(')').toString();
  }

  private static String value(Flag f, int variation) {
    return variation < f.variations().size() ? json(f.variations().get(variation)) : "?";
  }

  static String clause(Clause c) {
    String values = c.values().stream().map(Views::json).collect(Collectors.joining(", "));
    return (c.attribute().isEmpty() ? "" : c.attribute() + " ")
        + (c.negate() ? "not " : "")
        + c.operatorName()
        + (c.ignoreCase() ? " (any case)" : "")
        + " "
        + values;
  }

  static String json(JsonValue v) {
    return CODEC.write(v);
  }

  /** The ROLLOUT cell of a listing. */
  static String rolloutCell(Summary s) {
    if (s.rollout().isEmpty()) {
      return "-";
    }
    Summary.RolloutInfo r = s.rollout().get();
    String p = r.percentage().map(Render::percent).orElse("split");
    return p
        + (r.algorithm().equals("murmur3-v1") ? "" : " " + r.algorithm())
        + r.bucketBy().map(a -> " by " + a).orElse("");
  }
}
