package dev.flags.redis;

import dev.flags.core.Flag;
import dev.flags.core.Segment;

/**
 * What the store's replica knows of one key: a valid flag, a value it could not read, or nothing (a
 * negative entry, which expires). {@code raw} is the value as stored, compared to find changes.
 */
sealed interface CacheEntry {

  /** A valid flag. */
  record Present(Flag flag, String raw) implements CacheEntry {}

  /** A valid segment (cached under {@link #SEGMENT_KEY_PREFIX} + its key). */
  record PresentSegment(Segment segment, String raw) implements CacheEntry {}

  /** A stored value that is not a valid flag or segment. */
  record Malformed(String problem, String raw) implements CacheEntry {}

  /**
   * No such key in Redis as of the last look, which is trusted until {@code expiresAt} (a reading
   * of the store's ticker, in nanoseconds).
   */
  record Absent(long expiresAt) implements CacheEntry {
    boolean expired(long now) {
      return now - expiresAt >= 0;
    }
  }

  /** Where segments sit in the cache: flag keys cannot contain '#', so the two never meet. */
  String SEGMENT_KEY_PREFIX = "#s:";

  /**
   * Stands in for a stored value that was not read, followed by why (too large, not a string):
   * {@link Replica} makes it a {@link Malformed} entry. No value read from Redis starts with it.
   */
  String UNREAD = "\u0000flags-redis unread:";

  /** The stand-in for a value not read because of {@code problem}. */
  static String unread(String problem) {
    return UNREAD + problem;
  }
}
