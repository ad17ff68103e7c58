package dev.flags.integration;

import dev.flags.core.Flag;
import dev.flags.core.FlagMetadata;
import dev.flags.core.JsonValue;
import dev.flags.core.Prerequisite;
import dev.flags.core.Rollout;
import dev.flags.core.Rule;
import dev.flags.core.Segment;
import dev.flags.core.Serve;
import dev.flags.core.Target;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.DefinitionKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an audit entry changed, as lines people read: {@code on: true → false}, {@code rollout: 10%
 * → 25%}, {@code targets: +alice −bob}, {@code rules[0] (de-pro) changed}. Computed from the
 * entry's stored texts before and after, so it also reads raw edits; members this version does not
 * know are reported by name. The admin API's {@code diff} and the dashboard's history show these
 * lines. Stateless and thread-safe.
 */
public final class AuditDiff {

  /** The most keys a line names before it counts the rest. */
  static final int MAX_KEYS_PER_LINE = 10;

  private static final Set<String> FLAG_MEMBERS =
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
  private static final Set<String> SEGMENT_MEMBERS =
      Set.of("key", "version", "included", "excluded", "rules", "description");

  private AuditDiff() {}

  /** What {@code e} changed, one line per change; empty for an entry with neither text. */
  public static List<String> of(AuditEntry e) {
    if (e.before().isEmpty() && e.after().isEmpty()) {
      return List.of();
    }
    if (e.before().isEmpty()) {
      return List.of("created");
    }
    if (e.after().isEmpty()) {
      return List.of("deleted");
    }
    String before = e.before().get();
    String after = e.after().get();
    List<String> lines = new ArrayList<>();
    if (e.kind() == DefinitionKind.FLAG) {
      Optional<Flag> b = flag(e.key(), before);
      Optional<Flag> a = flag(e.key(), after);
      if (b.isEmpty() || a.isEmpty()) {
        lines.add(
            b.isEmpty() && a.isEmpty()
                ? "stored value replaced (neither version reads)"
                : b.isEmpty()
                    ? "stored value replaced (the earlier one did not read)"
                    : "stored value replaced by one that does not read");
        return lines;
      }
      flag(b.get(), a.get(), lines);
      unknownMembers(object(before), object(after), FLAG_MEMBERS, lines);
    } else {
      Optional<Segment> b = segment(e.key(), before);
      Optional<Segment> a = segment(e.key(), after);
      if (b.isEmpty() || a.isEmpty()) {
        lines.add("stored value replaced");
        return lines;
      }
      segment(b.get(), a.get(), lines);
      unknownMembers(object(before), object(after), SEGMENT_MEMBERS, lines);
    }
    if (lines.isEmpty()) {
      lines.add("no change to the definition");
    }
    return lines;
  }

  // ---------------------------------------------------------------- flags

  private static void flag(Flag b, Flag a, List<String> lines) {
    if (b.on() != a.on()) {
      lines.add("on: " + b.on() + " → " + a.on());
    }
    if (!b.variations().equals(a.variations())) {
      lines.add(
          "variations: "
              + Json.CODEC.write(new JsonValue.Arr(b.variations()))
              + " → "
              + Json.CODEC.write(new JsonValue.Arr(a.variations())));
    }
    if (b.offVariation() != a.offVariation()) {
      lines.add(
          "offVariation: "
              + Views.label(b, b.offVariation())
              + " → "
              + Views.label(a, a.offVariation()));
    }
    fallthrough(b, a, lines);
    targets(b, a, lines);
    rules(b.rules(), a.rules(), lines);
    if (!b.prerequisites().equals(a.prerequisites())) {
      lines.add("prerequisites: " + prerequisites(b) + " → " + prerequisites(a));
    }
    if (!b.salt().equals(a.salt())) {
      lines.add("salt: " + b.salt().orElse("(the key)") + " → " + a.salt().orElse("(the key)"));
    }
    metadata(b.metadata(), a.metadata(), lines);
  }

