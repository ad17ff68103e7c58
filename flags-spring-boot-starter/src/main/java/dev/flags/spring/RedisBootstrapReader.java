package dev.flags.spring;

import dev.flags.core.FlagSet;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.MalformedFlagException;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisFlagAdmin;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Reads flags from Redis for {@link ConditionSnapshot}: one connection, opened on the first read
 * with a short timeout and kept until {@link #close()}. When Redis cannot be reached, it is not
 * tried again for this context (one timeout, not one per condition). Loaded by name only when
 * flags-redis and Jedis are present. Not thread-safe (the snapshot serialises its calls).
 */
final class RedisBootstrapReader implements OnFlagCondition.BootstrapReader {

  private static final System.Logger LOG = System.getLogger(RedisBootstrapReader.class.getName());

  private final Environment environment;
  private FlagAdmin admin;
  private boolean unreachable;

  RedisBootstrapReader(Environment environment) {
    this.environment = environment;
  }

  @Override
  public Optional<FlagSet> read(String flagKey) {
    if (unreachable) {
      return Optional.empty();
    }
    FlagAdmin connection;
    try {
      connection = admin();
    } catch (RuntimeException e) {
      // Bad settings: start-up reports them (FlagsProperties, RedisSettingsResolver); here,
      // missing.
      LOG.log(
          Level.WARNING,
          "@ConditionalOnFlag(\"{0}\"): cannot connect to Redis ({1}); treating it as missing",
          flagKey,
          e.toString());
      unreachable = true;
      return Optional.empty();
    }
    try {
      return connection.get(flagKey).map(v -> FlagSet.of(v.flag()));
    } catch (IllegalArgumentException | MalformedFlagException malformed) {
      LOG.log(
          Level.WARNING,
          "@ConditionalOnFlag(\"{0}\"): the value in Redis is malformed ({1}); treating it as missing",
          flagKey,
          malformed.toString());
      return Optional.empty();
    } catch (RuntimeException e) {
      // Unreachable or timed out: every condition of this context treats its flag as missing.
      LOG.log(
          Level.WARNING,
          "@ConditionalOnFlag(\"{0}\"): cannot read it from Redis ({1}); treating it as missing",
          flagKey,
          e.toString());
      unreachable = true;
      close();
      return Optional.empty();
    }
  }

  private FlagAdmin admin() {
    if (admin == null) {
      Binder binder = Binder.get(environment);
      Duration timeout =
          binder
              .bind("flags.redis.condition-timeout", Duration.class)
              .orElse(Duration.ofMillis(500));
      RedisConnectionSettings settings = RedisSettingsResolver.resolve(binder).withTimeout(timeout);
      RedisFlagAdmin.Builder builder = RedisFlagAdmin.builder(settings);
      binder.bind("flags.redis.prefix", String.class).ifBound(builder::prefix);
      admin = builder.build();
    }
    return admin;
  }

  @Override
  public void close() {
    if (admin != null) {
      try {
        admin.close();
      } finally {
        admin = null;
      }
    }
  }
}
