package dev.flags.testsupport;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.Jedis;

/**
 * A Sentinel-managed Redis for tests: one master, one replica and three Sentinels (quorum 2), all
 * real processes on free ports. {@link #failover()} forces a failover and waits until the Sentinels
 * name the old replica as master.
 *
 * {@snippet :
 * try (RedisSentinelSetup sentinel = RedisSentinelSetup.start()) {
 *   List<String> sentinels = sentinel.sentinelNodes(); // ["127.0.0.1:p1", ...]
 *   sentinel.failover();
 * }
 * }
 *
 * <p>{@link #startWithPasswords} protects the data nodes and the Sentinels with passwords of their
 * own ({@code requirepass}), as production Sentinel deployments do; {@link
 * RedisServerProcess#jedis()} of each process then logs in with its password.
 *
 * <p>Thread-safe.
 */
public final class RedisSentinelSetup implements AutoCloseable {

  /** The master name the Sentinels monitor. */
  public static final String MASTER_NAME = "mymaster";

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final RedisServerProcess master;
  private final RedisServerProcess replica;
  private final List<RedisServerProcess> sentinels = new ArrayList<>();

  private RedisSentinelSetup(RedisServerProcess master, RedisServerProcess replica) {
    this.master = master;
    this.replica = replica;
  }

  /** Starts master, replica and three Sentinels, and waits until the Sentinels know them all. */
  public static RedisSentinelSetup start(String... serverOptions) {
    return start(Optional.empty(), Optional.empty(), Optional.empty(), serverOptions);
  }

  /**
   * Starts master, replica and three Sentinels with passwords: master and replica require {@code
   * serverPassword} (and use it with each other, whichever is master), the Sentinels require {@code
   * sentinelPassword} (of clients and of each other) and know {@code serverPassword} to monitor the
   * master.
   */
  public static RedisSentinelSetup startWithPasswords(
      String serverPassword, String sentinelPassword, String... serverOptions) {
    return start(
        Optional.of(serverPassword),
        Optional.of(sentinelPassword),
        Optional.empty(),
        serverOptions);
  }

  /**
   * Like {@link #startWithPasswords}, and the Sentinels also have the ACL user {@code aclUser} with
   * the password {@code aclPassword} (all commands, all channels), which differs from {@code
   * sentinelPassword}: a client gets in with either, so logging in as that user is provable.
   */
  public static RedisSentinelSetup startWithSentinelAclUser(
      String serverPassword, String sentinelPassword, String aclUser, String aclPassword) {
    return start(
        Optional.of(serverPassword),
        Optional.of(sentinelPassword),
        Optional.of("user " + aclUser + " on >" + aclPassword + " allchannels +@all"));
  }

  private static RedisSentinelSetup start(
      Optional<String> serverPassword,
      Optional<String> sentinelPassword,
      Optional<String> sentinelAclUser,
      String... options) {
    List<String> serverOptions = new ArrayList<>();
    serverPassword.ifPresent(
        pw -> serverOptions.addAll(List.of("--requirepass", pw, "--masterauth", pw)));
    serverOptions.addAll(List.of(options));
    RedisServerProcess master = RedisServerProcess.start(serverOptions.toArray(String[]::new));
    RedisSentinelSetup setup = null;
    try {
      List<String> replicaOptions = new ArrayList<>(serverOptions);
      replicaOptions.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
      RedisServerProcess replica = RedisServerProcess.start(replicaOptions.toArray(String[]::new));
      setup = new RedisSentinelSetup(master, replica);
      waitUntil(
          "replica in sync", () -> info(replica, "replication").contains("master_link_status:up"));
      int masterPort = master.port();
      for (int i = 0; i < 3; i++) {
        setup.sentinels.add(
            RedisServerProcess.startWithConfig(
                false,
                sentinelPassword,
                (port, dir) ->
                    String.join(
                        "\n",
                        "port " + port,
                        "bind 127.0.0.1",
                        "protected-mode no",
                        "dir " + dir,
                        "logfile " + dir.resolve("redis.log"),
                        "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + masterPort + " 2",
                        "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                        "sentinel failover-timeout " + MASTER_NAME + " 5000",
                        "sentinel parallel-syncs " + MASTER_NAME + " 1",
                        serverPassword
                            .map(pw -> "sentinel auth-pass " + MASTER_NAME + " " + pw)
                            .orElse(""),
                        // A Sentinel with a requirepass logs in to the other Sentinels with it too.
                        sentinelPassword.map(pw -> "requirepass " + pw).orElse(""),
                        sentinelAclUser.orElse(""),
                        ""),
                "--sentinel"));
      }
      RedisSentinelSetup s = setup;
      waitUntil(
          "sentinels know the replica and each other",
          () -> {
            for (RedisServerProcess sentinel : s.sentinels) {
              String info = info(sentinel, "sentinel");
              if (!info.contains("slaves=1") || !info.contains("sentinels=3")) {
                return false;
              }
            }
            return true;
          });
      return setup;
    } catch (RuntimeException e) {
      if (setup != null) {
        setup.close();
      } else {
        master.close();
      }
      throw e;
    }
  }

  /** The process started as master (after a failover, the replica). */
  public RedisServerProcess initialMaster() {
    return master;
  }

  /** The process started as replica. */
  public RedisServerProcess initialReplica() {
    return replica;
  }

  /** {@code 127.0.0.1:<port>} of each Sentinel. */
  public List<String> sentinelNodes() {
    return sentinels.stream().map(RedisServerProcess::hostAndPort).toList();
  }

  /** The Sentinel processes. */
  public List<RedisServerProcess> sentinels() {
    return List.copyOf(sentinels);
  }

  /** The port the Sentinels currently name as master. */
  public int currentMasterPort() {
    for (RedisServerProcess s : sentinels) {
      try (Jedis j = s.jedis()) {
        List<String> addr = j.sentinelGetMasterAddrByName(MASTER_NAME);
        return Integer.parseInt(addr.get(1));
      } catch (RuntimeException tryNext) {
        // That Sentinel may be down; ask another.
      }
    }
    throw new IllegalStateException("no Sentinel answered");
  }

  /**
   * Forces a failover ({@code SENTINEL FAILOVER}) and waits until the Sentinels name the other
   * server as master and it accepts writes.
   *
   * @return the new master
   */
  public RedisServerProcess failover() {
    int before = currentMasterPort();
    RedisServerProcess next = before == master.port() ? replica : master;
    try (Jedis j = sentinels.get(0).jedis()) {
      j.sentinelFailover(MASTER_NAME);
    }
    waitUntil(
        "failover to " + next,
        () ->
            currentMasterPort() == next.port()
                && info(next, "replication").contains("role:master"));
    return next;
  }

  /** Stops every process. Idempotent. */
  @Override
  public void close() {
    for (RedisServerProcess s : sentinels) {
      s.close();
    }
    replica.close();
    master.close();
  }

  static String info(RedisServerProcess p, String section) {
    try (Jedis j = p.jedis()) {
      return j.info(section);
    }
  }

  static void waitUntil(String what, java.util.function.BooleanSupplier condition) {
    // A node may refuse connections while it starts or fails over: keep asking until TIMEOUT.
    await(what)
        .atMost(TIMEOUT)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(condition::getAsBoolean);
  }
}
