package dev.flags.spring;

import dev.flags.spring.FlagsProperties.Store;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Configuration;

/** The Redis store, when flags-redis and Jedis are on the classpath and the store is redis. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {"dev.flags.redis.RedisFlagStore", "redis.clients.jedis.UnifiedJedis"})
@ConditionalOnFlagStore(Store.REDIS)
class FlagsRedisConfiguration {}
