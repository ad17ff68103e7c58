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
   * Sets a plan's status as an operator asks, only from the statuses it may come from. KEYS: 1
   * state hash. ARGV: 1 new status, 2 note, 3.. the statuses allowed before ('' for none yet).
   * Returns the status before, or false when it was not allowed.
   */
  static final LuaScript OPERATOR =
      LuaScript.of(
          """
      local before = redis.call('HGET', KEYS[1], 'status') or ''
      for i = 3, #ARGV do
        if ARGV[i] == before then
          redis.call('HSET', KEYS[1], 'status', ARGV[1], 'note', ARGV[2])
          return before
        end
      end
      return false
      """);

  /**
   * Starts an ended plan again: forgets its state but for the operator's note, only from the
   * statuses it may come from, so the controller takes the plan up at its next look. KEYS: 1 state
   * hash. ARGV: 1 note, 2.. the statuses allowed before. Returns the status before, or false when
   * it was not allowed.
   */
  static final LuaScript RESTART =
      LuaScript.of(
          """
      local before = redis.call('HGET', KEYS[1], 'status') or ''
      for i = 2, #ARGV do
        if ARGV[i] == before then
          redis.call('DEL', KEYS[1])
          redis.call('HSET', KEYS[1], 'note', ARGV[1])
          return before
        end
      end
      return false
      """);

  /** The server's time in milliseconds: one clock for every instance, whatever theirs say. */
  static final LuaScript TIME =
      LuaScript.of(
          """
      local t = redis.call('TIME')
      return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      """);
}
