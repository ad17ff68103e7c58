package dev.flags.micronaut;

import dev.flags.core.Flag;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.redis.RedisFlagAdmin;
import io.micronaut.context.BeanContext;

/**
 * Endpoint writes through the Redis {@link FlagAdmin} ({@link RedisFlagAdmin}); loaded only with
 * the Redis store.
 */
final class RedisWrites {

  private RedisWrites() {}

  static Flag apply(
      BeanContext beanContext,
      String flagKey,
      FlagWrites.Change change,
      String actor,
      String reason) {
    FlagAdmin admin = beanContext.getBean(FlagAdmin.class);
    if (change instanceof FlagWrites.SetOn s) {
      return admin.setOn(flagKey, s.on(), Change.by(actor).because(reason)).flag();
    } else if (change instanceof FlagWrites.SetRollout r) {
      return admin
          .setRolloutPercentage(flagKey, r.percent(), Change.by(actor).because(reason))
          .flag();
    }
    FlagWrites.AddTargets t = (FlagWrites.AddTargets) change;
    return admin
        .addTargets(flagKey, t.variation(), t.keys(), Change.by(actor).because(reason))
        .flag();
  }
}
