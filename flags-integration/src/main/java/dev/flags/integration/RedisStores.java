package dev.flags.integration;

import dev.flags.core.Flag;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.MalformedFlagException;
import dev.flags.core.admin.StoreUnavailableException;
import dev.flags.core.admin.VersionedFlag;
import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.OutcomeSink;
import dev.flags.redis.GuardedRollouts;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisFlagAdmin;
import dev.flags.redis.RedisFlagStore;
import dev.flags.redis.RedisOutcomeSink;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Everything of this module that names a flags-redis type: the connection, the store and the admin
 * built from {@code flags.redis.*}. Loaded only after {@link Classes#redisPresent()} said yes, so
 * flags-redis stays an optional dependency; the rest of the module sees only core types.
 */
final class RedisStores {

  private RedisStores() {}

  /**
   * How to reach Redis.
   *
   * @throws FlagsConfigurationException naming the property at fault
   */
  static RedisConnectionSettings connection(FlagsSettings.Redis redis) {
    RedisConnectionSettings settings;
    if (redis.url().isPresent()) {
      String url = redis.url().get();
      settings =
          build(
              Setting.REDIS_URL,
              FlagsSettings.maskUrl(url),
              () -> RedisConnectionSettings.standalone(url),
              "Use redis://[[user]:password@]host[:port][/database], or rediss://... for TLS.");
    } else if (redis.sentinel().isSet()) {
      FlagsSettings.Sentinel s = redis.sentinel();
      settings =
          build(
              Setting.REDIS_SENTINEL_NODES,
              String.join(",", s.nodes()),
              () -> RedisConnectionSettings.sentinel(s.master().orElseThrow(), s.nodes()),
              "List the Sentinels as host:port,host:port.");
      // The Sentinels' own credentials, apart from the master's below.
      if (s.password().isPresent()) {
        settings = settings.withSentinelPassword(s.password().get());
      }
      if (s.username().isPresent()) {
        settings = settings.withSentinelUser(s.username().get());
      }
    } else {
      settings =
          build(
              Setting.REDIS_CLUSTER_NODES,
              String.join(",", redis.clusterNodes()),
              () -> RedisConnectionSettings.cluster(redis.clusterNodes()),
              "List some Cluster nodes as host:port,host:port.");
    }
    RedisConnectionSettings base = settings;
    if (redis.password().isPresent()) {
      base =
          build(
              Setting.REDIS_PASSWORD,
              "****",
              withPassword(base, redis.password().get()),
              "Set flags.redis.password to the password of the data nodes.");
    }
    if (redis.username().isPresent()) {
      RedisConnectionSettings b = base;
      base =
          build(
              Setting.REDIS_USERNAME,
              redis.username().orElseThrow(),
              () -> b.withUser(redis.username().orElseThrow()),
              "Set flags.redis.username to a Redis ACL user.");
    }
    if (redis.ssl().isPresent()) {
      base = base.withSsl(redis.ssl().get());
    }
    if (redis.verifyHostname()) {
      base = base.withVerifyHostname(true);
    }
    RedisConnectionSettings b = base;
    return build(
        Setting.REDIS_TIMEOUT,
        Durations.format(redis.timeout()),
        () -> b.withTimeout(redis.timeout()),
        "Set flags.redis.timeout to a positive duration such as 2s.");
  }

  private static Supplier<RedisConnectionSettings> withPassword(
      RedisConnectionSettings s, String password) {
    return () -> s.withPassword(password);
  }

  /**
   * The Redis store, not started.
   *
   * @throws FlagsConfigurationException naming the property at fault
   */
  static FlagStore store(FlagsSettings.Redis redis, Clock clock) {
    RedisConnectionSettings connection = connection(redis);
    RedisFlagStore.Builder builder =
        build(
            Setting.REDIS_USERNAME,
            redis.username().orElse(""),
            () -> RedisFlagStore.builder(connection),
            "Set flags.redis.password with the user (or a URL with user and password).");
    if (redis.prefix().isPresent()) {
      build(
          Setting.REDIS_PREFIX,
          redis.prefix().orElseThrow(),
          () -> builder.prefix(redis.prefix().orElseThrow()),
          "Use a prefix such as feature: (on a Cluster, with a hash tag: {feature}:).");
    }
    builder.syncInterval(redis.syncInterval());
    builder.enableKeyspaceNotifications(redis.keyspaceNotifications());
    if (redis.snapshotFile().isPresent()) {
      try {
        builder.snapshotFile(Path.of(redis.snapshotFile().get()));
      } catch (InvalidPathException e) {
        throw new FlagsConfigurationException(
            Setting.REDIS_SNAPSHOT_FILE.key(),
            redis.snapshotFile().get(),
            "is not a valid path: " + e.getReason(),
            "Set flags.redis.snapshot-file to a file the application may write.");
      }
    }
    return builder
        .adoptRawKeysAtStart(redis.adoptRawKeys())
        .warmUpChangePath(redis.warmUpChangePath())
        .restoreAfterDataLoss(redis.restoreOnDataLoss())
        .instanceName(redis.instanceName())
        .clock(clock)
        .build();
  }

  /** The write API over Redis, with the store's prefix and the write timeout. */
  static FlagAdmin admin(FlagsSettings.Redis redis) {
    RedisFlagAdmin.Builder b = RedisFlagAdmin.builder(connection(redis));
    redis.prefix().ifPresent(b::prefix);
    return b.writeTimeout(redis.writeTimeout()).build();
  }

  /** The sink that flushes this instance's outcomes to Redis, with the store's prefix. */
  static OutcomeSink outcomeSink(FlagsSettings.Redis redis) {
    RedisOutcomeSink.Builder b = RedisOutcomeSink.builder(connection(redis));
    redis.prefix().ifPresent(b::prefix);
    return b.build();
  }

  /**
   * The guarded rollouts' controller, started when {@code start} (it then leads when it gets the
   * lease); not started, it only reads and sets plans' states. Hold times use Redis's clock, unless
   * {@code clock} is not the system's (a test's): outcomes are stamped with the client's clock, so
   * the controller must then read time by it too.
   */
  static AutoCloseable guardedRollouts(FlagsSettings settings, Clock clock, boolean start) {
    GuardedRollouts.Builder b = GuardedRollouts.builder(connection(settings.redis()));
    settings.redis().prefix().ifPresent(b::prefix);
    b.checkInterval(settings.guardedRollouts().checkInterval());
    if (!SYSTEM_CLOCK.isInstance(clock)) {
      b.clock(clock);
    }
    GuardedRollouts built = b.build();
    return start ? built.start() : built;
  }

  /** The class of {@link Clock#systemUTC()} and {@link Clock#systemDefaultZone()}. */
  private static final Class<?> SYSTEM_CLOCK = Clock.systemUTC().getClass();

  /**
   * A reader of single flags for start-up conditions: one connection, opened on the first read,
   * waiting at most {@code flags.redis.condition-timeout} for each answer.
   */
  static Reader reader(FlagsSettings.Redis redis) {
    return new Reader(redis);
  }

  /** A flag's value in Redis does not read. */
  static final class UnreadableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnreadableException(String message) {
      super(message, null, false, false);
    }
  }

  /** Reads flags one by one over one admin connection. Not thread-safe. */
  static final class Reader {
    private final FlagsSettings.Redis redis;
    private @Nullable FlagAdmin admin;

    private Reader(FlagsSettings.Redis redis) {
      this.redis = redis;
    }

    /**
     * The flag, or empty when Redis has no such key.
     *
     * @throws UnreadableException when the value does not read (or the key is no flag key)
     * @throws RuntimeException when Redis cannot be reached in time
     */
    Optional<Flag> read(String key) {
      if (admin == null) {
        RedisFlagAdmin.Builder b =
            RedisFlagAdmin.builder(connection(redis).withTimeout(redis.conditionTimeout()));
        redis.prefix().ifPresent(b::prefix);
        admin = b.writeTimeout(redis.conditionTimeout()).build();
      }
      FlagAdmin reader = admin;
      try {
        return reader.get(key).map(VersionedFlag::flag);
      } catch (MalformedFlagException | IllegalArgumentException e) {
        throw new UnreadableException(sanitize(e.getMessage()));
      }
    }

    void close() {
      if (admin != null) {
        try {
          admin.close();
        } finally {
          admin = null;
        }
      }
    }
  }

  /**
   * The live side of guarded rollouts for the admin API and the dashboard, over a controller (it
   * need not be started, nor lead: status, pause, resume and abort work from any instance).
   */
  static RolloutPlans rolloutPlans(GuardedRollouts controller) {
    return new Plans(controller);
  }

  /**
   * {@link #rolloutPlans(GuardedRollouts)} for code that holds the controller without naming its
   * type (everything but this class: flags-redis is optional).
   *
   * @throws IllegalArgumentException if {@code controller} is not a {@link GuardedRollouts}
   */
  static RolloutPlans rolloutPlans(AutoCloseable controller) {
    if (controller instanceof GuardedRollouts g) {
      return new Plans(g);
    }
    throw new IllegalArgumentException(
        "controller: a GuardedRollouts, got " + controller.getClass().getName());
  }

  /** {@link RolloutPlans} over {@link GuardedRollouts}; Redis's failures as the admin's. */
  private static final class Plans implements RolloutPlans {
    private final GuardedRollouts controller;

    Plans(GuardedRollouts controller) {
      this.controller = java.util.Objects.requireNonNull(controller, "controller");
    }

    @Override
    public Status status(String flagKey) {
      GuardedRollouts.Status s = redis(false, () -> controller.status(flagKey));
      return new Status(
          State.valueOf(s.state().name()),
          s.step(),
          s.stepStartedAt(),
          s.note(),
          s.lastVerdict().map(v -> new Verdict(v.outcome(), v.detail(), v.at())));
    }

    @Override
    public boolean pause(String flagKey, String actor, String reason) {
      return redis(true, () -> controller.pause(flagKey, actor, reason));
    }

    @Override
    public boolean resume(String flagKey, String actor, String reason) {
      return redis(true, () -> controller.resume(flagKey, actor, reason));
    }

    @Override
    public boolean abort(String flagKey, String actor, String reason) {
      return redis(true, () -> controller.abort(flagKey, actor, reason));
    }

    @Override
    public boolean restart(String flagKey, String actor, String reason) {
      return redis(true, () -> controller.restart(flagKey, actor, reason));
    }

    @Override
    public String toString() {
      return "RolloutPlans over a GuardedRollouts controller ("
          + (controller.isLeader() ? "leading" : "not leading")
          + ")";
    }

    /**
     * Runs a call on Redis; Jedis's exceptions (Redis unreachable, a timeout) become {@link
     * StoreUnavailableException}, named by package because Jedis is flags-redis's dependency, not
     * this module's.
     */
    private static <T> T redis(boolean write, Supplier<T> call) {
      try {
        return call.get();
      } catch (RuntimeException e) {
        if (e.getClass().getName().startsWith("redis.clients.")) {
          throw new StoreUnavailableException(
              "the guarded rollouts' state in Redis cannot be reached: " + sanitize(e.getMessage()),
              write,
              null);
        }
        throw e;
      }
    }
  }

  /** When the Redis store last knew it matched Redis, if {@code store} is one. */
  static Optional<Instant> lastSync(FlagStore store) {
    return store instanceof RedisFlagStore redis ? redis.stats().lastSync() : Optional.empty();
  }

  /** Where the flags are, for people: the address with no secret, and the prefix. */
  static String describe(FlagsSettings.Redis redis) {
    String where =
        redis.url().isPresent()
            ? FlagsSettings.maskUrl(redis.url().get())
            : redis.sentinel().isSet()
                ? "sentinel "
                    + redis.sentinel().master().orElse("")
                    + " "
                    + redis.sentinel().nodes()
                : "cluster " + redis.clusterNodes();
    return "redis " + where + redis.prefix().map(p -> " prefix " + p).orElse("");
  }

  private static <T> T build(Setting setting, String shown, Supplier<T> build, String fix) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      // No cause: flags-redis may quote a URL whole in its message, and a cause is printed.
      throw new FlagsConfigurationException(setting.key(), shown, sanitize(e.getMessage()), fix);
    }
  }

  /** A message of flags-redis with any URL's user information hidden. */
  private static String sanitize(@Nullable String message) {
    return FlagsSettings.maskUrl(String.valueOf(message).replace("\n", " "));
  }
}
