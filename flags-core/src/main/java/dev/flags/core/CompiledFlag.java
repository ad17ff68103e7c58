package dev.flags.core;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A flag compiled once into the form the {@link Evaluator} reads: targets in one hash map, rules
 * and clauses compiled, the salt as UTF-8 bytes, and each variation's value pre-converted to every
 * Java type it can be read as, so typed getters neither parse nor box.
 */
final class CompiledFlag {
  final String key;
  final Flag definition; // null when malformed
  final String malformedProblem; // null unless malformed
  final boolean on;
  final int offVariation;
  final Map<String, Integer> targets; // null when there are none
  final String[] prerequisiteKeys;
  final int[] prerequisiteVariations;
  final CompiledRule[] rules;
  final int fallthroughVariation;
  final CompiledRollout fallthroughRollout; // null for a fixed fallthrough

  /**
   * For a boolean variation served to every context alike (the flag is off, or on with nothing
   * but a fixed fallthrough): 1 for true, 0 for false; -1 otherwise. Lets the client answer the
   * most common check without entering the evaluator.
   */
  final int constantBoolean;

  final JsonValue[] values;
  final boolean[] isBoolean;
  final boolean[] booleans;
  final String[] strings; // null entries: not a string
  final boolean[] isLong;
  final long[] longs;
  final boolean[] isNumber;
  final double[] doubles;

  private CompiledFlag(Flag flag) {
    this.key = flag.key();
    this.definition = flag;
    this.malformedProblem = null;
    this.on = flag.on();
    this.offVariation = flag.offVariation();
    byte[] salt = Bucketing.utf8(flag.effectiveSalt());
    this.targets = compileTargets(flag.targets());
    List<Prerequisite> prerequisites = flag.prerequisites();
    // Plain loops, no streams, here and in the other compiled types: a start-up compiles thousands
    // of flags before the JIT has compiled anything, and interpreted stream pipelines cost
    // microseconds each.
    int p = prerequisites.size();
    this.prerequisiteKeys = new String[p];
    this.prerequisiteVariations = new int[p];
    for (int i = 0; i < p; i++) {
      prerequisiteKeys[i] = prerequisites.get(i).flagKey();
      prerequisiteVariations[i] = prerequisites.get(i).variation();
    }
    List<Rule> ruleList = flag.rules();
    this.rules = new CompiledRule[ruleList.size()];
    for (int i = 0; i < rules.length; i++) {
      rules[i] = new CompiledRule(ruleList.get(i), salt);
    }
    if (flag.fallthrough() instanceof Rollout rollout) {
      this.fallthroughVariation = -1;
      this.fallthroughRollout = new CompiledRollout(rollout, salt);
    } else {
      this.fallthroughVariation = ((Serve.Variation) flag.fallthrough()).index();
      this.fallthroughRollout = null;
    }
    List<JsonValue> variations = flag.variations();
    int n = variations.size();
    this.values = variations.toArray(new JsonValue[0]);
    this.isBoolean = new boolean[n];
    this.booleans = new boolean[n];
    this.strings = new String[n];
    this.isLong = new boolean[n];
    this.longs = new long[n];
    this.isNumber = new boolean[n];
    this.doubles = new double[n];
    for (int i = 0; i < n; i++) {
      JsonValue v = values[i];
      if (v instanceof JsonValue.Bool b) {
        isBoolean[i] = true;
        booleans[i] = b.value();
      } else if (v instanceof JsonValue.Str s) {
        strings[i] = s.value();
      } else if (v instanceof JsonValue.Num num) {
        isNumber[i] = true;
        doubles[i] = num.value().doubleValue();
        BigDecimal d = num.value();
        try {
          longs[i] = d.longValueExact();
          isLong[i] = true;
        } catch (ArithmeticException e) {
          isLong[i] = false;
        }
      }
    }
    int constant = -1;
    if (!on) {
      constant = offVariation;
    } else if (prerequisiteKeys.length == 0 && targets == null && rules.length == 0 && fallthroughRollout == null) {
      constant = fallthroughVariation;
    }
    this.constantBoolean = constant >= 0 && isBoolean[constant] ? (booleans[constant] ? 1 : 0) : -1;
  }

  private CompiledFlag(String key, String problem) {
    this.key = key;
    this.definition = null;
    this.malformedProblem = problem;
    this.on = false;
    this.offVariation = 0;
    this.targets = null;
    this.prerequisiteKeys = new String[0];
    this.prerequisiteVariations = new int[0];
    this.rules = new CompiledRule[0];
    this.fallthroughVariation = 0;
    this.fallthroughRollout = null;
    this.values = new JsonValue[0];
    this.isBoolean = new boolean[0];
    this.booleans = new boolean[0];
    this.strings = new String[0];
    this.isLong = new boolean[0];
    this.longs = new long[0];
    this.isNumber = new boolean[0];
    this.doubles = new double[0];
    this.constantBoolean = -1;
  }

  static CompiledFlag compile(Flag flag) {
    return new CompiledFlag(flag);
  }

  /** A flag whose stored definition is invalid: evaluates to the caller's default. */
  static CompiledFlag malformed(String key, String problem) {
    return new CompiledFlag(key, problem);
  }

  boolean isMalformed() {
    return malformedProblem != null;
  }

  boolean isInt(int variation) {
    return isLong[variation] && longs[variation] == (int) longs[variation];
  }

  String ruleId(int index) {
    return index >= 0 && index < rules.length ? rules[index].id : "";
  }

  String prerequisiteKey(int index) {
    return index >= 0 && index < prerequisiteKeys.length ? prerequisiteKeys[index] : "";
  }

  private static Map<String, Integer> compileTargets(List<Target> targets) {
    if (targets.isEmpty()) {
      return null;
    }
    int size = 0;
    for (Target t : targets) {
      size += t.keys().size();
    }
    Map<String, Integer> map = new HashMap<>(Math.max(16, (int) (size / 0.75f) + 1));
    for (Target t : targets) {
      Integer variation = t.variation();
      for (String k : t.keys()) {
        map.put(k, variation);
      }
    }
    return map;
  }

  /** A compiled rule: its clauses and what it serves. */
  static final class CompiledRule {
    final String id;
    final CompiledClause[] clauses;
    final int variation; // -1 when a rollout
    final CompiledRollout rollout;

    CompiledRule(Rule rule, byte[] salt) {
      this.id = rule.id();
      this.clauses = CompiledClause.compileAll(rule.clauses());
      if (rule.serve() instanceof Rollout r) {
        this.variation = -1;
        this.rollout = new CompiledRollout(r, salt);
      } else {
        this.variation = ((Serve.Variation) rule.serve()).index();
        this.rollout = null;
      }
    }
  }
}
