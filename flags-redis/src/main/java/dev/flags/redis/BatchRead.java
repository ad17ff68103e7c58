package dev.flags.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One batch of a full load, read by a read-only script: the versions of its keys, then the values,
 * each checked with {@code STRLEN} before it is read, so a value over the size limit is never
 * transferred (it stands in as {@link CacheEntry#unread}, malformed for that flag only), and a key
 * of another type (a hash at {@code feature:x}) is reported as such instead of failing the load.
 * When every value is small, which is the rule, the values are read with one {@code MGET}.
 *
 * <p>KEYS: 1 the versions hash, 2… the value keys. ARGV: 1 the size limit in bytes, 2… the version
 * fields. Reply: {@code {versions, values[, versionsError]}} where a value is a string, nil, {@code
 * {length}} (too large) or {@code {-1, type}} (not a string). Stateless.
 */
final class BatchRead {

  private BatchRead() {}

  static final LuaScript SCRIPT =
      LuaScript.of(
          """
          local ok, versions = pcall(redis.call, 'HMGET', KEYS[1], unpack(ARGV, 2))
          local versionsError = nil
          if not ok then
            versionsError = tostring(versions.err or versions)
            versions = {}
          end
          local max = tonumber(ARGV[1])
          local out = {}
          local plain = true
          for i = 2, #KEYS do
            local ok2, n = pcall(redis.call, 'STRLEN', KEYS[i])
            if not ok2 then
              out[i - 1] = {-1, redis.call('TYPE', KEYS[i])['ok']}
              plain = false
            elseif n > max then
              out[i - 1] = {n}
              plain = false
            else
              out[i - 1] = true
            end
          end
          if plain then
            return {versions, redis.call('MGET', unpack(KEYS, 2)), versionsError}
          end
          for i = 2, #KEYS do
            if out[i - 1] == true then out[i - 1] = redis.call('GET', KEYS[i]) end
          end
          return {versions, out, versionsError}
          """);

  static List<String> keys(String versionsHash, String[] redisKeys) {
    List<String> keys = new ArrayList<>(redisKeys.length + 1);
    keys.add(versionsHash);
    keys.addAll(Arrays.asList(redisKeys));
    return keys;
  }

  static List<String> args(long maxValueBytes, String[] fields) {
    List<String> args = new ArrayList<>(fields.length + 1);
    args.add(Long.toString(maxValueBytes));
    args.addAll(Arrays.asList(fields));
    return args;
  }

  /**
   * A decoded reply.
   *
   * @param versions one per key, null when missing
   * @param values one per key: the value, null when missing, or an {@link CacheEntry#unread}
   *     stand-in
   * @param versionsProblem why the versions hash could not be read, or null
   */
  record Reply(List<String> versions, List<String> values, String versionsProblem) {}

  static Reply decode(Object reply, String[] redisKeys, long maxValueBytes) {
    List<?> parts = (List<?>) reply;
    List<?> rawVersions = (List<?>) parts.get(0);
    List<?> rawValues = (List<?>) parts.get(1);
    List<String> versions = new ArrayList<>(redisKeys.length);
    List<String> values = new ArrayList<>(redisKeys.length);
    for (int i = 0; i < redisKeys.length; i++) {
      versions.add(i < rawVersions.size() ? string(rawVersions.get(i)) : null);
      Object v = i < rawValues.size() ? rawValues.get(i) : null;
      if (v instanceof List<?> marker) {
        long first = ((Number) marker.get(0)).longValue();
        values.add(
            CacheEntry.unread(
                first < 0
                    ? Loader.wrongType(redisKeys[i], string(marker.get(1)))
                    : "the value has "
                        + first
                        + " bytes, over the limit of "
                        + maxValueBytes
                        + " (maxValueBytes); it was not read"));
      } else {
        values.add(string(v));
      }
    }
    String versionsProblem = parts.size() > 2 ? string(parts.get(2)) : null;
    return new Reply(versions, values, versionsProblem);
  }

  private static String string(Object o) {
    if (o == null) {
      return null;
    }
    if (o instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    return o.toString();
  }
}
