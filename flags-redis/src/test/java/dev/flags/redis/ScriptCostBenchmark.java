package dev.flags.redis;

import dev.flags.core.Clause;
import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.Rollout;
import dev.flags.core.Rule;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.DefinitionKind;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.ImportPlan;
import dev.flags.core.admin.spi.FlagRepository;
import dev.flags.testsupport.RedisServerProcess;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The cost of the Lua scripts on the server, A/B against the scripts they replaced (a main, not a
 * test): the READ every store runs per reloaded key and the admin per read, a single write, and a
 * whole import as one script. Server time is Redis' own ({@code INFO commandstats}, µs per call),
 * the rounds alternate old and new so both see the same machine.
 *
 * <pre>
 * ./mvnw -q -pl flags-redis -am -Pbench -DskipTests -Dbench.main=dev.flags.redis.ScriptCostBenchmark verify
 * </pre>
 */
public final class ScriptCostBenchmark {

  private static final int FLAGS = 1000;
  private static final int CALLS = 20_000;
  private static final int ROUNDS = 5;

  /** The READ and WRITE scripts before this change (Scripts.java at 7bde245). */
  private static final String OLD_RECONCILE =
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
          local e = {ARGV[10], ARGV[1], 'actor', 'unknown (raw edit)', 'version', tostring(ver)}
          if ARGV[9] ~= '' then table.insert(e, 'before'); table.insert(e, ARGV[9]) end
          if v then table.insert(e, 'after'); table.insert(e, v) end
          redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[7], '*', unpack(e))
          redis.call('PUBLISH', ARGV[8], message(v, ver))
        end
        return v, ver
      end
      """;

  private static final LuaScript OLD_READ =
      LuaScript.of(
          OLD_RECONCILE
              + """
      local v, ver = reconcile()
      if v then return {ver, v} end
      return {ver}
      """);

  private static final LuaScript OLD_WRITE =
      LuaScript.of(
          OLD_RECONCILE
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

  private ScriptCostBenchmark() {}

  public static void main(String[] args) throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.start();
        JedisPooled jedis = new JedisPooled(java.net.URI.create(redis.uri()))) {
      RedisLayout layout = new RedisLayout("feature:");
      ScriptRunner runner = (s, k, a) -> eval(jedis, s, k, a);
      RedisConnectionSettings settings = RedisConnectionSettings.standalone(redis.uri());
      try (FlagAdmin admin = RedisFlagAdmin.builder(settings).build()) {
        List<Flag> flags = IntStream.range(0, FLAGS).mapToObj(ScriptCostBenchmark::rich).toList();
        admin.applyImport(admin.planImport(FlagSet.of(flags, List.of()), false), Change.by("b"));
      }
      Random random = new Random(42);
      ReadScript read = new ReadScript(layout, DefinitionKind.FLAG, 100_000);

      System.out.println("| script | old µs/call (server) | new µs/call (server) | new/old |");
      System.out.println("|---|---|---|---|");
      double[][] r = new double[2][ROUNDS];
      for (int round = 0; round < ROUNDS; round++) {
        r[0][round] =
            serverMicros(
                jedis,
                i -> {
                  String key = "f" + random.nextInt(FLAGS);
                  eval(
                      jedis,
                      OLD_READ,
                      List.of(
                          "feature:" + key,
                          layout.index,
                          layout.versions,
                          layout.digests,
                          layout.counter,
                          layout.audit),
                      List.of(key, "read", "-1", "", "", "", "100000", layout.channel, "", "flag"));
                });
        r[1][round] =
            serverMicros(jedis, i -> read.one(runner, "f" + random.nextInt(FLAGS), false));
      }
      row("READ (a store's reload of one key)", r);
      for (int round = 0; round < ROUNDS; round++) {
        r[0][round] = r[1][round] = 0;
        r[1][round] = serverMicros(jedis, i -> read.one(runner, "f" + random.nextInt(FLAGS), true));
      }
      System.out.printf(
          Locale.ROOT,
          "| READ with the last change (the admin's read) | | %.1f | |%n",
          median(r[1]));

      WriteScript write = new WriteScript(layout, 100_000);
      long[] version = {1};
      jedis.set("feature:old_switch", "true"); // the old script updates only an existing flag
      for (int round = 0; round < ROUNDS; round++) {
        r[0][round] =
            serverMicros(
                jedis,
                i -> {
                  String value = i % 2 == 0 ? "true" : "false";
                  eval(
                      jedis,
                      OLD_WRITE,
                      List.of(
                          "feature:old_switch",
                          layout.index,
                          layout.versions,
                          layout.digests,
                          layout.counter,
                          layout.audit),
                      List.of(
                          "old_switch",
                          "update",
                          "-1",
                          value,
                          "alice",
                          "",
                          "100000",
                          layout.channel,
                          "",
                          "flag"));
                });
        r[1][round] =
            serverMicros(
                jedis,
                i ->
                    write.run(
                        runner,
                        List.of(
                            new FlagRepository.Write(
                                DefinitionKind.FLAG,
                                "new_switch",
                                version[0]++ == 1
                                    ? FlagRepository.Operation.CREATE
                                    : FlagRepository.Operation.UPDATE,
                                FlagRepository.ANY_VERSION,
                                Optional.of(i % 2 == 0 ? "true" : "false"),
                                AuditEntry.ACTION_UPDATE,
                                "alice",
                                ""))));
      }
      row("WRITE of one switch", r);

      for (int size : new int[] {1_000, 10_000}) {
        for (boolean isRich : new boolean[] {false, true}) {
          jedis.flushAll();
          List<Flag> batch =
              IntStream.range(0, size)
                  .mapToObj(i -> isRich ? rich(i) : Flag.simple("f" + i, i % 2 == 0))
                  .toList();
          try (FlagAdmin admin = RedisFlagAdmin.builder(settings).build()) {
            ImportPlan plan = admin.planImport(FlagSet.of(batch, List.of()), false);
            jedis.sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
            long t0 = System.nanoTime();
            admin.applyImport(plan, Change.by("bench"));
            double wallMs = (System.nanoTime() - t0) / 1e6;
            System.out.printf(
                Locale.ROOT,
                "| import of %,d %s flags as ONE script | | %.1f ms on the server, %.1f ms wall"
                    + " | |%n",
                size,
                isRich ? "rich (~%d B)".formatted(jedis.strlen("feature:f1")) : "simple",
                commandMicros(jedis, "evalsha") / 1000.0,
                wallMs);
          }
        }
      }
    }
  }

  private static Flag rich(int i) {
    return Flag.builder("f" + i)
        .rule(Rule.when(Clause.in("country", "DE", "FR", "NL")).serve(true))
        .target(true, "vip-1", "vip-2", "vip-3")
        .fallthroughRollout(Rollout.percentage(10))
        .owner("team-payments")
        .description("a flag of the size teams write")
        .build();
  }

  private static Object eval(JedisPooled jedis, LuaScript s, List<String> k, List<String> a) {
    try {
      return jedis.evalsha(s.sha(), k, a);
    } catch (JedisNoScriptException e) {
      return jedis.eval(s.source(), k, a);
    }
  }

  /** Runs {@code CALLS} calls and returns the server's µs per EVALSHA. */
  private static double serverMicros(JedisPooled jedis, IntConsumer call) {
    for (int i = 0; i < 1000; i++) {
      call.accept(i); // warm up, and load the script
    }
    jedis.sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
    for (int i = 0; i < CALLS; i++) {
      call.accept(i);
    }
    return commandMicros(jedis, "evalsha") / (double) CALLS;
  }

  private static long commandMicros(JedisPooled jedis, String command) {
    String info =
        new String(
            (byte[]) jedis.sendCommand(Protocol.Command.INFO, "commandstats"),
            java.nio.charset.StandardCharsets.UTF_8);
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_" + command + ":")) {
        for (String part : line.substring(line.indexOf(':') + 1).split(",")) {
          if (part.startsWith("usec=")) {
            return Long.parseLong(part.substring(5));
          }
        }
      }
    }
    return 0;
  }

  private static void row(String name, double[][] r) {
    double old = median(r[0]);
    double now = median(r[1]);
    System.out.printf(
        Locale.ROOT,
        "| %s | %.1f %s | %.1f %s | %.2f |%n",
        name,
        old,
        round(r[0]),
        now,
        round(r[1]),
        now / old);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static List<String> round(double[] v) {
    List<String> out = new ArrayList<>();
    for (double d : v) {
      out.add(String.format(Locale.ROOT, "%.1f", d));
    }
    return out;
  }
}
