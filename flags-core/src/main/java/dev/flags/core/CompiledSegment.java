package dev.flags.core;

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
    this.rules = segment.rules().stream()
        .map(r -> r.clauses().stream().map(CompiledClause::compile).toArray(CompiledClause[]::new))
        .toArray(CompiledClause[][]::new);
  }

  static CompiledSegment compile(Segment segment) {
    return new CompiledSegment(segment);
  }
}
