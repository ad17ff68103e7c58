package dev.flags.core.spi;

import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.Segment;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a store holds at one moment. Unlike a {@link FlagSet}, references between its parts
 * are not checked: a flag may name a segment or prerequisite that is missing (its clause then does
 * not match; its prerequisite fails), because one bad entry must not hide all the others. Immutable
 * and thread-safe.
 *
 * @param flags valid flags by key
 * @param segments valid segments by key
 * @param malformedFlags keys whose definitions could not be read, with the problem
 */
public record StoreSnapshot(
    Map<String, Flag> flags, Map<String, Segment> segments, Map<String, String> malformedFlags) {

  /** Nothing. */
  public static final StoreSnapshot EMPTY = new StoreSnapshot(Map.of(), Map.of(), Map.of());

  public StoreSnapshot {
    flags = Collections.unmodifiableMap(new LinkedHashMap<>(flags));
    segments = Collections.unmodifiableMap(new LinkedHashMap<>(segments));
    malformedFlags = Collections.unmodifiableMap(new LinkedHashMap<>(malformedFlags));
  }

  /** The snapshot of a validated flag set. */
  public static StoreSnapshot of(FlagSet set) {
    return new StoreSnapshot(set.flags(), set.segments(), Map.of());
  }
}