  private static void fallthrough(Flag b, Flag a, List<String> lines) {
    if (b.fallthrough().equals(a.fallthrough())) {
      return;
    }
    Optional<Double> bp = Views.truePercentage(b);
    Optional<Double> ap = Views.truePercentage(a);
    boolean bothRollouts = b.fallthrough() instanceof Rollout && a.fallthrough() instanceof Rollout;
    if (bp.isPresent() && ap.isPresent() && (bothRollouts || !bp.equals(ap))) {
      if (!bp.equals(ap)) {
        lines.add("rollout: " + percent(bp.get()) + " → " + percent(ap.get()));
      }
      if (bothRollouts) {
        Rollout br = (Rollout) b.fallthrough();
        Rollout ar = (Rollout) a.fallthrough();
        if (!br.bucketBy().equals(ar.bucketBy())) {
          lines.add(
              "rollout bucketBy: "
                  + br.bucketBy().orElse("(the key)")
                  + " → "
                  + ar.bucketBy().orElse("(the key)"));
        }
        if (br.algorithm() != ar.algorithm()) {
          lines.add(
              "rollout algorithm: "
                  + br.algorithm().wireName()
                  + " → "
                  + ar.algorithm().wireName());
        }
        if (bp.equals(ap)
            && br.bucketBy().equals(ar.bucketBy())
            && br.algorithm() == ar.algorithm()) {
          lines.add("rollout weights reordered");
        }
      }
      return;
    }
    lines.add("fallthrough: " + serve(b, b.fallthrough()) + " → " + serve(a, a.fallthrough()));
  }

  private static String serve(Flag f, Serve s) {
    if (s instanceof Serve.Variation v) {
      return "variation " + v.index() + " (" + Views.label(f, v.index()) + ")";
    }
    Rollout r = (Rollout) s;
    List<String> parts = new ArrayList<>();
    for (Rollout.WeightedVariation w : r.weights()) {
      parts.add(Views.label(f, w.variation()) + " " + percent(w.weight() / 1000.0));
    }
    return "rollout " + String.join(", ", parts);
  }

  private static void targets(Flag b, Flag a, List<String> lines) {
    Map<Integer, Set<String>> before = targetMap(b.targets());
    Map<Integer, Set<String>> after = targetMap(a.targets());
    Set<Integer> variations = new TreeSet<>(before.keySet());
    variations.addAll(after.keySet());
    List<String[]> changed = new ArrayList<>();
    for (int v : variations) {
      Set<String> was = before.getOrDefault(v, Set.of());
      Set<String> is = after.getOrDefault(v, Set.of());
      List<String> added = is.stream().filter(k -> !was.contains(k)).sorted().toList();
      List<String> removed = was.stream().filter(k -> !is.contains(k)).sorted().toList();
      if (!added.isEmpty() || !removed.isEmpty()) {
        changed.add(
            new String[] {Views.label(a, v), keys("+", added) + spaced(keys("−", removed))});
      }
    }
    boolean plain = changed.size() == 1 && a.isBoolean() && changed.get(0)[0].equals("true");
    for (String[] c : changed) {
      lines.add((plain ? "targets: " : "targets " + c[0] + ": ") + c[1].strip());
    }
  }

  private static Map<Integer, Set<String>> targetMap(List<Target> targets) {
    Map<Integer, Set<String>> m = new LinkedHashMap<>();
    for (Target t : targets) {
      m.computeIfAbsent(t.variation(), k -> new LinkedHashSet<>()).addAll(t.keys());
    }
    return m;
  }

  private static void rules(List<Rule> b, List<Rule> a, List<String> lines) {
    int n = Math.max(b.size(), a.size());
    for (int i = 0; i < n; i++) {
      Rule was = i < b.size() ? b.get(i) : null;
      Rule is = i < a.size() ? a.get(i) : null;
      if (Objects.equals(was, is)) {
        continue;
      }
      Rule named = Objects.requireNonNull(is != null ? is : was); // not both null: they differ
      String id = named.id().isEmpty() ? "" : " (" + named.id() + ")";
      lines.add(
          "rules["
              + i
              + "]"
              + id
              + (was == null ? " added" : is == null ? " removed" : " changed"));
    }
  }

  private static String prerequisites(Flag f) {
    if (f.prerequisites().isEmpty()) {
      return "none";
    }
    List<String> parts = new ArrayList<>();
    for (Prerequisite p : f.prerequisites()) {
      parts.add(p.flagKey() + "=" + p.variation());
    }
    return String.join(", ", parts);
  }

