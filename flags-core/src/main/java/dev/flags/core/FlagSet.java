package dev.flags.core;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A consistent set of flags and the segments they use: what a file holds, or a store's full
 * snapshot. Validated as a whole: every segment a clause names exists, every prerequisite names a
 * flag of the set that has the variation it requires, prerequisites form no cycle, and no chain of
 * them is longer than {@link Flag#MAX_PREREQUISITE_DEPTH} links. Immutable and thread-safe.
 *
 * @param flags flags by key, in a stable order
 * @param segments segments by key, in a stable order
 */
public record FlagSet(Map<String, Flag> flags, Map<String, Segment> segments) {

  /** No flags, no segments. */
  public static final FlagSet EMPTY = new FlagSet(Map.of(), Map.of());

  public FlagSet {
    flags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(flags));
    segments = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(segments));
    flags.forEach(
        (k, f) -> {
          if (!k.equals(f.key())) {
            throw new FlagValidationException(
                "flags." + k + ".key", "key \"" + f.key() + "\" differs from its entry");
          }
        });
    segments.forEach(
        (k, s) -> {
          if (!k.equals(s.key())) {
            throw new FlagValidationException(
                "segments." + k + ".key", "key \"" + s.key() + "\" differs from its entry");
          }
        });
    validateReferences(flags, segments);
    findPrerequisiteCycle(flags)
        .ifPresent(
            cycle -> {
              throw new FlagValidationException(
                  "flags." + cycle.get(0) + ".prerequisites",
                  "prerequisite cycle: " + String.join(" -> ", cycle));
            });
    for (Map.Entry<String, List<String>> e :
        PrerequisiteChains.tooLong(flags, java.util.Set.of(), Flag.MAX_PREREQUISITE_DEPTH)
            .entrySet()) {
      throw new FlagValidationException(
          "flags." + e.getKey() + ".prerequisites", PrerequisiteChains.problem(e.getValue()));
    }
  }

  /** A set of the given flags and segments. */
  public static FlagSet of(Collection<Flag> flags, Collection<Segment> segments) {
    Map<String, Flag> f = new LinkedHashMap<>();
    for (Flag flag : flags) {
      if (f.put(flag.key(), flag) != null) {
        throw new FlagValidationException("flags." + flag.key(), "duplicate flag key");
      }
    }
    Map<String, Segment> s = new LinkedHashMap<>();
    for (Segment segment : segments) {
      if (s.put(segment.key(), segment) != null) {
        throw new FlagValidationException("segments." + segment.key(), "duplicate segment key");
      }
    }
    return new FlagSet(f, s);
  }

  /** A set of the given flags, with no segments. */
  public static FlagSet of(Flag... flags) {
    return of(List.of(flags), List.of());
  }

  private static void validateReferences(Map<String, Flag> flags, Map<String, Segment> segments) {
    for (Flag flag : flags.values()) {
      List<Rule> rules = flag.rules();
      for (int i = 0; i < rules.size(); i++) {
        List<Clause> clauses = rules.get(i).clauses();
        for (int j = 0; j < clauses.size(); j++) {
          Clause c = clauses.get(j);
          if (c.operator().orElse(null) != Operator.SEGMENT_MATCH) {
            continue;
          }
          for (int v = 0; v < c.values().size(); v++) {
            String ref = ((JsonValue.Str) c.values().get(v)).value();
            if (!segments.containsKey(ref)) {
              throw new FlagValidationException(
                  "flags." + flag.key() + ".rules[" + i + "].clauses[" + j + "].values[" + v + "]",
                  "unknown segment \"" + ref + "\"");
            }
          }
        }
      }
      List<Prerequisite> prerequisites = flag.prerequisites();
      for (int i = 0; i < prerequisites.size(); i++) {
        Prerequisite p = prerequisites.get(i);
        Flag target = flags.get(p.flagKey());
        if (target == null) {
          throw new FlagValidationException(
              "flags." + flag.key() + ".prerequisites[" + i + "].key",
              "unknown prerequisite flag \"" + p.flagKey() + "\"");
        }
        if (p.variation() >= target.variations().size()) {
          throw new FlagValidationException(
              "flags." + flag.key() + ".prerequisites[" + i + "].variation",
              "flag \"" + p.flagKey() + "\" has no variation " + p.variation());
        }
      }
    }
  }

  /**
   * Finds a prerequisite cycle, iteratively (no recursion, so no stack overflow on long chains).
   * Returns the keys along the cycle, first key repeated at the end.
   */
  static Optional<List<String>> findPrerequisiteCycle(Map<String, Flag> flags) {
    Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
    for (Map.Entry<String, Flag> entry : flags.entrySet()) {
      String start = entry.getKey();
      // A flag without prerequisites is on no cycle: most flags, so skip them without a walk.
      if (entry.getValue().prerequisites().isEmpty() || state.containsKey(start)) {
        continue;
      }
      Deque<String> path = new ArrayDeque<>();
      Deque<Integer> next = new ArrayDeque<>();
      path.push(start);
      next.push(0);
      state.put(start, 1);
      while (!path.isEmpty()) {
        String key = path.peek();
        int i = next.pop();
        Flag flag = flags.get(key);
        List<Prerequisite> prereqs = flag == null ? List.of() : flag.prerequisites();
        if (i >= prereqs.size()) {
          state.put(key, 2);
          path.pop();
          continue;
        }
        next.push(i + 1);
        String child = prereqs.get(i).flagKey();
        Integer s = state.get(child);
        if (s == null) {
          state.put(child, 1);
          path.push(child);
          next.push(0);
        } else if (s == 1) {
          List<String> cycle = new java.util.ArrayList<>();
          for (String k : path) { // from the top of the stack down to the repeated key
            cycle.add(0, k);
            if (k.equals(child)) {
              break;
            }
          }
          cycle.add(child);
          return Optional.of(cycle);
        }
      }
    }
    return Optional.empty();
  }
}
