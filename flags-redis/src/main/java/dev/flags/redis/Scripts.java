package dev.flags.redis;

/**
 * The Lua scripts that keep the index, versions, digests, counter and audit stream consistent with
 * the flag values (docs/redis-layout.md). Every script names all its keys, which share one hash
 * slot on a Cluster (the prefix carries a hash tag there).
 *
 * <p>KEYS: 1 flag value, 2 index set, 3 versions hash, 4 digests hash, 5 counter, 6 audit stream.
 * ARGV: 1 flag key, 2 operation, 3 expected version, 4 new value, 5 actor, 6 reason, 7 audit max
 * length, 8 channel, 9 the value the caller last saw (the "before" of a raw edit, or ""), 10 the
 * kind ({@code flag} or {@code segment}: the audit field naming the key; a segment's invalidation
 * message is {@code segment:<key>}).
 *
 * <p>The invalidation message is the key ({@code segment:<key>} for a segment), followed, when the
 * value exists and is at most 64 KiB, by {@code \n<version>\n<value>}: stores apply such a value
 * without reading it back, unless they already hold that version or a newer one.
 */
final class Scripts {

  private Scripts() {}

  /** The actor recorded for changes made without the SDK. */
  static final String RAW_EDIT_ACTOR = "unknown (raw edit)";

  // A value whose digest differs from the one the SDK recorded was written by someone else (a raw
  // SET/DEL): record it once, whoever notices first, as the SDK would have.
  private static final String RECONCILE =
      """
      local function message(v, ver)
        local m = ARGV[1]
        if ARGV[10] == 'segment' then m = 'segment:' .. m end
        if v and #v <= 65536 then return m .. '\\n' .. ver .. '\\n' .. v end
        return m
      end
      local function reconcile()
        local v = redis.call('GET', KEYS[1])
        local d = ''
        if v then d = redis.sha1hex(v) end
        local known = redis.call('HGET', KEYS[4], ARGV[1]) or ''
        local ver = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
        if d ~= known then
          ver = ver + 1
          redis.call('HSET', KEYS[3], ARGV[1], ver)
          if v then
            redis.call('HSET', KEYS[4], ARGV[1], d)
            redis.call('SADD', KEYS[2], ARGV[1])
          else
            redis.call('HDEL', KEYS[4], ARGV[1])
            redis.call('SREM', KEYS[2], ARGV[1])
          end
          redis.call('INCR', KEYS[5])
          local e = {ARGV[10], ARGV[1], 'actor', '%s', 'version', tostring(ver)}
          if ARGV[9] ~= '' then table.insert(e, 'before'); table.insert(e, ARGV[9]) end
          if v then table.insert(e, 'after'); table.insert(e, v) end
          redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[7], '*', unpack(e))
          redis.call('PUBLISH', ARGV[8], message(v, ver))
        end
        return v, ver
      end
      """
          .formatted(RAW_EDIT_ACTOR);

  /**
   * Reads one flag, absorbing a raw edit. Returns {@code {version}} or {@code {version, value}};
   * with an ARGV[11] (the store's size limit in bytes), {@code {version, nil, length}} for a longer
   * value, which is then never sent.
   */
  static final LuaScript READ =
      LuaScript.of(
          RECONCILE
              + """
      local v, ver = reconcile()
      if v and ARGV[11] and #v > tonumber(ARGV[11]) then return {ver, false, #v} end
      if v then return {ver, v} end
      return {ver}
      """);

  /**
   * Writes one flag if its version is the expected one. ARGV[2] is {@code create}, {@code update}
   * or {@code delete}; ARGV[3] the expected version, or -1 for any. Returns {@code {1, newVersion,
   * auditId}} or {@code {0, currentVersion, why}} with why = exists, missing or conflict.
   */
  static final LuaScript WRITE =
      LuaScript.of(
          RECONCILE
              + """
      local v, ver = reconcile()
      local op = ARGV[2]
      if op == 'create' then
        if v then return {0, ver, 'exists'} end
      elseif not v then
        return {0, ver, 'missing'}
      end
      local expected = tonumber(ARGV[3])
      if expected >= 0 and ver ~= expected then return {0, ver, 'conflict'} end
      local nv = ver + 1
      if op == 'delete' then
        redis.call('DEL', KEYS[1])
        redis.call('HDEL', KEYS[4], ARGV[1])
        redis.call('SREM', KEYS[2], ARGV[1])
      else
        redis.call('SET', KEYS[1], ARGV[4])
        redis.call('HSET', KEYS[4], ARGV[1], redis.sha1hex(ARGV[4]))
        redis.call('SADD', KEYS[2], ARGV[1])
      end
      redis.call('HSET', KEYS[3], ARGV[1], nv)
      redis.call('INCR', KEYS[5])
      local e = {ARGV[10], ARGV[1], 'actor', ARGV[5], 'version', tostring(nv)}
      if ARGV[6] ~= '' then table.insert(e, 'reason'); table.insert(e, ARGV[6]) end
      if v then table.insert(e, 'before'); table.insert(e, v) end
      if op ~= 'delete' then table.insert(e, 'after'); table.insert(e, ARGV[4]) end
      local id = redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[7], '*', unpack(e))
      local nvalue = nil
      if op ~= 'delete' then nvalue = ARGV[4] end
      redis.call('PUBLISH', ARGV[8], message(nvalue, nv))
      return {1, nv, id}
      """);
}
