package dev.flags.cli;

import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.StoreUnavailableException;
import dev.flags.core.spi.FlagStore;
import dev.flags.redis.GuardedRollouts;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisFlagAdmin;
import dev.flags.redis.RedisFlagStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The Redis backend, and the one place flagctl names flags-redis's types: the connection settings,
 * {@code RedisFlagAdmin} (writes) and {@code RedisFlagStore} (watch, adopt).
 */
final class RedisStores {

  /** How long adopt waits for the store to index what it found. */
  static final Duration ADOPT_WAIT = Duration.ofSeconds(10);

  private RedisStores() {}

  static Backend open(Settings s, Clock clock, Duration timeout) {
    Logs.quiet();
    RedisConnectionSettings connection = connection(s, timeout);
    Optional<String> prefix = s.get(Key.PREFIX);
    FlagAdmin admin = admin(connection, prefix);
    Supplier<FlagStore> stores = () -> store(connection, prefix);
    return new AdminBackend(
        admin,
        stores,
        () -> adopt(admin, stores, timeout),
        clock,
        Optional::empty,
        false,
        Optional.of(rollouts(connection, prefix)));
  }

  /**
   * Guarded rollouts' state through flags-redis's controller, built on first use and never started:
   * status, pause, resume and abort work from any process, without the lease.
   */
  static AdminBackend.RolloutControl rollouts(
      RedisConnectionSettings connection, Optional<String> prefix) {
    AtomicReference<GuardedRollouts> made = new AtomicReference<>();
    Supplier<GuardedRollouts> controller =
        () -> {
          if (made.get() == null) {
            GuardedRollouts.Builder b = GuardedRollouts.builder(connection);
            prefix.ifPresent(b::prefix);
            made.set(redis(false, b::build));
          }
          return made.get();
        };
    return new AdminBackend.RolloutControl(
        key -> planStatus(redis(false, () -> controller.get().status(key))),
        (key, action, actor, reason) ->
            redis(
                true,
                () ->
                    switch (action) {
                      case "pause" -> controller.get().pause(key, actor, reason);
                      case "resume" -> controller.get().resume(key, actor, reason);
                      case "restart" -> controller.get().restart(key, actor, reason);
                      default -> controller.get().abort(key, actor, reason);
                    }),
        () -> {
          if (made.get() != null) {
            made.get().close();
          }
        });
  }

  private static PlanStatus planStatus(GuardedRollouts.Status s) {
    return new PlanStatus(
        s.state().name().toLowerCase(Locale.ROOT).replace('_', '-'),
        s.step(),
        s.stepStartedAt(),
        s.note(),
        s.lastVerdict().map(v -> new PlanStatus.Verdict(v.outcome(), v.detail(), v.at())));
  }

