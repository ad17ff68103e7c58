package dev.flags.redis;

import dev.flags.core.admin.AuditEntry;

/**
 * The Lua scripts that keep the index, versions, digests, known values, last changes, counter and
 * audit stream consistent with the values (docs/redis-layout.md). Call them through their typed
 * classes ({@link ReadScript}, {@link WriteScript}, {@link AuditChainScript}), which build the KEYS
 * and ARGV below and read the replies.
 *
 * <p>Every script names the keys it is given, which share one hash slot on a Cluster (the prefix
 * carries a hash tag there). The repairs of damaged internal keys also touch keys derived from
 * those (a {@code <key>:damaged} copy, the value keys of indexed definitions), which share the
 * prefix and so the slot.
 *
 * <p><b>Nothing half-done.</b> Redis does not roll a script back when a command fails in it. So
 * each script first checks every internal key it may touch — type, and for the counter and the
 * versions that the text is a number — and repairs what is damaged, noting each repair; only then
 * does it change anything, with commands that can no longer fail. The notes are the first element
 * of every reply, and the typed calls log each one (so a repair is logged once, by the caller whose
 * script made it).
 *
 * <p><b>Invalidation message.</b> The key ({@code segment:<key>} for a segment), followed, when the
 * value exists and is at most 64 KiB, by {@code \n<version>\n<value>}: stores apply such a value
 * without reading it back, unless they already hold that version or a newer one.
 */
final class Scripts {

  private Scripts() {}

  /** The largest value an invalidation message carries. */
  static final int MAX_INLINE_VALUE = 65_536;

