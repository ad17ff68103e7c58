package dev.flags.redis;

import dev.flags.core.Flag;
import java.util.Objects;

/**
 * A flag as stored in Redis with its version: the number to name in {@link
 * RedisFlagAdmin#update(Flag, long, String, String)}. Immutable and thread-safe.
 *
 * @param flag the flag
 * @param version the version Redis holds for it (incremented by every write, raw edits included)
 */
public record VersionedFlag(Flag flag, long version) {
  public VersionedFlag {
    Objects.requireNonNull(flag, "flag");
  }
}
