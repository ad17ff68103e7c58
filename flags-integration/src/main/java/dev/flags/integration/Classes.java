package dev.flags.integration;

/**
 * Which optional libraries are on the classpath, checked by name so that none of their classes is
 * loaded before it is known to be there.
 */
final class Classes {

  /** The Redis store's class, from {@code dev.flags:flags-redis}. */
  static final String REDIS_STORE = "dev.flags.redis.RedisFlagStore";

  /** Jedis, which flags-redis needs (an application may exclude it). */
  static final String JEDIS = "redis.clients.jedis.UnifiedJedis";

  private Classes() {}

  /** Whether flags-redis and Jedis are both present. */
  static boolean redisPresent() {
    return present(REDIS_STORE) && present(JEDIS);
  }

  static boolean present(String className) {
    try {
      Class.forName(className, false, Classes.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
