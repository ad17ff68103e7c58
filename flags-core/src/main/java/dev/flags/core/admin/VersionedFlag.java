package dev.flags.core.admin;

import dev.flags.core.Flag;
import java.util.Objects;

/**
 * A flag as stored, with its version: the number to name in {@link Change#ifVersion(long)}.
 * Immutable and thread-safe.
 *
 * @param flag the flag; its {@link Flag#version()} is {@code version}
 * @param version the version the store holds for it (every write moves it forward, raw edits
 *     included)
 */
public record VersionedFlag(Flag flag, long version) {
  public VersionedFlag {
    Objects.requireNonNull(flag, "flag");
    if (flag.version() != version) {
      flag = flag.toBuilder().version(version).build();
    }
  }
}
