package dev.flags.redis;

import static org.awaitility.Awaitility.await;

import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.FlagAdminContractTest;
import dev.flags.testsupport.RedisServerProcess;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.Jedis;

/**
 * The shared admin contract on a real redis-server, with a store running beside the admin as in
 * production: it hears raw edits through keyspace notifications and indexes raw keys.
 */
class RedisFlagAdminContractTest extends FlagAdminContractTest {

  private static RedisServerProcess redis;
  private Flags flags;

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start("--notify-keyspace-events", "K$g");
  }

  @AfterAll
  static void stopRedis() {
    try {
      RedisFlagStoreTest.assertNeverKeys(redis); // its stores adopt raw keys with one SCAN
    } finally {
      redis.close();
    }
  }

  @Override
  protected FlagAdmin createAdmin() {
    try (Jedis j = redis.jedis()) {
      j.flushAll();
    }
    RedisConnectionSettings settings = RedisConnectionSettings.standalone(redis.uri());
    flags = Flags.builder().store(RedisFlagStore.builder(settings).build()).build();
    await().atMost(Duration.ofSeconds(15)).until(() -> flags.status() == StoreStatus.OK);
    return RedisFlagAdmin.builder(settings).build();
  }

  /** A plain SET, as redis-cli does; the running store indexes a new key when it hears it. */
  @Override
  protected void writeRaw(String flagKey, String value) {
    try (Jedis j = redis.jedis()) {
      j.set("feature:" + flagKey, value);
      await().atMost(Duration.ofSeconds(5)).until(() -> j.sismember("feature:#index", flagKey));
    }
  }

  @Override
  protected void closeStore() {
    flags.close();
  }
}