  /**
   * Shared by every script. The header of each script sets COUNTER, AUDIT, MAXLEN (the audit
   * stream's approximate length) and CHANNEL; a kind is a table of the five keys of {@link
   * RedisLayout.Kind} plus its name, value prefix and message prefix.
   */
  private static final String LIBRARY =
      """
      local RAW_ACTOR = '@RAW_ACTOR@'
      local RAW_ACTION = '@RAW_ACTION@'
      local FLOOR = '#floor'
      local COUNTER, AUDIT, MAXLEN, CHANNEL
      local notes = {}

      local function note(s) notes[#notes + 1] = s end
      local function num(n) return string.format('%.0f', n) end
      local function short(s)
        if #s > 40 then return string.sub(s, 1, 40) .. '...' end
        return s
      end
      local function typeOf(k) return redis.call('TYPE', k)['ok'] end
      -- A version as the SDK writes it (digits only, exact as a Lua number), else nil.
      local function version(s)
        if type(s) == 'string' and #s > 0 and #s <= 15 and string.match(s, '^%d+$') then
          return tonumber(s)
        end
        return nil
      end
      local function isId(s) return type(s) == 'string' and string.match(s, '^%d+%-%d+$') ~= nil end
      local function idParts(s)
        local ms, seq = string.match(s, '^(%d+)%-(%d+)$')
        return tonumber(ms), tonumber(seq)
      end
      local function older(a, b)
        local am, as = idParts(a)
        local bm, bs = idParts(b)
        return am < bm or (am == bm and as < bs)
      end
      local function field(entry, name)
        local f = entry[2]
        for i = 1, #f, 2 do
          if f[i] == name then return f[i + 1] end
        end
        return nil
      end
      -- An entry of a flag's guarded rollout plan (plan-pause…, RolloutScripts.OPERATOR): it joins
      -- its flag's chain of entries but changes no definition, so readers of a definition's last
      -- change step back over it, up to PLAN_HOPS entries.
      local PLAN_HOPS = 100
      local function isPlanEntry(e)
        local a = field(e, 'action')
        return a ~= nil and string.sub(a, 1, 5) == 'plan-'
      end
      local function kind(name, first, prefix)
        local m = ''
        if name == 'segment' then m = 'segment:' end
        return {name = name, prefix = prefix, message = m, index = KEYS[first],
                versions = KEYS[first + 1], digests = KEYS[first + 2], known = KEYS[first + 3],
                last = KEYS[first + 4]}
      end

      -- The rest is defined only by scripts that need it (library()): a read that finds nothing
      -- to record or repair does not pay for creating these functions.
      local aside, wrong, counterValue, checkCounter, checkAudit, lastEntry, indexedValues, checkKind, versionOf, remember, append, publish, reconcile
      local libraryLoaded = false
      local function library()
        if libraryLoaded then return end
        libraryLoaded = true
        -- ---------------------------------------------------------- checks and repairs
        aside = function(k)
          local to = k .. ':damaged'
          redis.call('RENAME', k, to)
          return to
        end
        -- The type of k when it is neither absent nor `want`.
        wrong = function(k, want)
          local t = typeOf(k)
          if t == 'none' or t == want then return nil end
          return t
        end
        counterValue = function()
          if typeOf(COUNTER) ~= 'string' then return 0 end
          return version(redis.call('GET', COUNTER)) or 0
        end
        checkCounter = function()
          local t = typeOf(COUNTER)
          if t == 'none' then return end
          local was
          if t == 'string' then
            local c = redis.call('GET', COUNTER)
            -- what INCR accepts, short of overflowing
            if #c <= 18 and (c == '0' or string.match(c, '^%-?[1-9]%d*$')) then return end
            was = 'held "' .. short(c) .. '", not an integer'
          else
            was = 'was a ' .. t .. ' (renamed to ' .. aside(COUNTER) .. ')'
          end
          -- The server time in ms: far above any count it can have reached, so no instance takes the
          -- repaired counter for one it already compared.
          local time = redis.call('TIME')
          local n = num(tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000))
          redis.call('SET', COUNTER, n)
          note(COUNTER .. ' ' .. was .. ': reset to ' .. n .. ' (the server time in ms)')
        end
        checkAudit = function()
          local t = wrong(AUDIT, 'stream')
          if t then
            note(AUDIT .. ' was a ' .. t .. ', not a stream: renamed to ' .. aside(AUDIT)
              .. '; a new audit stream starts with the next change')
          end
        end
        lastEntry = function(K, key)
          local id = redis.call('HGET', K.last, key)
          for _ = 1, PLAN_HOPS do
            if not isId(id) then return nil end
            local e = redis.call('XRANGE', AUDIT, id, id)[1]
            if not e or not isPlanEntry(e) then return e end
            id = field(e, 'prev')
          end
          return nil
        end
        -- The members of the index whose value is a string, with their values.
        indexedValues = function(K)
          local out = {}
          if typeOf(K.index) ~= 'set' then return out end
          for _, k in ipairs(redis.call('SMEMBERS', K.index)) do
            if typeOf(K.prefix .. k) == 'string' then out[k] = redis.call('GET', K.prefix .. k) end
          end
          return out
        end
        checkKind = function(K)
          local t = wrong(K.last, 'hash')
          if t then
            note(K.last .. ' was a ' .. t .. ': renamed to ' .. aside(K.last) .. '; the last change of each '
              .. K.name .. ' is unknown until its next change')
          end
          t = wrong(K.versions, 'hash')
          if t then
            local to = aside(K.versions)
            -- Versions only move forward: a key whose version is lost starts above the floor, the
            -- counter's value (every version bump also increments it, so it is at least any version).
            local floor = counterValue()
            redis.call('HSET', K.versions, FLOOR, num(floor))
            local keys = {}
            if typeOf(K.index) == 'set' then
              for _, k in ipairs(redis.call('SMEMBERS', K.index)) do keys[k] = true end
            end
            for _, k in ipairs(redis.call('HKEYS', K.last)) do keys[k] = true end
            local n = 0
            for k in pairs(keys) do
              local e = lastEntry(K, k)
              local v = (e and version(field(e, 'version'))) or floor
              redis.call('HSET', K.versions, k, num(v))
              n = n + 1
            end
            note(K.versions .. ' was a ' .. t .. ': renamed to ' .. to .. '; rebuilt for ' .. n
              .. ' key(s), each from its last audit entry, else from the counter (' .. num(floor)
              .. '), which other keys now start above')
          end
          t = wrong(K.index, 'set')
          if t then
            local to = aside(K.index)
            local n = 0
            for _, k in ipairs(redis.call('HKEYS', K.versions)) do
              if typeOf(K.prefix .. k) == 'string' then
                redis.call('SADD', K.index, k)
                n = n + 1
              end
            end
            note(K.index .. ' was a ' .. t .. ': renamed to ' .. to .. '; rebuilt with the ' .. n
              .. ' ' .. K.name .. '(s) of ' .. K.versions .. ' that have a value')
          end
          t = wrong(K.digests, 'hash')
          if t then
            local to = aside(K.digests)
            local n = 0
            for k, v in pairs(indexedValues(K)) do
              redis.call('HSET', K.digests, k, redis.sha1hex(v))
              n = n + 1
            end
            note(K.digests .. ' was a ' .. t .. ': renamed to ' .. to .. '; rebuilt from the ' .. n
              .. ' current value(s), taken as known (a raw edit made before this repair is not recorded)')
          end
          t = wrong(K.known, 'hash')
          if t then
            local to = aside(K.known)
            local n = 0
            for k, v in pairs(indexedValues(K)) do
              if redis.call('HGET', K.digests, k) == redis.sha1hex(v) then
                redis.call('HSET', K.known, k, v)
                n = n + 1
              end
            end
            note(K.known .. ' was a ' .. t .. ': renamed to ' .. to .. '; rebuilt from the ' .. n
              .. ' current value(s) the SDK knows')
          end
        end
        -- The version of key; a damaged field is rewritten first.
        versionOf = function(K, key)
          local s = redis.call('HGET', K.versions, key)
          if not s then return version(redis.call('HGET', K.versions, FLOOR)) or 0 end
          local n = version(s)
          if n then return n end
          local e = lastEntry(K, key)
          local v = e and version(field(e, 'version'))
          local from = 'its last audit entry'
          if not v then
            -- every version bump also increments the counter, so it is at least the last version
            v = counterValue()
            from = 'the counter'
          end
          redis.call('HSET', K.versions, key, num(v))
          note(K.versions .. ' field ' .. key .. ' held "' .. short(s) .. '", not a version: set to '
            .. num(v) .. ' from ' .. from)
          return v
        end

        -- ---------------------------------------------------------- changes
        remember = function(K, key, v, ver)
          if v then
            redis.call('HSET', K.digests, key, redis.sha1hex(v))
            redis.call('HSET', K.known, key, v)
            redis.call('SADD', K.index, key)
          else
            redis.call('HDEL', K.digests, key)
            redis.call('HDEL', K.known, key)
            redis.call('SREM', K.index, key)
          end
          redis.call('HSET', K.versions, key, num(ver))
        end
        append = function(K, key, ver, action, actor, reason, before, after)
          local e = {'kind', K.name, 'key', key, 'action', action, 'actor', actor, 'version', num(ver)}
          if reason ~= '' then e[#e + 1] = 'reason'; e[#e + 1] = reason end
          if before then e[#e + 1] = 'before'; e[#e + 1] = before end
          if after then e[#e + 1] = 'after'; e[#e + 1] = after end
          local prev = redis.call('HGET', K.last, key)
          if isId(prev) then e[#e + 1] = 'prev'; e[#e + 1] = prev end
          local id = redis.call('XADD', AUDIT, 'MAXLEN', '~', MAXLEN, '*', unpack(e))
          redis.call('HSET', K.last, key, id)
          redis.call('INCR', COUNTER)
          return id
        end
        publish = function(K, key, v, ver)
          local m = K.message .. key
          if v and #v <= @MAX_INLINE@ then m = m .. '\\n' .. num(ver) .. '\\n' .. v end
          redis.call('PUBLISH', CHANNEL, m)
        end
        -- The value (nil when absent or not a string), the version and the type when it is not a
        -- string. A value whose digest is not the one the SDK recorded was changed without it: that
        -- change is recorded first, once, by whoever notices it, with the value the SDK knew before.
        reconcile = function(K, key, vk)
          local t = typeOf(vk)
          local ver = versionOf(K, key)
          if t ~= 'string' and t ~= 'none' then return nil, ver, t end
          local v = nil
          if t == 'string' then v = redis.call('GET', vk) end
          local d = ''
          if v then d = redis.sha1hex(v) end
          local digest = redis.call('HGET', K.digests, key) or ''
          if d == digest then return v, ver, nil end
          local before = nil
          if digest ~= '' then
            local k = redis.call('HGET', K.known, key)
            if k and redis.sha1hex(k) == digest then before = k end
          end
          ver = ver + 1
          remember(K, key, v, ver)
          append(K, key, ver, RAW_ACTION, RAW_ACTOR, '', before, v)
          publish(K, key, v, ver)
          return v, ver, nil
        end
      end
      """
          .replace("@RAW_ACTOR@", AuditEntry.RAW_EDIT_ACTOR)
          .replace("@RAW_ACTION@", AuditEntry.ACTION_RAW_EDIT)
          .replace("@MAX_INLINE@", Integer.toString(MAX_INLINE_VALUE));

