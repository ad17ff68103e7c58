package dev.flags.redis;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.ClusterCommandObjects;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.Rawable;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.providers.PooledConnectionProvider;
import redis.clients.jedis.providers.SentineledConnectionProvider;

/**
 * The admin's connections to Redis, where every call has a deadline that bounds all of it:
 * borrowing a connection (opening one when needed), checking it, sending the command and reading
 * the answer. So a frozen server fails a call after its budget, not after a sum of timeouts.
 *
 * <p>A write is sent only on a connection that just answered a {@code PING}, so a failure says
 * truthfully whether the write may have been applied: {@link Failure#sent()} is false when the
 * command never left (no connection, the check failed), true when it was sent and no answer came.
 * An error answer from the server ({@code READONLY}, {@code OOM}, {@code NOPERM}…) means it was not
 * applied. Nothing is ever sent twice; only a read is tried again, once, when its pooled connection
 * turned out dead. A command still blocked writing at its deadline (a large batch to a frozen
 * server) is cut by closing its socket; a command of at most {@link #SMALL_COMMAND} bytes fits in
 * the socket's send buffer, cannot block there, and is bounded by the read timeout alone.
 *
 * <p>Connections are pooled and opened on first use (Sentinel and Cluster discover their nodes
 * then). Thread-safe.
 */
final class AdminConnection implements AutoCloseable {

  /**
   * A call that failed for want of Redis: not reachable, or no answer in time. See the class
   * comment for {@link #sent}.
   */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean sent;
    private final boolean timedOut;

    Failure(String message, boolean sent, boolean timedOut, @Nullable Throwable cause) {
      super(message, cause);
      this.sent = sent;
      this.timedOut = timedOut;
    }

    /** Whether the command was sent, so it may have been applied. */
    boolean sent() {
      return sent;
    }

