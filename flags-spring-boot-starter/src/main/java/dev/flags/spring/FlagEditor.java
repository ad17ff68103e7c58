package dev.flags.spring;

import java.util.Collection;

/**
 * Changes flags in the store, for the actuator endpoint and admin screens. Each change names who
 * made it and why, for the store's audit log. The starter provides one for the properties store
 * (changes live in memory only) and, with flags-redis, one writing to Redis; the file store is
 * read-only.
 *
 * <p>Implementations must be thread-safe.
 */
public interface FlagEditor {

  /**
   * Turns targeting on or off (off serves the off variation: the kill switch).
   *
   * @throws IllegalArgumentException if the flag does not exist
   */
  void setOn(String flagKey, boolean on, String actor, String reason);

  /**
   * Makes a boolean flag serve {@code true} to {@code percent}% of contexts (0 to 100) when no
   * target or rule matches.
   *
   * @throws IllegalArgumentException if the flag does not exist or the percentage is out of range
   */
  void setRolloutPercentage(String flagKey, double percent, String actor, String reason);

  /**
   * Serves {@code value} to the contexts with these keys (a key targeted before to the other value
   * moves).
   *
   * @throws IllegalArgumentException if the flag does not exist
   */
  void addTargets(
      String flagKey, boolean value, Collection<String> contextKeys, String actor, String reason);
}