  /**
   * Reads definitions of one kind, recording raw edits. KEYS: 1 counter, 2 audit, 3–7 the kind's
   * index, versions, digests, known, last changes, then one value key per definition. ARGV: 1 audit
   * max length, 2 channel, 3 kind name, 4 value prefix, 5 {@code 1} to return each last audit
   * entry, 6 the largest value returned in bytes (0: any), then the keys. Returns {@code {notes,
   * {version, value|nil, wrongType|nil, lastEntry|nil[, length]}...}}: a longer value is not sent,
   * its length is. With no keys, it only checks and repairs.
   *
   * <p>A key is first read the cheap way, reads only (with {@code pcall}, so a damaged key is an
   * answer, not an error); only a raw edit to record or a damaged key met on the way takes the full
   * path — every internal key checked and repaired, then the reconcile. Reading never changes
   * anything, so the checks need not come first there.
   */
  static final LuaScript READ =
      LuaScript.of(
          LIBRARY
              + """
      COUNTER = KEYS[1]; AUDIT = KEYS[2]; MAXLEN = ARGV[1]; CHANNEL = ARGV[2]
      local K = kind(ARGV[3], 3, ARGV[4])
      local withLast = ARGV[5] == '1'
      local checked = false
      local function checkAll()
        if not checked then
          library()
          checkCounter(); checkAudit(); checkKind(K)
          checked = true
        end
      end
      local function failed(r) return type(r) == 'table' and r.err ~= nil end
      -- The common case, reads only: nothing to record, nothing damaged on the way. Nil when the
      -- value changed behind the SDK's back or a key read is damaged: the full path handles both.
      local function fast(key, vk)
        local v = redis.pcall('GET', vk) -- an error when it is not a string: the full path says so
        if failed(v) then return nil end
        local s = redis.pcall('HGET', K.versions, key)
        if failed(s) then return nil end
        local ver
        if s then
          ver = version(s)
          if not ver then return nil end
        else
          ver = version(redis.call('HGET', K.versions, FLOOR)) or 0
        end
        local d = redis.pcall('HGET', K.digests, key)
        if failed(d) then return nil end
        local sha = ''
        if v then sha = redis.sha1hex(v) end
        if sha ~= (d or '') then return nil end
        local e = false
        if withLast then
          local id = redis.pcall('HGET', K.last, key)
          if failed(id) then return nil end
          for _ = 1, PLAN_HOPS do
            if not isId(id) then break end
            local r = redis.pcall('XRANGE', AUDIT, id, id)
            if failed(r) then return nil end
            e = r[1] or false
            if not e or not isPlanEntry(e) then break end
            id = field(e, 'prev')
            e = false
          end
        end
        return {ver, v or false, false, e}
      end
      -- A value over the caller's size limit is not sent: its length is, in fifth place.
      local limit = tonumber(ARGV[6]) or 0
      local function bounded(r)
        if limit > 0 and r[2] and #r[2] > limit then
          return {r[1], false, r[3], r[4], #r[2]}
        end
        return r
      end
      if #ARGV < 7 then checkAll() end
      local out = {notes}
      for i = 7, #ARGV do
        local r = fast(ARGV[i], KEYS[i + 1])
        if not r then
          checkAll()
          local v, ver, wt = reconcile(K, ARGV[i], KEYS[i + 1])
          local e = false
          if withLast then e = lastEntry(K, ARGV[i]) or false end
          r = {ver, v or false, wt or false, e}
        end
        out[#out + 1] = bounded(r)
      end
      return out
      """);