  private static void metadata(FlagMetadata b, FlagMetadata a, List<String> lines) {
    if (!b.description().equals(a.description())) {
      lines.add("description: " + quote(b.description()) + " → " + quote(a.description()));
    }
    if (!b.owner().equals(a.owner())) {
      lines.add("owner: " + quote(b.owner()) + " → " + quote(a.owner()));
    }
    setChange("tags", b.tags(), a.tags(), lines);
    if (!b.createdAt().equals(a.createdAt())) {
      lines.add("createdAt: " + instant(b.createdAt()) + " → " + instant(a.createdAt()));
    }
    if (!b.killDate().equals(a.killDate())) {
      lines.add("killDate: " + instant(b.killDate()) + " → " + instant(a.killDate()));
    }
  }

  // ---------------------------------------------------------------- segments

  private static void segment(Segment b, Segment a, List<String> lines) {
    setChange("included", b.included(), a.included(), lines);
    setChange("excluded", b.excluded(), a.excluded(), lines);
    if (!b.rules().equals(a.rules())) {
      int n = Math.max(b.rules().size(), a.rules().size());
      for (int i = 0; i < n; i++) {
        Object was = i < b.rules().size() ? b.rules().get(i) : null;
        Object is = i < a.rules().size() ? a.rules().get(i) : null;
        if (!Objects.equals(was, is)) {
          lines.add(
              "rules[" + i + "]" + (was == null ? " added" : is == null ? " removed" : " changed"));
        }
      }
    }
    if (!b.description().equals(a.description())) {
      lines.add("description: " + quote(b.description()) + " → " + quote(a.description()));
    }
  }

  // ---------------------------------------------------------------- helpers

  private static void unknownMembers(
      Optional<JsonValue.Obj> b, Optional<JsonValue.Obj> a, Set<String> known, List<String> lines) {
    Map<String, JsonValue> was = b.map(JsonValue.Obj::members).orElse(Map.of());
    Map<String, JsonValue> is = a.map(JsonValue.Obj::members).orElse(Map.of());
    Set<String> names = new TreeSet<>(was.keySet());
    names.addAll(is.keySet());
    for (String name : names) {
      if (known.contains(name) || Objects.equals(was.get(name), is.get(name))) {
        continue;
      }
      lines.add(
          name
              + (was.get(name) == null
                  ? " added"
                  : is.get(name) == null ? " removed" : " changed"));
    }
  }

  private static void setChange(
      String what, Collection<String> b, Collection<String> a, List<String> lines) {
    List<String> added = a.stream().filter(k -> !b.contains(k)).sorted().toList();
    List<String> removed = b.stream().filter(k -> !a.contains(k)).sorted().toList();
    if (!added.isEmpty() || !removed.isEmpty()) {
      lines.add((what + ": " + keys("+", added) + spaced(keys("−", removed))).strip());
    }
  }

  private static String keys(String sign, List<String> keys) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < keys.size() && i < MAX_KEYS_PER_LINE; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(sign).append(keys.get(i));
    }
    if (keys.size() > MAX_KEYS_PER_LINE) {
      sb.append(" (").append(sign).append(keys.size() - MAX_KEYS_PER_LINE).append(" more)");
    }
    return sb.toString();
  }

  private static String spaced(String s) {
    return s.isEmpty() ? "" : " " + s;
  }

  /**
   * For a boolean flag, the share of contexts (0 to 100) its fallthrough serves {@code true}: the
   * rollout's weight of {@code true}, or 100 / 0 for a fixed variation. Empty for other flags.
   */
  public static Optional<Double> truePercentage(Flag f) {
    return Views.truePercentage(f);
  }

  /** A percentage as the diff lines write it: {@code 25%}, {@code 12.5%}, {@code 0.001%}. */
  public static String percent(double p) {
    return BigDecimal.valueOf(p).stripTrailingZeros().toPlainString() + "%";
  }

  private static String quote(String s) {
    return s.isEmpty() ? "(none)" : "\"" + s + "\"";
  }

  private static String instant(Optional<java.time.Instant> i) {
    return i.map(java.time.Instant::toString).orElse("(none)");
  }

  private static Optional<Flag> flag(String key, String text) {
    try {
      return Optional.of(Json.CODEC.decodeFlag(key, text));
    } catch (IllegalArgumentException | StackOverflowError e) {
      return Optional.empty();
    }
  }

  private static Optional<Segment> segment(String key, String text) {
    try {
      return Optional.of(Json.CODEC.decodeSegment(key, text));
    } catch (IllegalArgumentException | StackOverflowError e) {
      return Optional.empty();
    }
  }

  private static Optional<JsonValue.Obj> object(String text) {
    try {
      return Json.CODEC.parse(text) instanceof JsonValue.Obj o ? Optional.of(o) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
