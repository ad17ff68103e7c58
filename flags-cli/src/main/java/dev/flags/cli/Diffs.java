package dev.flags.cli;

import dev.flags.core.Flag;
import dev.flags.core.JsonValue;
import dev.flags.core.Rule;
import dev.flags.core.Target;
import dev.flags.core.json.FlagCodec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changed between two stored texts of a flag, a line each, as the admin HTTP API's audit says
 * it: {@code on: true -> false}, {@code rollout: 10% -> 25%}, {@code targets: +alice -bob}.
 */
final class Diffs {
  private static final FlagCodec CODEC = FlagCodec.standard();
  private static final Set<String> KNOWN =
      Set.of(
          "key",
          "version",
          "on",
          "variations",
          "offVariation",
          "fallthrough",
          "targets",
          "rules",
          "prerequisites",
          "salt",
          "description",
          "owner",
          "tags",
          "createdAt",
          "killDate");
  private static final int MAX_KEYS = 10;

  private Diffs() {}

  static List<String> lines(String key, Optional<String> before, Optional<String> after) {
    if (before.isEmpty() && after.isEmpty()) {
      return List.of();
    }
    if (before.isEmpty()) {
      return List.of("created" + after.flatMap(a -> read(key, a)).map(Diffs::brief).orElse(""));
    }
    if (after.isEmpty()) {
      return List.of("deleted");
    }
    Optional<Flag> b = read(key, before.get());
    Optional<Flag> a = read(key, after.get());
    if (a.isEmpty()) {
      return List.of("the new value does not read: " + problem(key, after.get()));
    }
    if (b.isEmpty()) {
      return List.of("the old value did not read; now" + brief(a.get()));
    }
    List<String> out = lines(b.get(), a.get());
    out.addAll(unknownMembers(before.get(), after.get()));
    return out;
  }

  static List<String> lines(Flag b, Flag a) {
    List<String> out = new ArrayList<>();
    if (b.on() != a.on()) {
      out.add("on: " + b.on() + " -> " + a.on());
    }
    if (!b.variations().equals(a.variations())) {
      out.add("variations: " + json(b.variations()) + " -> " + json(a.variations()));
    }
    if (b.offVariation() != a.offVariation()) {
      out.add("offVariation: " + b.offVariation() + " -> " + a.offVariation());
    }
    if (!b.fallthrough().equals(a.fallthrough())) {
      Optional<Double> pb = Summary.truePercentage(b);
      Optional<Double> pa = Summary.truePercentage(a);
      if (pb.isPresent() && pa.isPresent() && !pb.equals(pa)) {
        out.add("rollout: " + Render.percent(pb.get()) + " -> " + Render.percent(pa.get()));
      } else {
        out.add("fallthrough changed");
      }
    }
    targets(b, a, out);
    int n = Math.max(b.rules().size(), a.rules().size());
    for (int i = 0; i < n; i++) {
      if (i >= b.rules().size()) {
        out.add("rules[" + i + "]" + id(a.rules().get(i)) + " added");
      } else if (i >= a.rules().size()) {
        out.add("rules[" + i + "]" + id(b.rules().get(i)) + " removed");
      } else if (!b.rules().get(i).equals(a.rules().get(i))) {
        out.add("rules[" + i + "]" + id(a.rules().get(i)) + " changed");
      }
    }
    if (!b.prerequisites().equals(a.prerequisites())) {
      out.add("prerequisites changed");
    }
    if (!b.salt().equals(a.salt())) {
      out.add("salt changed");
    }
    if (!b.metadata().owner().equals(a.metadata().owner())) {
      out.add("owner: " + quoted(b.metadata().owner()) + " -> " + quoted(a.metadata().owner()));
    }
    if (!b.metadata().description().equals(a.metadata().description())) {
      out.add("description changed");
    }
    if (!b.metadata().tags().equals(a.metadata().tags())) {
      out.add("tags: " + plusMinus(b.metadata().tags(), a.metadata().tags()));
    }
    if (!b.metadata().killDate().equals(a.metadata().killDate())) {
      out.add(
          "killDate: "
              + b.metadata().killDate().map(Object::toString).orElse("(none)")
              + " -> "
              + a.metadata().killDate().map(Object::toString).orElse("(none)"));
    }
    return out;
  }