  /**
   * Applies a batch of writes, all or none. KEYS: 1 counter, 2 audit, 3–7 the flags' and 8–12 the
   * segments' index, versions, digests, known, last changes, then one value key per write. ARGV: 1
   * audit max length, 2 channel, 3 flag value prefix, 4 segment value prefix, then eight per write:
   * kind, key, operation ({@code create}, {@code update}, {@code delete}), expected version (-1 for
   * any), value, action, actor, reason; optionally a fence: one more key (a lease) and one more
   * argument (the token it must hold), checked before anything is read or repaired. Returns {@code
   * {notes, 1, {{entryId, version, before|nil}...}}}, {@code {notes, 0, index, why, version,
   * lastEntry|nil}} with why = exists, missing or version, or {@code {notes, 2, heldToken|nil}}
   * when the fence's key does not hold the token.
   */
  static final LuaScript WRITE =
      LuaScript.of(
          LIBRARY
              + """
      COUNTER = KEYS[1]; AUDIT = KEYS[2]; MAXLEN = ARGV[1]; CHANNEL = ARGV[2]
      local F = kind('flag', 3, ARGV[3])
      local S = kind('segment', 8, ARGV[4])
      library()
      local n = math.floor((#ARGV - 4) / 8)
      if (#ARGV - 4) % 8 == 1 then
        local held = redis.call('GET', KEYS[13 + n])
        if held ~= ARGV[#ARGV] then return {notes, 2, held or false} end
      end
      checkCounter(); checkAudit(); checkKind(F); checkKind(S)
      local w = {}
      for i = 1, n do
        local a = 4 + (i - 1) * 8
        local K = F
        if ARGV[a + 1] == 'segment' then K = S end
        local x = {K = K, key = ARGV[a + 2], vk = KEYS[12 + i], op = ARGV[a + 3],
                   expected = tonumber(ARGV[a + 4]), value = ARGV[a + 5], action = ARGV[a + 6],
                   actor = ARGV[a + 7], reason = ARGV[a + 8]}
        x.current, x.ver, x.wrongType = reconcile(K, x.key, x.vk)
        w[i] = x
      end
      for i = 1, n do
        local x = w[i]
        local present = x.current ~= nil or x.wrongType ~= nil
        local why = nil
        if x.op == 'create' and present then why = 'exists'
        elseif x.op ~= 'create' and not present then why = 'missing'
        elseif x.expected >= 0 and x.ver ~= x.expected then why = 'version' end
        if why then return {notes, 0, i - 1, why, x.ver, lastEntry(x.K, x.key) or false} end
      end
      local results = {}
      for i = 1, n do
        local x = w[i]
        local nv = x.ver + 1
        local after = nil
        if x.op == 'delete' then
          redis.call('DEL', x.vk)
        else
          redis.call('SET', x.vk, x.value)
          after = x.value
        end
        remember(x.K, x.key, after, nv)
        local id = append(x.K, x.key, nv, x.action, x.actor, x.reason, x.current, after)
        results[i] = {id, nv, x.current or false}
        x.after = after
        x.nv = nv
      end
      for i = 1, n do publish(w[i].K, w[i].key, w[i].after, w[i].nv) end
      return {notes, 1, results}
      """);

