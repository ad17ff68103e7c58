package dev.flags.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The size check of a full load's batch, before its values are read: a read-only script takes the
 * {@code STRLEN} of every key of the batch and answers only the exceptions, the keys over the size
 * limit and the keys of another type (a hash at {@code feature:x}). The values are then read with a
 * plain {@code MGET} in which those keys are replaced by a key that never exists, so a value over
 * the limit is never transferred; it stands in as {@link CacheEntry#unread}, malformed for that
 * flag only. Only integers and the few exceptions go through Lua: the values themselves never do
 * (copying 500 values into Lua and back cost 30 times the {@code MGET}).
 *
 * <p>KEYS: 1 the versions hash, 2… the value keys. ARGV: 1 the size limit in bytes. Reply: the type
 * of the versions hash, then {@code index, length, ""} for each value over the limit and {@code
 * index, -1, type} for each key of another type (indexes from 1). Stateless.
 */
final class BatchRead {

  private BatchRead() {}

  static final LuaScript SIZES =
      LuaScript.of(
          """
          local out = {redis.call('TYPE', KEYS[1])['ok']}
          local max = tonumber(ARGV[1])
          for i = 2, #KEYS do
            local n = redis.pcall('STRLEN', KEYS[i])
            if type(n) == 'table' then
              out[#out + 1] = i - 1
              out[#out + 1] = -1
              out[#out + 1] = redis.call('TYPE', KEYS[i])['ok']
            elseif n > max then
              out[#out + 1] = i - 1
              out[#out + 1] = n
              out[#out + 1] = ''
            end
          end
          return out
          """);

  static List<String> keys(String versionsHash, String[] redisKeys) {
    List<String> keys = new ArrayList<>(redisKeys.length + 1);
    keys.add(versionsHash);
    keys.addAll(Arrays.asList(redisKeys));
    return keys;
  }

  /**
   * The exceptions of one batch.
   *
   * @param versionsType the type of the versions hash ({@code hash}, or {@code none} when missing)
   * @param unread position in the batch → the {@link CacheEntry#unread} stand-in of its value
   */
  record Sizes(@Nullable String versionsType, Map<Integer, String> unread) {

    boolean versionsReadable() {
      return "hash".equals(versionsType) || "none".equals(versionsType);
    }

    /** The keys to MGET: those not to be read replaced by {@code absentKey}. */
    String[] keysToRead(String[] redisKeys, String absentKey) {
      if (unread.isEmpty()) {
        return redisKeys;
      }
      String[] out = redisKeys.clone();
      unread.keySet().forEach(i -> out[i] = absentKey);
      return out;
    }

    /** The values read, with the stand-ins where nothing was read. */
    List<String> values(List<String> read) {
      if (unread.isEmpty()) {
        return read;
      }
      List<String> out = new ArrayList<>(read);
      unread.forEach(out::set);
      return out;
    }
  }

  static Sizes decode(Object reply, String[] redisKeys, long maxValueBytes) {
    List<?> parts = (List<?>) reply;
    String versionsType = string(parts.get(0));
    Map<Integer, String> unread = new HashMap<>();
    for (int j = 1; j + 2 < parts.size(); j += 3) {
      int i = (int) ((Number) parts.get(j)).longValue() - 1;
      long length = ((Number) parts.get(j + 1)).longValue();
      unread.put(
          i,
          CacheEntry.unread(
              length < 0
                  ? Loader.wrongType(redisKeys[i], String.valueOf(string(parts.get(j + 2))))
                  : "the value has "
                      + length
                      + " bytes, over the limit of "
                      + maxValueBytes
                      + " (maxValueBytes); it was not read"));
    }
    return new Sizes(versionsType, unread);
  }

  private static @Nullable String string(@Nullable Object o) {
    if (o == null) {
      return null;
    }
    if (o instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    return o.toString();
  }
}