  private static void targets(Flag b, Flag a, List<String> out) {
    Set<Integer> variations = new TreeSet<>();
    b.targets().forEach(t -> variations.add(t.variation()));
    a.targets().forEach(t -> variations.add(t.variation()));
    for (int v : variations) {
      Set<String> kb = keys(b, v);
      Set<String> ka = keys(a, v);
      if (kb.equals(ka)) {
        continue;
      }
      String label = "targets";
      if (!(a.isBoolean()
          && v < a.variations().size()
          && a.variations().get(v).equals(JsonValue.TRUE))) {
        label =
            "targets "
                + (v < a.variations().size() ? json(a.variations().get(v)) : "variation " + v);
      }
      out.add(label + ": " + plusMinus(kb, ka));
    }
  }

  private static Set<String> keys(Flag f, int variation) {
    Set<String> s = new TreeSet<>();
    for (Target t : f.targets()) {
      if (t.variation() == variation) {
        s.addAll(t.keys());
      }
    }
    return s;
  }

  private static String plusMinus(java.util.Collection<String> b, java.util.Collection<String> a) {
    Set<String> added = new LinkedHashSet<>(a);
    added.removeAll(b);
    Set<String> removed = new LinkedHashSet<>(b);
    removed.removeAll(a);
    List<String> parts = new ArrayList<>();
    added.forEach(k -> parts.add("+" + k));
    removed.forEach(k -> parts.add("-" + k));
    if (parts.size() <= MAX_KEYS) {
      return String.join(" ", parts);
    }
    return String.join(" ", parts.subList(0, MAX_KEYS))
        + " (+"
        + (parts.size() - MAX_KEYS)
        + " more)";
  }

  private static List<String> unknownMembers(String before, String after) {
    Map<String, JsonValue> b = members(before);
    Map<String, JsonValue> a = members(after);
    Set<String> names = new TreeSet<>(b.keySet());
    names.addAll(a.keySet());
    List<String> out = new ArrayList<>();
    for (String n : names) {
      if (!KNOWN.contains(n) && !Objects.equals(b.get(n), a.get(n))) {
        out.add(n + " changed");
      }
    }
    return out;
  }

  private static Map<String, JsonValue> members(String text) {
    try {
      return CODEC.parse(text) instanceof JsonValue.Obj o ? o.members() : Map.of();
    } catch (IllegalArgumentException e) {
      return Map.of();
    }
  }

  /** What a new flag is, briefly: {@code : off}, {@code : on, rollout 10%}. */
  static String brief(Flag f) {
    StringBuilder b = new StringBuilder(f.on() ? ": on" : ": off");
    Summary.truePercentage(f)
        .filter(p -> f.fallthrough() instanceof dev.flags.core.Rollout)
        .ifPresent(p -> b.append(", rollout ").append(Render.percent(p)));
    return b.toString();
  }

  static Optional<Flag> read(String key, String text) {
    try {
      return Optional.of(CODEC.decodeFlag(key, text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String problem(String key, String text) {
    try {
      CODEC.decodeFlag(key, text);
      return "?";
    } catch (IllegalArgumentException e) {
      return String.valueOf(e.getMessage());
    }
  }

  private static String id(Rule r) {
    return r.id().isEmpty() ? "" : " (" + r.id() + ")";
  }

  private static String quoted(String s) {
    return "\"" + s + "\"";
  }

  private static String json(Object v) {
    return v instanceof JsonValue j ? CODEC.write(j) : CODEC.write(JsonValue.from(v));
  }
}