  /**
   * The audit entries of one key, newest first, following each entry's {@code prev} link from the
   * key's last change: as many steps as the key has entries, not a scan of the stream. Read-only.
   * KEYS: 1 audit, 2 the kind's last changes. ARGV: 1 key, 2 limit, 3 from (ms, or empty), 4 to
   * (ms, or empty), 5 actor (or empty for any). Returns {@code {{id, {field, value...}}...}}.
   */
  static final LuaScript AUDIT_CHAIN =
      LuaScript.of(
          LIBRARY
              + """
      if typeOf(KEYS[1]) ~= 'stream' or typeOf(KEYS[2]) ~= 'hash' then return {} end
      AUDIT = KEYS[1]
      local id = redis.call('HGET', KEYS[2], ARGV[1])
      local limit = tonumber(ARGV[2])
      local from = tonumber(ARGV[3])
      local to = tonumber(ARGV[4])
      local out = {}
      local steps = 0
      while isId(id) and #out < limit and steps < @MAX_STEPS@ do
        local e = redis.call('XRANGE', AUDIT, id, id)[1]
        if not e then break end
        local ms = idParts(id)
        if from and ms < from then break end
        if (not to or ms <= to) and (ARGV[5] == '' or field(e, 'actor') == ARGV[5]) then
          out[#out + 1] = e
        end
        local prev = field(e, 'prev')
        if not isId(prev) or not older(prev, id) then break end
        id = prev
        steps = steps + 1
      end
      return out
      """
                  .replace("@MAX_STEPS@", Integer.toString(AuditChainScript.MAX_STEPS)));
}
