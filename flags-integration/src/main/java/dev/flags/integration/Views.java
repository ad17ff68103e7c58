package dev.flags.integration;

import dev.flags.core.Flag;
import dev.flags.core.JsonValue;
import dev.flags.core.Rollout;
import dev.flags.core.Segment;
import dev.flags.core.Serve;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.FlagRecord;
import dev.flags.core.admin.VersionedSegment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The JSON the admin API answers with: flags, their summaries, segments, audit entries. */
final class Views {

  private Views() {}

  /** One flag in a listing: what people scan for. */
  static Map<String, Object> summary(FlagRecord r, Instant now) {
    Map<String, Object> m = Json.object();
    m.put("key", r.key());
    Optional<Flag> f = r.flag();
    m.put("on", f.map(Flag::on));
    m.put("version", r.version());
    m.put("variations", f.map(x -> x.variations().size()));
    m.put("type", f.map(Views::type));
    m.put("rollout", f.flatMap(Views::rollout));
    m.put("targets", f.map(x -> x.targets().stream().mapToInt(t -> t.keys().size()).sum()));
    m.put("rules", f.map(x -> x.rules().size()));
    m.put("owner", f.map(x -> x.metadata().owner()));
    m.put("description", f.map(x -> x.metadata().description()));
    m.put("tags", f.map(x -> x.metadata().tags()).orElse(List.of()));
    m.put("killDate", f.flatMap(x -> x.metadata().killDate()));
    m.put("pastKillDate", f.map(x -> x.metadata().isPastKillDate(now)).orElse(false));
    m.put("lastChange", r.lastChange().map(Views::lastChange));
    m.put("malformed", r.problem());
    m.put("killedByRawEdit", r.killedByRawEdit());
    return m;
  }

  /** One flag with its whole definition, as {@code GET /flags/{key}} and writes answer. */
  static Map<String, Object> flag(FlagRecord r, Instant now) {
    Map<String, Object> m = Json.object();
    m.put("key", r.key());
    m.put("version", r.version());
    if (r.isMalformed()) {
      m.put("definition", Optional.empty());
      m.put("stored", r.storedValue());
      m.put("malformed", r.problem());
    } else {
      m.put("definition", definition(r.key(), r.storedValue(), r.version()));
    }
    m.put("summary", summary(r, now));
    return m;
  }

  /**
   * A stored flag's JSON as stored (members this version does not know included), expanded from a
   * bare {@code true}/{@code false}, with the store's version.
   */
  static JsonValue definition(String key, String stored, long version) {
    String t = stored.strip();
    JsonValue json =
        t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")
            ? Json.CODEC.parse(Json.CODEC.encode(Flag.simple(key, t.equalsIgnoreCase("true"))))
            : Json.CODEC.parse(stored);
    if (json instanceof JsonValue.Obj o) {
      Map<String, JsonValue> members = new LinkedHashMap<>(o.members());
      members.put("version", JsonValue.of(version));
      return new JsonValue.Obj(members);
    }
    return json;
  }

  /** A segment with its definition. */
  static Map<String, Object> segment(VersionedSegment s) {
    Map<String, Object> m = Json.object();
    m.put("key", s.segment().key());
    m.put("version", s.version());
    m.put("definition", Json.CODEC.parse(Json.CODEC.encode(s.segment())));
    return m;
  }

  /** A segment in a listing. */
  static Map<String, Object> segmentSummary(VersionedSegment v) {
    Segment s = v.segment();
    Map<String, Object> m = Json.object();
    m.put("key", s.key());
    m.put("version", v.version());
    m.put("description", s.description());
    m.put("included", s.included().size());
    m.put("excluded", s.excluded().size());
    m.put("rules", s.rules().size());
    return m;
  }

  /** An audit entry, with its readable diff. */
  static Map<String, Object> auditEntry(AuditEntry e) {
    Map<String, Object> m = Json.object();
    m.put("id", e.id());
    m.put("time", e.time());
    m.put("kind", e.kind().name().toLowerCase(Locale.ROOT));
    m.put("key", e.key());
    m.put("version", e.version());
    m.put("action", e.action());
    m.put("actor", e.actor());
    m.put("reason", e.reason());
    m.put("rawEdit", e.isRawEdit());
    m.put("diff", AuditDiff.of(e));
    m.put("before", e.before());
    m.put("after", e.after());
    return m;
  }