  /**
   * Runs a call on Redis: Jedis's exceptions (flags-redis's dependency, so named by package) are an
   * unreachable store, exit 4.
   */
  private static <T> T redis(boolean write, Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      if (e.getClass().getName().startsWith("redis.clients.")) {
        throw new StoreUnavailableException(
            "the guarded rollouts' state in Redis cannot be reached: " + e.getMessage(), write, e);
      }
      throw e;
    }
  }

  static RedisConnectionSettings connection(Settings s, Duration timeout) {
    RedisConnectionSettings c;
    try {
      if (s.get(Key.SENTINEL_MASTER).isPresent()) {
        List<String> nodes =
            s.get(Key.SENTINEL_NODES)
                .map(RedisStores::list)
                .orElseThrow(
                    () ->
                        CliException.invalid(
                            "--sentinel-master needs the Sentinels: --sentinel HOST:PORT,… (or"
                                + " FLAGCTL_SENTINEL_NODES, or sentinel-nodes in the profile)"));
        c = RedisConnectionSettings.sentinel(s.get(Key.SENTINEL_MASTER).orElseThrow(), nodes);
        if (s.get(Key.SENTINEL_USER).isPresent()) {
          c = c.withSentinelUser(s.get(Key.SENTINEL_USER).orElseThrow());
        }
        if (s.get(Key.SENTINEL_PASSWORD).isPresent()) {
          c = c.withSentinelPassword(s.get(Key.SENTINEL_PASSWORD).orElseThrow());
        }
      } else if (s.get(Key.CLUSTER_NODES).isPresent()) {
        c = RedisConnectionSettings.cluster(list(s.get(Key.CLUSTER_NODES).orElseThrow()));
      } else {
        c = RedisConnectionSettings.standalone(s.get(Key.REDIS).orElseThrow());
      }
      if (s.get(Key.REDIS_USER).isPresent()) {
        c = c.withUser(s.get(Key.REDIS_USER).orElseThrow());
      }
      if (s.get(Key.REDIS_PASSWORD).isPresent()) {
        c = c.withPassword(s.get(Key.REDIS_PASSWORD).orElseThrow());
      }
      if (s.get(Key.TLS).isPresent() && bool(s, Key.TLS)) {
        c = c.withSsl(true);
      }
      if (s.get(Key.VERIFY_HOSTNAME).isPresent()) {
        c = c.withVerifyHostname(bool(s, Key.VERIFY_HOSTNAME));
      }
      return c.withTimeout(timeout);
    } catch (CliException e) {
      throw e;
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw CliException.invalid("Redis settings: " + e.getMessage());
    }
  }

  private static List<String> list(String nodes) {
    return Arrays.stream(nodes.split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList();
  }

  private static boolean bool(Settings s, Key k) {
    String v = s.get(k).orElse("").toLowerCase(Locale.ROOT);
    if (v.equals("true") || v.equals("yes") || v.equals("on")) {
      return true;
    }
    if (v.equals("false") || v.equals("no") || v.equals("off")) {
      return false;
    }
    throw CliException.invalid(
        k.profileName() + " (" + s.sources().get(k) + "): write true or false, not \"" + v + "\"");
  }

  /** flags-redis's admin: flags-core's {@link FlagAdmin} over Redis. */
  static FlagAdmin admin(RedisConnectionSettings connection, Optional<String> prefix) {
    RedisFlagAdmin.Builder b = RedisFlagAdmin.builder(connection);
    prefix.ifPresent(b::prefix);
    return b.build();
  }

  /**
   * How often watch's store compares itself with Redis in full, besides pub/sub and keyspace
   * notifications: a change those miss (notifications off, a write while it subscribes) shows
   * within this time.
   */
  static final Duration WATCH_SYNC = Duration.ofSeconds(5);

  static FlagStore store(RedisConnectionSettings connection, Optional<String> prefix) {
    RedisFlagStore.Builder b = RedisFlagStore.builder(connection).syncInterval(WATCH_SYNC);
    if (prefix.isPresent()) {
      b.prefix(prefix.get());
    }
    return b.build();
  }

  /**
   * Starts a store over the same keys (it adopts the raw keys it finds at start-up, indexing each
   * with a version and an audit entry), waits until the index lists what the store serves, and
   * tells which keys were new to the index.
   */
  static List<String> adopt(FlagAdmin admin, Supplier<FlagStore> stores, Duration timeout) {
    Set<String> before = keys(admin);
    Set<String> served;
    try (Flags flags = Flags.builder().store(stores.get()).build()) {
      if (!flags.awaitInitialization(timeout.plusSeconds(5))) {
        throw CliException.unreachable(
            "cannot adopt: the store did not load in time (" + flags.statusDetail() + ")");
      }
      served = flags.allFlags().stream().map(Flag::key).collect(Collectors.toSet());
      Instant deadline = Instant.now().plus(ADOPT_WAIT);
      while (!keys(admin).containsAll(served) && Instant.now().isBefore(deadline)) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    Set<String> after = keys(admin);
    Set<String> missing = new TreeSet<>(served);
    missing.removeAll(after);
    if (!missing.isEmpty()) {
      throw CliException.unreachable(
          "the store serves flags the index still lacks after "
              + ADOPT_WAIT.toSeconds()
              + " s: "
              + String.join(", ", missing)
              + "; run flagctl adopt again");
    }
    after.removeAll(before);
    return List.copyOf(after);
  }

  private static Set<String> keys(FlagAdmin admin) {
    return admin.list().stream()
        .map(dev.flags.core.admin.FlagRecord::key)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
