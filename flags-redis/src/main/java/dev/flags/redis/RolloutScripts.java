package dev.flags.redis;

/**
 * The Lua scripts of the guarded rollout controller (docs/redis-layout.md, "Guarded rollouts"): the
 * lease with its fencing token, fenced state writes and the server's clock.
 */
final class RolloutScripts {
  private RolloutScripts() {}

  /**
   * Takes or renews the lease. KEYS: 1 lease, 2 token counter. ARGV: 1 the token this instance
   * holds (or empty), 2 the lease time in ms. Returns the token held now, or 0 when another
   * instance holds the lease. A new holder always gets a token above every earlier one (INCR), so a
   * write fenced by an older token is refused.
   */
  static final LuaScript LEASE =
      LuaScript.of(
          """
      local held = redis.call('GET', KEYS[1])
      if held then
        if held == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return tonumber(held)
        end
        return 0
      end
      local t = redis.call('INCR', KEYS[2])
      redis.call('SET', KEYS[1], t, 'PX', ARGV[2])
      return t
      """);

  /**
   * Gives the lease up if this instance holds it. KEYS: 1 lease. ARGV: 1 token. Returns 1 if given
   * up.
   */
  static final LuaScript RELEASE =
      LuaScript.of(
          """
      if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]); return 1 end
      return 0
      """);

  /**
   * Writes fields of a plan's state only if the lease holds the token. KEYS: 1 lease, 2 state hash.
   * ARGV: 1 token, then field/value pairs. Returns 1, or 0 when fenced.
   */
  static final LuaScript FENCED_STATE =
      LuaScript.of(
          """
      if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
      for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
      return 1
      """);

  /**
   * An operator's action on a plan (pause, resume, abort, restart; or the controller's own pause),
   * only from the statuses it may come from, recorded in the audit with the plan's state change in
   * one step. KEYS: 1 state hash, 2 audit stream, 3 the flags' versions hash, 4 the flags' last
   * change hash. ARGV: 1 new status, or {@code ''} to start the plan again (the state forgotten but
   * for the note), 2 note, 3 flag key, 4 audit action, 5 actor, 6 reason, 7 audit max length, 8..
   * the statuses allowed before ({@code ''} for none yet). Returns the status before, or false when
   * it was not allowed.
   *
   * <p>The entry joins the flag's chain of entries ({@code prev}, the last change hash), so the
   * flag's history shows it; it changes no definition, so it takes the flag's current version,
   * leaves the version counter alone, and readers of a definition's last change pass over it
   * ({@code lastEntry} in {@link Scripts}). The keys it writes are checked first: a script's writes
   * before an error stay applied.
   */
  static final LuaScript OPERATOR =
      LuaScript.of(
          """
      local before = redis.call('HGET', KEYS[1], 'status') or ''
      local allowed = false
      for i = 8, #ARGV do
        if ARGV[i] == before then allowed = true end
      end
      if not allowed then return false end
      for i, want in ipairs({'stream', 'hash', 'hash'}) do
        local t = redis.call('TYPE', KEYS[i + 1])['ok']
        if t ~= want and t ~= 'none' then
          return redis.error_reply('ERR ' .. KEYS[i + 1] .. ' is a ' .. t .. ', not a ' .. want
            .. ': nothing was changed; the next flag write repairs it')
        end
      end
      local key = ARGV[3]
      local version = tonumber(redis.call('HGET', KEYS[3], key) or '0') or 0
      local e = {'kind', 'flag', 'key', key, 'action', ARGV[4], 'actor', ARGV[5],
                 'version', string.format('%.0f', version)}
      if ARGV[6] ~= '' then e[#e + 1] = 'reason'; e[#e + 1] = ARGV[6] end
      local prev = redis.call('HGET', KEYS[4], key)
      if prev and string.match(prev, '^%d+%-%d+$') then e[#e + 1] = 'prev'; e[#e + 1] = prev end
      local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[7], '*', unpack(e))
      redis.call('HSET', KEYS[4], key, id)
      if ARGV[1] == '' then
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'note', ARGV[2])
      else
        redis.call('HSET', KEYS[1], 'status', ARGV[1], 'note', ARGV[2])
      end
      return before
      """);

  /** The server's time in milliseconds: one clock for every instance, whatever theirs say. */
  static final LuaScript TIME =
      LuaScript.of(
          """
      local t = redis.call('TIME')
      return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      """);
}
