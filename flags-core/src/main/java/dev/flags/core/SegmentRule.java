package dev.flags.core;

import java.util.List;
import java.util.Objects;

/**
 * A rule of a {@link Segment}: contexts matching all its clauses are in the segment. Immutable and
 * thread-safe.
 *
 * @param id a stable name; may be empty
 * @param clauses the conditions, all of which must match
 */
public record SegmentRule(String id, List<Clause> clauses) {
  public SegmentRule {
    Objects.requireNonNull(id, "id");
    clauses = List.copyOf(clauses);
    for (int j = 0; j < clauses.size(); j++) {
      if (clauses.get(j).operator().orElse(null) == Operator.SEGMENT_MATCH) {
        throw new FlagValidationException(
            "clauses[" + j + "].op", "a segment rule cannot reference a segment");
      }
    }
  }
}
