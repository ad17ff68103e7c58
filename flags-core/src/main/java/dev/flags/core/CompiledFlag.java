package dev.flags.core;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A flag compiled once into the form the {@link Evaluator} reads: targets in one hash map, rules
 * and clauses compiled, the salt as UTF-8 bytes, and each variation's value pre-converted to every
 * Java type it can be read as, so typed getters neither parse nor box.
 */
final class CompiledFlag {
  final String key;
  final @Nullable Flag definition; // null when malformed
  final @Nullable String malformedProblem; // null unless malformed

  /**
   * A valid definition the client refused because of the other flags (it is on a prerequisite
   * cycle, or tops a chain too long to follow), kept so it is compiled again once they change; null
   * otherwise.
   */
  final @Nullable Flag rejected;

  final boolean on;
  final int offVariation;
  final @Nullable Map<String, Integer> targets; // null when there are none
  final String[] prerequisiteKeys;
  final int[] prerequisiteVariations;
  final CompiledRule[] rules;
  final int fallthroughVariation;
  final @Nullable CompiledRollout fallthroughRollout; // null for a fixed fallthrough

  /**
   * For a boolean variation served to every context alike (the flag is off, or on with nothing but
   * a fixed fallthrough): 1 for true, 0 for false; -1 otherwise. Lets the client answer the most
   * common check without entering the evaluator.
   */
  final int constantBoolean;

  /**
   * Whether an evaluation of this flag may run a regular expression: a {@code matches} clause of
   * its own, or a segment or a prerequisite (which may have one). Only such evaluations reset the
   * thread's {@link RegexBudget}; the others pay nothing for it.
   */
  final boolean mayRunRegex;

  final JsonValue[] values;
  final boolean[] isBoolean;
  final boolean[] booleans;
  final @Nullable String[] strings; // null entries: not a string
  final boolean[] isLong;
  final long[] longs;
  final boolean[] isNumber;
  final double[] doubles;

  // Shared empty arrays (nothing writes a compiled flag's arrays): most flags have no
  // prerequisites and no rules, and a start-up compiles thousands.
  private static final String[] NO_KEYS = {};
  private static final int[] NO_INTS = {};
  private static final CompiledRule[] NO_RULES = {};

  private CompiledFlag(Flag flag) {
    this.key = flag.key();
    this.definition = flag;
    this.malformedProblem = null;
    this.rejected = null;
    this.on = flag.on();
    this.offVariation = flag.offVariation();
    byte[] salt = Bucketing.utf8(flag.effectiveSalt());
    this.targets = compileTargets(flag.targets());
    List<Prerequisite> prerequisites = flag.prerequisites();
    // Plain loops, no streams, here and in the other compiled types: a start-up compiles thousands
    // of flags before the JIT has compiled anything, and interpreted stream pipelines cost
    // microseconds each.
    int p = prerequisites.size();
    this.prerequisiteKeys = p == 0 ? NO_KEYS : new String[p];
    this.prerequisiteVariations = p == 0 ? NO_INTS : new int[p];
    for (int i = 0; i < p; i++) {
      prerequisiteKeys[i] = prerequisites.get(i).flagKey();
      prerequisiteVariations[i] = prerequisites.get(i).variation();
    }
    List<Rule> ruleList = flag.rules();
    this.rules = ruleList.isEmpty() ? NO_RULES : new CompiledRule[ruleList.size()];
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
    this.mayRunRegex = p > 0 || mayRunRegex(ruleList);
    VariationTable table = VariationTable.of(flag.variations());
    this.values = table.values;
    this.isBoolean = table.isBoolean;
    this.booleans = table.booleans;
    this.strings = table.strings;
    this.isLong = table.isLong;
    this.longs = table.longs;
    this.isNumber = table.isNumber;
    this.doubles = table.doubles;
    int constant = -1;
    if (!on) {
      constant = offVariation;
    } else if (prerequisiteKeys.length == 0
        && targets == null
        && rules.length == 0
        && fallthroughRollout == null) {
      constant = fallthroughVariation;
    }
    this.constantBoolean = constant >= 0 && isBoolean[constant] ? (booleans[constant] ? 1 : 0) : -1;
  }

