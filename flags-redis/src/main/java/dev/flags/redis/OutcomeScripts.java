package dev.flags.redis;

/**
 * The Lua scripts of outcomes (docs/redis-layout.md, "Outcomes"). One hash per flag and 10-second
 * bucket, {@code <prefix>#outcomes:<flag>:<bucket>}, with the fields {@code <variation>:ok}, {@code
 * <variation>:err} and {@code <variation>:lat<i>} (latency histogram bucket {@code i}); each hash
 * expires on its own. Under a Cluster's default prefix {@code {feature}:} every key shares one
 * slot, so one script may touch them all.
 */
final class OutcomeScripts {
  private OutcomeScripts() {}

  /**
   * Adds one flush's counts, once. KEYS: 1 the flush's own key ({@code
   * <prefix>#outcomes-flush:<id>}), then one hash per flag. ARGV: 1 the time to live in seconds,
   * then per hash the number of field/increment pairs followed by the pairs. Returns the number of
   * fields incremented, or -1 when this flush was applied before: a flush whose reply was lost (a
   * timeout) is sent again under its id, and must not count twice.
   */
  static final LuaScript ADD =
      LuaScript.of(
          """
      local ttl = tonumber(ARGV[1])
      if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ttl) then return -1 end
      local a = 2
      local n = 0
      for i = 2, #KEYS do
        local pairs = tonumber(ARGV[a]); a = a + 1
        for j = 1, pairs do
          redis.call('HINCRBY', KEYS[i], ARGV[a], ARGV[a + 1]); a = a + 2; n = n + 1
        end
        redis.call('EXPIRE', KEYS[i], ttl)
      end
      return n
      """);

  /**
   * Reads the hashes of a window, summed in Redis so the reply stays small however many buckets and
   * instances wrote. KEYS: the bucket hashes. Returns {@code {field, sum, ...}}. Read-only.
   */
  static final LuaScript SUM =
      LuaScript.of(
          """
      local sums = {}
      local order = {}
      for i = 1, #KEYS do
        if redis.call('TYPE', KEYS[i])['ok'] == 'hash' then
          local h = redis.call('HGETALL', KEYS[i])
          for j = 1, #h, 2 do
            local f = h[j]
            if sums[f] == nil then sums[f] = 0; order[#order + 1] = f end
            sums[f] = sums[f] + (tonumber(h[j + 1]) or 0)
          end
        end
      end
      local out = {}
      for _, f in ipairs(order) do out[#out + 1] = f; out[#out + 1] = tostring(sums[f]) end
      return out
      """);
}
