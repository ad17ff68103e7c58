package dev.flags.redis;

import java.util.List;

/**
 * Runs a Lua script on Redis (EVALSHA, loading it when the server does not know it yet): the
 * store's pooled client ({@code RedisConnections::evalScript}) or the admin's bounded one. Replies
 * come back as Jedis' encoded objects: {@code String}, {@code Long}, {@code List}, {@code null}.
 */
@FunctionalInterface
interface ScriptRunner {

  Object eval(LuaScript script, List<String> keys, List<String> args);
}