  private CompiledFlag(String key, String problem, @Nullable Flag rejected) {
    this.key = key;
    this.definition = null;
    this.malformedProblem = problem;
    this.rejected = rejected;
    this.on = false;
    this.offVariation = 0;
    this.targets = null;
    this.prerequisiteKeys = NO_KEYS;
    this.prerequisiteVariations = NO_INTS;
    this.rules = NO_RULES;
    this.fallthroughVariation = 0;
    this.fallthroughRollout = null;
    this.mayRunRegex = false;
    this.values = VariationTable.NONE.values;
    this.isBoolean = VariationTable.NONE.isBoolean;
    this.booleans = VariationTable.NONE.booleans;
    this.strings = VariationTable.NONE.strings;
    this.isLong = VariationTable.NONE.isLong;
    this.longs = VariationTable.NONE.longs;
    this.isNumber = VariationTable.NONE.isNumber;
    this.doubles = VariationTable.NONE.doubles;
    this.constantBoolean = -1;
  }

  private static boolean mayRunRegex(List<Rule> rules) {
    for (Rule rule : rules) {
      for (Clause c : rule.clauses()) {
        Operator op = c.operator().orElse(null);
        if (op == Operator.MATCHES || op == Operator.SEGMENT_MATCH) {
          return true;
        }
      }
    }
    return false;
  }

  static CompiledFlag compile(Flag flag) {
    return new CompiledFlag(flag);
  }

  /** A flag whose stored definition is invalid: evaluates to the caller's default. */
  static CompiledFlag malformed(String key, String problem) {
    return new CompiledFlag(key, problem, null);
  }

  /** A valid definition refused because of the other flags; see {@link #rejected}. */
  static CompiledFlag rejected(Flag definition, String problem) {
    return new CompiledFlag(definition.key(), problem, definition);
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

  private static @Nullable Map<String, Integer> compileTargets(List<Target> targets) {
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

  /**
   * Each variation's value as every Java type it can be read as. The arrays are never written after
   * construction, so the table of the standard {@code [false, true]} variations, which most flags
   * have, is built once and shared.
   */
  static final class VariationTable {
    static final VariationTable NONE = new VariationTable(List.of());
    private static final VariationTable BOOLEANS = new VariationTable(Flag.BOOLEAN_VARIATIONS);

    final JsonValue[] values;
    final boolean[] isBoolean;
    final boolean[] booleans;
    final @Nullable String[] strings; // null entries: not a string
    final boolean[] isLong;
    final long[] longs;
    final boolean[] isNumber;
    final double[] doubles;

    static VariationTable of(List<JsonValue> variations) {
      return variations.equals(Flag.BOOLEAN_VARIATIONS) ? BOOLEANS : new VariationTable(variations);
    }

    private VariationTable(List<JsonValue> variations) {
      int n = variations.size();
      this.values = variations.toArray(new JsonValue[0]);
      this.isBoolean = new boolean[n];
      this.booleans = new boolean[n];
      this.strings = new @Nullable String[n];
      this.isLong = new boolean[n];
      this.longs = new long[n];
      this.isNumber = new boolean[n];
      this.doubles = new double[n];
      for (int i = 0; i < n; i++) {
        JsonValue v = values[i];
        if (v instanceof JsonValue.Bool b) {
          isBoolean[i] = true;
          booleans[i] = b.value();
        } else if (v instanceof JsonValue.Str str) {
          strings[i] = str.value();
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
    }
  }

  /** A compiled rule: its clauses and what it serves. */
  static final class CompiledRule {
    final String id;
    final CompiledClause[] clauses;
    final int variation; // -1 when a rollout
    final @Nullable CompiledRollout rollout;

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
