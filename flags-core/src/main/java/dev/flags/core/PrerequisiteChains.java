package dev.flags.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Finds prerequisite chains longer than the evaluator follows ({@link Flag#MAX_PREREQUISITE_DEPTH}
 * links), for {@link FlagSet} and the client. Iterative, so a chain of 100,000 flags costs no
 * stack; each flag is visited once.
 */
final class PrerequisiteChains {
  private PrerequisiteChains() {}

  /**
   * For each flag whose longest prerequisite chain has more than {@code maxLinks} links, that
   * chain: the flag's key, then each next link's. A prerequisite that is missing, or in {@code
   * ends} (malformed, on a cycle), ends a chain: evaluation stops there. In the order of {@code
   * flags}.
   */
  static Map<String, List<String>> tooLong(
      Map<String, Flag> flags, Set<String> ends, int maxLinks) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    Map<String, Integer> depth = new HashMap<>(); // links of the longest chain from a flag
    Map<String, String> next = new HashMap<>(); // the prerequisite that chain goes through
    for (Map.Entry<String, Flag> entry : flags.entrySet()) {
      String start = entry.getKey();
      if (ends.contains(start) || entry.getValue().prerequisites().isEmpty()) {
        continue;
      }
      measure(start, flags, ends, depth, next);
      if (Objects.requireNonNull(depth.get(start)) > maxLinks) { // measured just now
        List<String> chain = new ArrayList<>();
        for (String k = start; k != null; k = next.get(k)) {
          chain.add(k);
        }
        out.put(start, chain);
      }
    }
    return out;
  }

  /** Fills {@code depth} and {@code next} for {@code start} and every flag below it. */
  private static void measure(
      String start,
      Map<String, Flag> flags,
      Set<String> ends,
      Map<String, Integer> depth,
      Map<String, String> next) {
    if (depth.containsKey(start)) {
      return;
    }
    // An explicit stack of (flag, index of the next prerequisite to look at).
    List<String> keys = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    Map<String, Integer> best = new HashMap<>();
    keys.add(start);
    positions.add(0);
    best.put(start, 0);
    while (!keys.isEmpty()) {
      int top = keys.size() - 1;
      String key = keys.get(top);
      List<Prerequisite> prerequisites = Objects.requireNonNull(flags.get(key)).prerequisites();
      int i = positions.get(top);
      if (i == prerequisites.size()) {
        int d = Objects.requireNonNull(best.remove(key)); // every key on the stack has a best
        depth.put(key, d);
        keys.remove(top);
        positions.remove(top);
        if (top > 0) {
          String parent = keys.get(top - 1);
          if (d + 1 > Objects.requireNonNull(best.get(parent))) {
            best.put(parent, d + 1);
            next.put(parent, key);
          }
        }
        continue;
      }
      positions.set(top, i + 1);
      String child = prerequisites.get(i).flagKey();
      Integer known = depth.get(child);
      if (known == null
          && (ends.contains(child) || !flags.containsKey(child) || best.containsKey(child))) {
        known = 0; // the chain ends here (a cycle, on the stack already, is another check's job)
      }
      if (known != null) {
        if (known + 1 > Objects.requireNonNull(best.get(key))) {
          best.put(key, known + 1);
          next.put(key, child);
        }
        continue;
      }
      keys.add(child);
      positions.add(0);
      best.put(child, 0);
    }
  }

  /** {@code a -> b -> c}, the middle of a long chain elided. */
  static String describe(List<String> chain) {
    if (chain.size() <= 8) {
      return String.join(" -> ", chain);
    }
    return String.join(" -> ", chain.subList(0, 3))
        + " -> … -> "
        + String.join(" -> ", chain.subList(chain.size() - 3, chain.size()));
  }

  /** The problem of a flag at the top of {@code chain}. */
  static String problem(List<String> chain) {
    return "prerequisite chain of "
        + (chain.size() - 1)
        + " links, over the limit of "
        + Flag.MAX_PREREQUISITE_DEPTH
        + ": "
        + describe(chain);
  }
}
