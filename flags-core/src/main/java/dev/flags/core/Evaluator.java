package dev.flags.core;

import org.jspecify.annotations.Nullable;

/**
 * Evaluates a compiled flag for a context: a pure function of (flag, scope, context) with no I/O,
 * no parsing of definitions and no allocation (results are packed in a {@code long}, see {@link
 * Result}). Prerequisite chains deeper than {@link #MAX_DEPTH} are treated as cycles: {@link
 * FlagSet} refuses them and the client marks such flags malformed when flags change; this is the
 * guard of last resort. A prerequisite passes only when it is on and serves the required variation.
 */
final class Evaluator {
  static final int MAX_DEPTH = Flag.MAX_PREREQUISITE_DEPTH;

  /** Marks a prerequisite chain too deep to be anything but a cycle; propagated to the top. */
  static final long CYCLE =
      Result.error(EvaluationReason.ErrorKind.MALFORMED_FLAG) | (0xFFFFEL << 24);

  /** Where flags and segments referenced by a flag are found. */
  interface Scope {
    @Nullable CompiledFlag compiledFlag(String key);

    @Nullable CompiledSegment compiledSegment(String key);
  }

  private Evaluator() {}

  static long evaluate(CompiledFlag flag, Scope scope, EvaluationContext context) {
    if (flag.mayRunRegex) {
      RegexBudget
          .start(); // one budget for the whole evaluation, prerequisites and segments included
    }
    return evaluate(flag, scope, context, 0);
  }

  private static long evaluate(CompiledFlag f, Scope scope, EvaluationContext context, int depth) {
    if (f.malformedProblem != null) {
      return Result.error(EvaluationReason.ErrorKind.MALFORMED_FLAG);
    }
    if (!f.on) {
      return Result.served(f.offVariation, EvaluationReason.Kind.OFF, -1, -1);
    }
    String[] prerequisites = f.prerequisiteKeys;
    for (int i = 0; i < prerequisites.length; i++) {
      if (depth >= MAX_DEPTH) {
        return CYCLE;
      }
      CompiledFlag p = scope.compiledFlag(prerequisites[i]);
      boolean ok = false;
      if (p != null) {
        long pr = evaluate(p, scope, context, depth + 1);
        if (pr == CYCLE) {
          return CYCLE;
        }
        ok = p.on && Result.variation(pr) == f.prerequisiteVariations[i];
      }
      if (!ok) {
        return Result.served(f.offVariation, EvaluationReason.Kind.PREREQUISITE_FAILED, i, -1);
      }
    }
    // Key lists name non-anonymous contexts: an anonymous visitor whose generated id (a cookie)
    // equals a user's key must not get that user's treatment. One field read, only for flags with
    // targets.
    if (f.targets != null && !context.anonymous()) {
      Integer v = f.targets.get(context.key());
      if (v != null) {
        return Result.served(v, EvaluationReason.Kind.TARGET_MATCH, -1, -1);
      }
    }
    CompiledFlag.CompiledRule[] rules = f.rules;
    for (int i = 0; i < rules.length; i++) {
      CompiledFlag.CompiledRule rule = rules[i];
      if (matchesAll(rule.clauses, scope, context)) {
        return rule.rollout != null
            ? rule.rollout.serve(context, EvaluationReason.Kind.RULE_MATCH, i)
            : Result.served(rule.variation, EvaluationReason.Kind.RULE_MATCH, i, -1);
      }
    }
    return f.fallthroughRollout != null
        ? f.fallthroughRollout.serve(context, EvaluationReason.Kind.FALLTHROUGH, -1)
        : Result.served(f.fallthroughVariation, EvaluationReason.Kind.FALLTHROUGH, -1, -1);
  }

  private static boolean matchesAll(
      CompiledClause[] clauses, Scope scope, EvaluationContext context) {
    for (CompiledClause c : clauses) {
      if (!matches(c, scope, context)) {
        return false;
      }
    }
    return true;
  }

  static boolean matches(CompiledClause c, Scope scope, EvaluationContext context) {
    if (c.plainStringIn) {
      String s = context.customText(c.attribute);
      if (s != null) {
        return c.negate != c.inStrings(s);
      }
      // not a plain string (missing, a list, a number…): the general path below decides
    }
    if (c.op == null) {
      return false; // written by a newer SDK: never matches, never fails
    }
    if (c.op == Operator.SEGMENT_MATCH) {
      return c.negate != inAnySegment(c.segmentKeys(), scope, context);
    }
    JsonValue value = c.valueIn(context);
    if (value == null || value instanceof JsonValue.Null) {
      return false; // a missing attribute never matches, negated or not
    }
    return c.negate != c.matchesValue(value);
  }

  private static boolean inAnySegment(String[] keys, Scope scope, EvaluationContext context) {
    for (String key : keys) {
      CompiledSegment s = scope.compiledSegment(key);
      if (s != null && inSegment(s, scope, context)) {
        return true;
      }
    }
    return false;
  }

  private static boolean inSegment(CompiledSegment s, Scope scope, EvaluationContext context) {
    if (!context.anonymous()) { // included and excluded name non-anonymous contexts, as targets do
      String key = context.key();
      if (s.included.contains(key)) {
        return true;
      }
      if (s.excluded.contains(key)) {
        return false;
      }
    }
    for (CompiledClause[] rule : s.rules) {
      if (matchesAll(rule, scope, context)) {
        return true;
      }
    }
    return false;
  }
}
