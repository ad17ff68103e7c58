package dev.flags.core.json;

import dev.flags.core.BucketingAlgorithm;
import dev.flags.core.Clause;
import dev.flags.core.Flag;
import dev.flags.core.FlagMetadata;
import dev.flags.core.FlagSet;
import dev.flags.core.GuardedRollout;
import dev.flags.core.JsonValue;
import dev.flags.core.Prerequisite;
import dev.flags.core.Rollout;
import dev.flags.core.Rule;
import dev.flags.core.Segment;
import dev.flags.core.SegmentRule;
import dev.flags.core.Serve;
import dev.flags.core.Target;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes the model as compact, canonical JSON: members in a fixed order, members at their default
 * value left out, sets of keys and the entries of a flag set sorted, so equal values give equal
 * text. JSON objects inside variations and clause values keep their own member order. One instance
 * writes one document; not thread-safe.
 */
final class JsonWriter {
  private final StringBuilder out = new StringBuilder(256);
  private boolean first;

  @Override
  public String toString() {
    return out.toString();
  }

  // ---------------------------------------------------------------- model

  JsonWriter flag(Flag f) {
    begin();
    name("key").string(f.key());
    name("version").out.append(f.version());
    name("on").out.append(f.on());
    boolean booleanVariations = f.variations().equals(Flag.BOOLEAN_VARIATIONS);
    if (!booleanVariations) {
      name("variations").values(f.variations());
    }
    if (f.offVariation() != 0) {
      name("offVariation").out.append(f.offVariation());
    }
    if (!(booleanVariations && f.fallthrough() instanceof Serve.Variation v && v.index() == 1)) {
      name("fallthrough");
      begin();
      serve(f.fallthrough());
      end();
    }
    if (!f.targets().isEmpty()) {
      name("targets").out.append('[');
      for (int i = 0; i < f.targets().size(); i++) {
        Target t = f.targets().get(i);
        comma(i);
        begin();
        name("variation").out.append(t.variation());
        name("values").sortedStrings(t.keys());
        end();
      }
      out.append(']');
    }
    if (!f.rules().isEmpty()) {
      name("rules").out.append('[');
      for (int i = 0; i < f.rules().size(); i++) {
        Rule r = f.rules().get(i);
        comma(i);
        begin();
        if (!r.id().isEmpty()) {
          name("id").string(r.id());
        }
        name("clauses").clauses(r.clauses());
        serve(r.serve());
        end();
      }
      out.append(']');
    }
    if (!f.prerequisites().isEmpty()) {
      name("prerequisites").out.append('[');
      for (int i = 0; i < f.prerequisites().size(); i++) {
        Prerequisite p = f.prerequisites().get(i);
        comma(i);
        begin();
        name("key").string(p.flagKey());
        name("variation").out.append(p.variation());
        end();
      }
      out.append(']');
    }
    if (f.salt().isPresent()) {
      name("salt").string(f.salt().get());
    }
    FlagMetadata m = f.metadata();
    if (!m.description().isEmpty()) {
      name("description").string(m.description());
    }
    if (!m.owner().isEmpty()) {
      name("owner").string(m.owner());
    }
    if (!m.tags().isEmpty()) {
      name("tags").strings(m.tags());
    }
    if (m.createdAt().isPresent()) {
      name("createdAt").string(m.createdAt().get().toString());
    }
    if (m.killDate().isPresent()) {
      name("killDate").string(m.killDate().get().toString());
    }
    if (f.guardedRollout().isPresent()) {
      name("guardedRollout");
      guardedRollout(f.guardedRollout().get());
    }
    end();
    return this;
  }

  private void guardedRollout(GuardedRollout g) {
    begin();
    name("variation").out.append(g.variation());
    name("baseline").out.append(g.baseline());
    name("steps").out.append('[');
    for (int i = 0; i < g.steps().size(); i++) {
      GuardedRollout.Step s = g.steps().get(i);
      comma(i);
      begin();
      name("percent").out.append(s.percent());
      name("holdSeconds").out.append(s.hold().toSeconds());
      name("minRequests").out.append(s.minRequests());
      end();
    }
    out.append(']');
    GuardedRollout.Guard guard = g.guard();
    name("guard");
    begin();
    name("alpha").out.append(number(guard.alpha()));
    name("tolerance").out.append(number(guard.tolerance()));
    name("minSamples").out.append(guard.minSamples());
    if (guard.latencyPercentile().isPresent()) {
      name("latency");
      begin();
      name("percentile").out.append(number(guard.latencyPercentile().get()));
      name("maxRatio").out.append(number(guard.maxLatencyRatio().orElseThrow()));
      end();
    }
    end();
    name("onTrip").string(g.onTrip().wireName());
    end();
  }

  /** A double as JSON: the shortest text that reads back as the same double. */
  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  /** The members of a serve, inside an object that is already open. */
  private void serve(Serve serve) {
    if (serve instanceof Serve.Variation v) {
      name("variation").out.append(v.index());
    } else if (serve instanceof Rollout r) {
      name("rollout");
      begin();
      name("weights").out.append('[');
      for (int i = 0; i < r.weights().size(); i++) {
        Rollout.WeightedVariation w = r.weights().get(i);
        comma(i);
        begin();
        name("variation").out.append(w.variation());
        name("weight").out.append(w.weight());
        end();
      }
      out.append(']');
      if (r.bucketBy().isPresent()) {
        name("bucketBy").string(r.bucketBy().get());
      }
      if (r.algorithm() != BucketingAlgorithm.MURMUR3_V1) {
        name("algorithm").string(r.algorithm().wireName());
      }
      end();
    }
  }

