package dev.flags.redis;

import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.Segment;
import dev.flags.core.json.FlagCodec;
import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.FlagStoreContractTest;
import dev.flags.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import redis.clients.jedis.Jedis;

/**
 * The store contract, against a real redis-server. The source is changed the way an operator would,
 * with raw commands ({@code SET feature:beta …}), so this also proves that raw edits reach the
 * store through keyspace notifications, unindexed keys included.
 */
class RedisFlagStoreContractTest extends FlagStoreContractTest {

  private static RedisServerProcess redis;
  private static final FlagCodec CODEC = FlagCodec.standard();

  private static synchronized RedisServerProcess redis() {
    if (redis == null) {
      redis = RedisServerProcess.start("--notify-keyspace-events", "K$g");
    }
    return redis;
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
      redis = null;
    }
  }

  @Override
  protected FlagStore createStore(FlagSet initial) {
    try (Jedis j = redis().jedis()) {
      j.flushAll();
      for (Flag f : initial.flags().values()) {
        j.set("feature:" + f.key(), CODEC.encode(f));
        j.sadd("feature:#index", f.key());
      }
      for (Segment s : initial.segments().values()) {
        j.set("feature:#segment:" + s.key(), CODEC.encode(s));
        j.sadd("feature:#segments", s.key());
      }
    }
    return RedisFlagStore.builder(RedisConnectionSettings.standalone(redis().uri())).build();
  }

  @Override
  protected void writeFlag(Flag flag) {
    try (Jedis j = redis().jedis()) {
      j.set("feature:" + flag.key(), CODEC.encode(flag));
    }
  }

  @Override
  protected void removeFlag(String key) {
    try (Jedis j = redis().jedis()) {
      j.del("feature:" + key);
    }
  }

  @Override
  protected void writeSegment(Segment segment) {
    try (Jedis j = redis().jedis()) {
      j.set("feature:#segment:" + segment.key(), CODEC.encode(segment));
    }
  }

  @Override
  protected void removeSegment(String key) {
    try (Jedis j = redis().jedis()) {
      j.del("feature:#segment:" + key);
    }
  }

  @Override
  protected MalformedHandling malformedHandling() {
    return MalformedHandling.PER_FLAG;
  }

  @Override
  protected void writeMalformedFlag(String key) {
    try (Jedis j = redis().jedis()) {
      j.set("feature:" + key, "{\"variations\": [true, false], \"offVariation\": 7");
    }
  }

  @Override
  protected boolean isStoreThread(Thread thread) {
    // commons-pool's evictor is a shared JVM-wide timer, not the store's.
    return super.isStoreThread(thread) && !thread.getName().startsWith("commons-pool-");
  }
}
