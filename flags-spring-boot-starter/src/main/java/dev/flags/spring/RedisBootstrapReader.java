package dev.flags.spring;

import dev.flags.core.FlagSet;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisFlagAdmin;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * One read of one flag from Redis for {@link OnFlagCondition}, with a short timeout. Loaded by name
 * only when flags-redis and Jedis are present.
 */
final class RedisBootstrapReader implements OnFlagCondition.BootstrapReader {

  private static final System.Logger LOG = System.getLogger(RedisBootstrapReader.class.getName());

  @Override
  public Optional<FlagSet> read(String flagKey, Environment environment) {
    Binder binder = Binder.get(environment);
    Duration timeout = binder.bind("flags.redis.condition-timeout", Duration.class).orElse(Duration.ofMillis(500));
    RedisConnectionSettings settings = RedisSettingsResolver.resolve(binder).withTimeout(timeout);
    RedisFlagAdmin.Builder builder = RedisFlagAdmin.builder(settings);
    binder.bind("flags.redis.prefix", String.class).ifBound(builder::prefix);
    try (RedisFlagAdmin admin = builder.build()) {
      return admin.get(flagKey).map(v -> FlagSet.of(v.flag()));
    } catch (RuntimeException e) {
      // Unreachable, timed out, or a malformed value: the condition treats the flag as missing.
      LOG.log(Level.WARNING, "@ConditionalOnFlag(\"{0}\"): cannot read it from Redis ({1}); treating it as missing",
          flagKey, e.toString());
      return Optional.empty();
    }
  }
}
