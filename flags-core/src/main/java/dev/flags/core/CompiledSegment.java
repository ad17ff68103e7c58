package dev.flags.core;

import java.util.List;
import java.util.Set;

/** A segment made ready to evaluate. */
final class CompiledSegment {
  final Segment definition;
  final Set<String> included;
  final Set<String> excluded;
  final CompiledClause[][] rules;

  private CompiledSegment(Segment segment) {
    this.definition = segment;
    this.included = segment.included();
    this.excluded = segment.excluded();
    List<SegmentRule> segmentRules = segment.rules();
    this.rules = new CompiledClause[segmentRules.size()][];
    for (int i = 0; i < rules.length; i++) {
      rules[i] = CompiledClause.compileAll(segmentRules.get(i).clauses());
    }
  }

  static CompiledSegment compile(Segment segment) {
    return new CompiledSegment(segment);
  }
}
