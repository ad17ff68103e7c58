package dev.flags.redis;

import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.RampProperties;
import dev.flags.testsupport.RedisServerProcess;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@link RampProperties} through the Redis write path: every ramp is written by the write script
 * and read back from Redis before its users are compared (fewer tries than in memory: each is a few
 * round trips to a real redis-server).
 */
@PropertyDefaults(tries = 20)
class RedisRampProperties extends RampProperties {

  private static RedisServerProcess redis;
  private FlagAdmin admin;

  @BeforeContainer
  static void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterContainer
  static void stopRedis() {
    redis.close();
  }

  @Override
  protected FlagAdmin admin() {
    if (admin == null) {
      admin = RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build();
    }
    return admin;
  }

  @AfterProperty
  void closeAdmin() {
    if (admin != null) {
      admin.close();
    }
  }
}