  private JsonWriter clauses(List<Clause> clauses) {
    out.append('[');
    for (int i = 0; i < clauses.size(); i++) {
      Clause c = clauses.get(i);
      comma(i);
      begin();
      if (!c.attribute().isEmpty()) {
        name("attribute").string(c.attribute());
      }
      name("op").string(c.operatorName());
      name("values").values(c.values());
      if (c.negate()) {
        name("negate").out.append(true);
      }
      if (c.ignoreCase()) {
        name("ignoreCase").out.append(true);
      }
      end();
    }
    out.append(']');
    return this;
  }

  JsonWriter segment(Segment s) {
    begin();
    name("key").string(s.key());
    name("version").out.append(s.version());
    if (!s.included().isEmpty()) {
      name("included").sortedStrings(s.included());
    }
    if (!s.excluded().isEmpty()) {
      name("excluded").sortedStrings(s.excluded());
    }
    if (!s.rules().isEmpty()) {
      name("rules").out.append('[');
      for (int i = 0; i < s.rules().size(); i++) {
        SegmentRule r = s.rules().get(i);
        comma(i);
        begin();
        if (!r.id().isEmpty()) {
          name("id").string(r.id());
        }
        name("clauses").clauses(r.clauses());
        end();
      }
      out.append(']');
    }
    if (!s.description().isEmpty()) {
      name("description").string(s.description());
    }
    end();
    return this;
  }

  JsonWriter flagSet(FlagSet set) {
    begin();
    name("flags");
    begin();
    for (String key : sorted(set.flags().keySet())) {
      Flag f = Objects.requireNonNull(set.flags().get(key));
      name(key);
      if (f.equals(Flag.simple(key, f.on()))) {
        out.append(f.on()); // the short form of an on/off switch
      } else {
        flag(f);
      }
    }
    end();
    name("segments");
    begin();
    for (String key : sorted(set.segments().keySet())) {
      name(key);
      segment(Objects.requireNonNull(set.segments().get(key)));
    }
    end();
    end();
    return this;
  }

  // ---------------------------------------------------------------- JSON

  JsonWriter value(JsonValue v) {
    if (v instanceof JsonValue.Str s) {
      string(s.value());
    } else if (v instanceof JsonValue.Bool b) {
      out.append(b.value());
    } else if (v instanceof JsonValue.Num n) {
      // BigDecimal.toString is valid JSON (1E+3, 0E-10) and never expands an exponent.
      out.append(n.value().toString());
    } else if (v instanceof JsonValue.Arr a) {
      values(a.elements());
    } else if (v instanceof JsonValue.Obj o) {
      begin();
      for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
        name(e.getKey()).value(e.getValue());
      }
      end();
    } else {
      out.append("null");
    }
    return this;
  }

  private JsonWriter values(List<JsonValue> values) {
    out.append('[');
    for (int i = 0; i < values.size(); i++) {
      comma(i);
      value(values.get(i));
    }
    out.append(']');
    return this;
  }

  private JsonWriter strings(List<String> values) {
    out.append('[');
    for (int i = 0; i < values.size(); i++) {
      comma(i);
      string(values.get(i));
    }
    out.append(']');
    return this;
  }

  private JsonWriter sortedStrings(Collection<String> values) {
    return strings(sorted(values));
  }

  private static List<String> sorted(Collection<String> values) {
    List<String> list = new ArrayList<>(values);
    list.sort(null);
    return list;
  }

  private void begin() {
    out.append('{');
    first = true;
  }

  private void end() {
    out.append('}');
    first = false;
  }

  private JsonWriter name(String name) {
    if (!first) {
      out.append(',');
    }
    first = false;
    string(name);
    out.append(':');
    return this;
  }

  private void comma(int i) {
    if (i > 0) {
      out.append(',');
    }
  }

  /**
   * Writes a string with the escapes JSON requires. A lone surrogate (possible in a Java string,
   * impossible in UTF-8) is written as a {@code \}{@code u} escape so the output stays valid UTF-8;
   * the parser rejects it on the way back in.
   */
  JsonWriter string(String s) {
    out.append('"');
    int n = s.length();
    int run = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      String escape = null;
      if (c == '"') {
        escape = "\\\"";
      } else if (c == '\\') {
        escape = "\\\\";
      } else if (c < 0x20) {
        escape =
            switch (c) {
              case '\n' -> "\\n";
              case '\r' -> "\\r";
              case '\t' -> "\\t";
              case '\b' -> "\\b";
              case '\f' -> "\\f";
              default -> String.format("\\u%04x", (int) c);
            };
      } else if (Character.isSurrogate(c)) {
        boolean paired =
            Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1));
        if (paired) {
          i++;
          continue;
        }
        escape = String.format("\\u%04x", (int) c);
      }
      if (escape != null) {
        out.append(s, run, i).append(escape);
        run = i + 1;
      }
    }
    out.append(s, run, n).append('"');
    return this;
  }
}
