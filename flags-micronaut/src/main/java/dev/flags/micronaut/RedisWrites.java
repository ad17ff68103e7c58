package dev.flags.micronaut;

import dev.flags.core.Flag;
import dev.flags.redis.RedisFlagAdmin;
import io.micronaut.context.BeanContext;

/** Endpoint writes through {@link RedisFlagAdmin}; loaded only with the Redis store. */
final class RedisWrites {

  private RedisWrites() {}

  static Flag apply(
      BeanContext beanContext,
      String flagKey,
      FlagWrites.Change change,
      String actor,
      String reason) {
    RedisFlagAdmin admin = beanContext.getBean(RedisFlagAdmin.class);
    if (change instanceof FlagWrites.SetOn s) {
      return admin.setOn(flagKey, s.on(), actor, reason).flag();
    } else if (change instanceof FlagWrites.SetRollout r) {
      return admin.setRolloutPercentage(flagKey, r.percent(), actor, reason).flag();
    }
    FlagWrites.AddTargets t = (FlagWrites.AddTargets) change;
    return admin.addTargets(flagKey, t.variation(), t.keys(), actor, reason).flag();
  }
}
