package dev.flags.redis;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One invalidation message on the changes channel: {@code key} or {@code segment:key}, followed,
 * when the writer carried the value, by {@code \nversion\nvalue} (see {@link Scripts}). Immutable.
 *
 * @param cacheKey the flag key, or a segment's key with {@link CacheEntry#SEGMENT_KEY_PREFIX}
 * @param version the version of the carried value, or -1 when none was carried (reload the key)
 * @param raw the carried value, or null
 */
record Invalidation(String cacheKey, long version, @Nullable String raw) {

  boolean carriesValue() {
    return version >= 0;
  }

  /** The message's meaning, or empty when it names neither a flag nor a segment. */
  static Optional<Invalidation> parse(String message) {
    int nl = message.indexOf('\n');
    String name = nl < 0 ? message : message.substring(0, nl);
    String cacheKey;
    if (name.startsWith(RedisLayout.SEGMENT_MESSAGE_PREFIX)) {
      String key = name.substring(RedisLayout.SEGMENT_MESSAGE_PREFIX.length());
      if (!RedisLayout.isValidFlagKey(key)) {
        return Optional.empty();
      }
      cacheKey = CacheEntry.SEGMENT_KEY_PREFIX + key;
    } else if (RedisLayout.isValidFlagKey(name)) {
      cacheKey = name;
    } else {
      return Optional.empty();
    }
    int nl2 = nl < 0 ? -1 : message.indexOf('\n', nl + 1);
    if (nl2 < 0) {
      return Optional.of(new Invalidation(cacheKey, -1, null));
    }
    long version;
    try {
      version = Long.parseLong(message.substring(nl + 1, nl2));
    } catch (NumberFormatException e) {
      return Optional.of(new Invalidation(cacheKey, -1, null));
    }
    if (version < 0) {
      return Optional.of(new Invalidation(cacheKey, -1, null));
    }
    return Optional.of(new Invalidation(cacheKey, version, message.substring(nl2 + 1)));
  }
}