  static Map<String, Object> lastChange(AuditEntry e) {
    Map<String, Object> m = Json.object();
    m.put("actor", e.actor());
    m.put("time", e.time());
    m.put("action", e.action());
    m.put("reason", e.reason());
    m.put("id", e.id());
    return m;
  }

  /** Who made the change that a conflicting write met. */
  static Map<String, Object> changedBy(AuditEntry e) {
    Map<String, Object> m = Json.object();
    m.put("actor", e.actor());
    m.put("time", e.time());
    m.put("reason", e.reason());
    return m;
  }

  /** {@code boolean}, {@code string}, {@code number} or {@code json}, by the variations. */
  static String type(Flag f) {
    if (f.isBoolean()) {
      return "boolean";
    }
    if (f.variations().stream().allMatch(v -> v instanceof JsonValue.Str)) {
      return "string";
    }
    if (f.variations().stream().allMatch(v -> v instanceof JsonValue.Num)) {
      return "number";
    }
    return "json";
  }

  /** The fallthrough rollout: percentage (of {@code true}, for a boolean flag) and how. */
  static Optional<Map<String, Object>> rollout(Flag f) {
    if (!(f.fallthrough() instanceof Rollout r)) {
      return Optional.empty();
    }
    Map<String, Object> m = Json.object();
    m.put("percentage", truePercentage(f));
    m.put("algorithm", r.algorithm().wireName());
    m.put("bucketBy", r.bucketBy());
    List<Object> weights = new ArrayList<>();
    for (Rollout.WeightedVariation w : r.weights()) {
      Map<String, Object> wm = Json.object();
      wm.put("variation", w.variation());
      wm.put("weight", w.weight());
      weights.add(wm);
    }
    m.put("weights", weights);
    return Optional.of(m);
  }

  /**
   * For a boolean flag, the share of contexts its fallthrough serves {@code true}: the rollout's
   * weight of {@code true}, or 100 / 0 for a fixed variation. Empty for other flags.
   */
  static Optional<Double> truePercentage(Flag f) {
    if (!f.isBoolean()) {
      return Optional.empty();
    }
    int t = f.variations().indexOf(JsonValue.TRUE);
    Serve serve = f.fallthrough();
    if (serve instanceof Serve.Variation v) {
      return Optional.of(v.index() == t ? 100.0 : 0.0);
    }
    int weight = 0;
    for (Rollout.WeightedVariation w : ((Rollout) serve).weights()) {
      if (w.variation() == t) {
        weight += w.weight();
      }
    }
    return Optional.of(weight / 1000.0);
  }

  /**
   * A flag's guarded rollout: its plan as in the flag's JSON, the share its fallthrough serves the
   * new variation now, and the plan's live state, as {@code GET /flags/{key}/guarded-rollout}
   * answers.
   */
  static Map<String, Object> guardedRollout(
      Flag f, long version, dev.flags.core.GuardedRollout plan, RolloutPlans.Status status) {
    Map<String, Object> m = Json.object();
    m.put("key", f.key());
    m.put("version", version);
    JsonValue json = Json.CODEC.parse(Json.CODEC.encode(f));
    m.put("plan", ((JsonValue.Obj) json).members().get("guardedRollout"));
    m.put("percent", plan.percentServed(f));
    m.put("state", status.state().wireName());
    m.put("step", status.step());
    m.put(
        "stepPercent",
        plan.steps().get(Math.min(status.step(), plan.steps().size() - 1)).percent());
    m.put("stepStartedAt", status.stepStartedAt());
    m.put("note", status.note());
    m.put(
        "lastVerdict",
        status
            .lastVerdict()
            .map(
                v -> {
                  Map<String, Object> vm = Json.object();
                  vm.put("outcome", v.outcome());
                  vm.put("detail", v.detail());
                  vm.put("at", v.at());
                  return vm;
                }));
    List<String> actions = new ArrayList<>();
    for (RolloutPlans.Action a : RolloutPlans.Action.allowed(status.state())) {
      actions.add(a.wireName());
    }
    m.put("actions", actions);
    return m;
  }

  /** The label of a variation in diffs and explanations: its JSON value. */
  static String label(Flag f, int variation) {
    return variation >= 0 && variation < f.variations().size()
        ? Json.CODEC.write(f.variations().get(variation))
        : "#" + variation;
  }
}