    /** Whether the call ran out of time (else Redis could not be reached). */
    boolean timedOut() {
      return timedOut;
    }
  }

  /**
   * The largest command sent without a watchdog. A socket accepts at least this much into its send
   * buffer (Linux starts at 16 KiB) even when the server reads nothing, so sending it never blocks.
   * Scheduling and cancelling the watchdog wakes its thread twice per call: measured alone, it was
   * an eighth of a paced admin change's latency (docs/benchmarks.md).
   */
  static final int SMALL_COMMAND = 8 * 1024;

  private final RedisConnectionSettings settings;
  private final Duration connectTimeout;
  private final int poolSize;
  private final CommandObjects commands;
  private final ScheduledThreadPoolExecutor watchdog;
  private @Nullable ConnectionProvider provider; // null until first used, and once closed
  private boolean closed;

  /**
   * @param settings where Redis is
   * @param connectTimeout the timeout of opening one connection (connect, TLS, AUTH, CLIENT
   *     SETNAME); at most the shortest call budget
   * @param poolSize the most connections held at once
   */
  AdminConnection(RedisConnectionSettings settings, Duration connectTimeout, int poolSize) {
    this.settings = settings;
    this.connectTimeout = connectTimeout;
    this.poolSize = poolSize;
    // A Cluster routes a command by the slot of its keys, which only the cluster's arguments carry.
    this.commands =
        settings.mode() == RedisConnectionSettings.Mode.CLUSTER
            ? new ClusterCommandObjects()
            : new CommandObjects();
    this.watchdog =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "flags-redis-admin-deadline");
              t.setDaemon(true);
              return t;
            });
    watchdog.setRemoveOnCancelPolicy(true);
  }

  /** The Jedis command factory, for the caller to build commands with. */
  CommandObjects commands() {
    return commands;
  }

  /** A script runner whose every call ends by {@code deadline} ({@link System#nanoTime()}). */
  ScriptRunner scripts(long deadline, boolean write) {
    return (script, keys, args) -> {
      try {
        return call(commands.evalsha(script.sha(), keys, args), deadline, write);
      } catch (JedisNoScriptException e) {
        // The server does not know the script yet (or was restarted): send its source; EVAL
        // caches it for the next EVALSHA. NOSCRIPT means nothing ran.
        return call(commands.eval(script.source(), keys, args), deadline, write);
      }
    };
  }

  /**
   * Runs one command by {@code deadline}.
   *
   * @throws Failure when Redis could not be reached or did not answer in time
   * @throws JedisDataException when Redis answered with an error (nothing was applied)
   */
  <T> T call(CommandObject<T> command, long deadline, boolean write) {
    boolean retried = false;
    while (true) {
      Connection c = borrow(command, deadline);
      boolean sent = false;
      ScheduledFuture<?> cut = null;
      try {
        if (write && !answersPing(c, deadline)) {
          // A dead pooled connection (after a restart or failover); the write was not sent.
          c.setBroken();
          continue;
        }
        int left = remainingMillis(deadline);
        if (left <= 0) {
          throw new Failure("no answer in time", false, true, null);
        }
        c.setSoTimeout(left);
        if (size(command) > SMALL_COMMAND) {
          cut = watchdog.schedule(c::disconnect, left + 50L, TimeUnit.MILLISECONDS);
        }
        sent = true;
        c.sendCommand(command.getArguments());
        return command.getBuilder().build(c.getOne());
      } catch (JedisMovedDataException moved) {
        // A Cluster slot moved (resharding, failover): the command did not run. Learn the new
        // owner and send it there, within the same deadline.
        if (provider instanceof ClusterConnectionProvider cluster && !retried) {
          retried = true;
          cluster.renewSlotCache(c);
          continue;
        }
        throw moved;
      } catch (JedisDataException answered) {
        throw answered;
      } catch (JedisException e) {
        if (!write && !retried && !isTimeout(e) && remainingMillis(deadline) > 1) {
          // A read on a dead pooled connection (after a restart or failover): try once more.
          retried = true;
          continue;
        }
        throw failure(e, sent);
      } finally {
        if (cut != null && !cut.cancel(false)) {
          // The deadline cut this connection (or is cutting it): never hand it out again.
          c.setBroken();
        }
        c.close();
      }
    }
  }

  /**
   * Sends PING before a write. False when the connection is dead (it failed at once: reset,
   * closed); a failure for want of an answer in time when the server does not answer.
   */
  private boolean answersPing(Connection c, long deadline) {
    int left = remainingMillis(deadline);
    if (left <= 0) {
      throw new Failure("no answer in time", false, true, null);
    }
    try {
      c.setSoTimeout(left);
      c.sendCommand(Protocol.Command.PING);
      c.getOne();
      return true;
    } catch (JedisDataException e) {
      // An error answer (NOAUTH, LOADING…): the server is there; the write meets the same error.
      return true;
    } catch (JedisException e) {
      if (isTimeout(e) || remainingMillis(deadline) <= 1) {
        throw failure(e, false);
      }
      return false;
    }
  }

  /** The bytes of a command's arguments (without the protocol's framing). */
  private static long size(CommandObject<?> command) {
    long n = 0;
    for (Rawable arg : command.getArguments()) {
      n += arg.getRaw().length;
    }
    return n;
  }

  private Connection borrow(CommandObject<?> command, long deadline) {
    if (remainingMillis(deadline) <= 1) {
      throw new Failure("no answer in time", false, true, null);
    }
    try {
      Connection c = provider().getConnection(command.getArguments());
      if (remainingMillis(deadline) <= 1) {
        c.close();
        throw new Failure("no answer in time", false, true, null);
      }
      return c;
    } catch (JedisException e) {
      throw failure(e, false);
    }
  }

  private synchronized ConnectionProvider provider() {
    if (closed) {
      throw new IllegalStateException("admin closed");
    }
    if (provider == null) {
      provider = open();
    }
    return provider;
  }

  private ConnectionProvider open() {
    JedisClientConfig config =
        ClientConfigs.data(settings.withTimeout(connectTimeout), "flags-redis-admin");
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(poolSize);
    pool.setMaxIdle(poolSize);
    pool.setMaxWait(connectTimeout);
    // Writes check their connection themselves (answersPing), within their deadline.
    pool.setTestOnBorrow(false);
    pool.setJmxEnabled(false);
    List<HostAndPort> nodes = settings.nodes().stream().map(ClientConfigs::hostAndPort).toList();
    switch (settings.mode()) {
      case STANDALONE:
        return new PooledConnectionProvider(nodes.get(0), config, pool);
      case SENTINEL:
        {
          int timeout = (int) connectTimeout.toMillis();
          DefaultJedisClientConfig.Builder sb =
              DefaultJedisClientConfig.builder()
                  .connectionTimeoutMillis(timeout)
                  .socketTimeoutMillis(timeout)
                  .clientName("flags-redis-admin");
          settings.sentinelUser().ifPresent(sb::user);
          settings.sentinelPassword().ifPresent(sb::password);
          return new SentineledConnectionProvider(
              settings.masterName().orElseThrow(),
              config,
              pool,
              new LinkedHashSet<>(nodes),
              sb.build());
        }
      case CLUSTER:
        return new ClusterConnectionProvider(new LinkedHashSet<>(nodes), config, pool);
      default:
        throw new IllegalStateException("unknown mode " + settings.mode());
    }
  }

  private static Failure failure(JedisException e, boolean sent) {
    boolean timedOut = isTimeout(e);
    String why =
        timedOut
            ? "no answer in time"
            : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new Failure(why, sent, timedOut, e);
  }

  private static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return true;
      }
      String m = t.getMessage();
      if (m != null && m.toLowerCase(Locale.ROOT).contains("timed out")) {
        return true;
      }
    }
    return false;
  }

  static int remainingMillis(long deadline) {
    long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, ms));
  }

  @Override
  public synchronized void close() {
    closed = true;
    watchdog.shutdownNow();
    if (provider != null) {
      try {
        provider.close();
      } catch (Exception e) {
        // Closing a pool whose server is gone may fail; there is nothing left to release.
      }
      provider = null;
    }
  }
}
