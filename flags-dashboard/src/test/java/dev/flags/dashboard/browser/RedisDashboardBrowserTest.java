package dev.flags.dashboard.browser;

import dev.flags.testsupport.RedisServerProcess;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/** The dashboard over Redis: writes through the Redis admin, live updates through pub/sub. */
class RedisDashboardBrowserTest extends DashboardBrowserTest {

  private RedisServerProcess redis;

  @Override
  Map<String, String> storeSettings() {
    redis = RedisServerProcess.start();
    return Map.of(
        "flags.store", "redis",
        "flags.redis.url", redis.uri(),
        "flags.redis.keyspace-notifications", "true",
        "flags.redis.instance-name", "dashboard-test");
  }

  @Override
  void rawSetOff(String key) {
    // What the on-call engineer types: redis-cli SET feature:<key> false
    try (var jedis = redis.jedis()) {
      jedis.set("feature:" + key, "false");
    }
  }

  @Override
  boolean takesScreenshots() {
    return false;
  }

  @AfterAll
  void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }
}
