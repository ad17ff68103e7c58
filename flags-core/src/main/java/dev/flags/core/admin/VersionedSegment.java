package dev.flags.core.admin;

import dev.flags.core.Segment;
import java.util.Objects;

/**
 * A segment as stored, with its version. Immutable and thread-safe.
 *
 * @param segment the segment
 * @param version the version the store holds for it
 */
public record VersionedSegment(Segment segment, long version) {
  public VersionedSegment {
    Objects.requireNonNull(segment, "segment");
  }
}
