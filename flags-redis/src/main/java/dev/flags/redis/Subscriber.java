package dev.flags.redis;

import java.lang.System.Logger.Level;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The subscriber thread: one dedicated connection (to the master holding the flags) subscribed to
 * the changes channel and to the keyspace notifications of the flag and segment keys (never the
 * internal ones), reconnecting with backoff. It only reads and frames what arrives, and hands it to
 * {@link Events}.
 *
 * <p>Thread-safe: {@link #start()}, {@link #breakConnection()} and {@link #close()} may be called
 * from any thread.
 */
final class Subscriber {

  /** What the subscriber hears, called on its thread. */
  interface Events {
    /** Subscribed to every pattern (again, after a reconnection). */
    void subscribed();

    /** The subscription broke; the subscriber reconnects on its own. */
    void lost(Throwable cause);

    /** A message on the changes channel. */
    void invalidated(Invalidation message);

    /** A keyspace notification of a flag or segment key was heard (it is passed on later). */
    void notificationHeard();

    /**
     * Keyspace notifications for these flag or segment keys (their cache keys), in the order heard,
     * once nothing more is buffered and no message that followed carried their value.
     */
    void keysTouched(Set<String> cacheKeys);
  }

  private static final long INITIAL_BACKOFF_MS = 50;

  /** The changes channel, the flag keys' notifications and the segment keys'. */
  private static final int PATTERNS = 3;

  private final RedisLayout layout;
  private final int database;
  private final boolean enableKeyspaceNotifications;
  private final long maxBackoffMs;
  private final Supplier<RedisConnections> connections;
  private final Events events;
  private final AtomicBoolean closed = new AtomicBoolean();

  private volatile @Nullable Thread thread;
  private volatile @Nullable SubscriberConnection connection;

  /** Subscriber thread only: keys notified, not yet passed on (see {@link #passOnNotified}). */
  private final Set<String> notified = new LinkedHashSet<>();

  private volatile @Nullable JedisPubSub pubSub;
  private volatile boolean keyspaceOn;
  private boolean keyspaceWarned; // subscriber thread only

  Subscriber(
      RedisLayout layout,
      int database,
      boolean enableKeyspaceNotifications,
      long maxBackoffMs,
      Supplier<RedisConnections> connections,
      Events events) {
    this.layout = layout;
    this.database = database;
    this.enableKeyspaceNotifications = enableKeyspaceNotifications;
    this.maxBackoffMs = maxBackoffMs;
    this.connections = connections;
    this.events = events;
  }

  /** Whether the server was seen with keyspace notifications on for string keys. */
  boolean keyspaceOn() {
    return keyspaceOn;
  }

  /** Starts the thread, once. */
  synchronized void start() {
    if (thread != null || closed.get()) {
      return;
    }
    Thread t = new Thread(this::loop, "flags-redis-subscriber");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /**
   * Closes the current connection, so the subscriber reconnects: it reads with no timeout, so a
   * half-open connection (a partition, a frozen server) would never fail on its own.
   */
  void breakConnection() {
    closeQuietly(connection);
  }

  /** Stops the thread and closes its connection. Idempotent. */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    JedisPubSub ps = pubSub;
    if (ps != null) {
      try {
        ps.punsubscribe();
      } catch (RuntimeException e) {
        // The connection may already be gone; closing it below ends the subscriber either way.
      }
    }
    closeQuietly(connection);
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void loop() {
    long backoff = INITIAL_BACKOFF_MS;
    while (!closed.get()) {
      SubscriberConnection c = null;
      notified.clear(); // a new subscription resyncs everything
      try {
        c = connections.get().openDedicated(layout.index);
        connection = c;
        if (closed.get()) {
          break;
        }
        keyspaceOn = configureKeyspaceNotifications(c);
        Listener listener = new Listener();
        pubSub = listener;
        listener.proceedWithPatterns(
            c,
            layout.channelPattern(),
            layout.keyspacePattern(database),
            layout.segmentKeyspacePattern(database));
        backoff = INITIAL_BACKOFF_MS;
      } catch (RuntimeException | Error e) { // an Error (a huge message) must not end the thread
        if (closed.get()) {
          break;
        }
        backoff = Math.min(backoff * 2, maxBackoffMs);
        try {
          events.lost(e);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
          break;
        }
      } finally {
        pubSub = null;
        connection = null;
        closeQuietly(c);
      }
      if (closed.get()) {
        break;
      }
      try {
        // A pause between attempts, not a wait for a condition: the server is away.
        Thread.sleep(backoff + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  /**
   * Reads (and, if asked, turns on) keyspace notifications; returns whether flag writes will be
   * seen.
   */
  private boolean configureKeyspaceNotifications(Connection c) {
    try {
      String current = configGet(c);
      if (enableKeyspaceNotifications && !covers(current)) {
        StringBuilder wanted = new StringBuilder(current);
        for (char ch : new char[] {'K', '$', 'g', 'x'}) {
          if (wanted.indexOf(String.valueOf(ch)) < 0 && !(ch != 'K' && wanted.indexOf("A") >= 0)) {
            wanted.append(ch);
          }
        }
        c.sendCommand(Protocol.Command.CONFIG, "SET", "notify-keyspace-events", wanted.toString());
        c.getStatusCodeReply();
        String before = current;
        current = configGet(c);
        // A server-wide setting, which other applications of a shared server see too: say so.
        StoreLog.log().log(
            Level.INFO,
            "set notify-keyspace-events on "
                + connections.get().describe()
                + " from \""
                + before
                + "\" to \""
                + current
                + "\" (enableKeyspaceNotifications(true)), so raw edits of flag keys are seen"
                + " at once; every client of this server can now subscribe to these events");
      }
      boolean on = covers(current);
      if (!on && !keyspaceWarned) {
        keyspaceWarned = true;
        StoreLog.log().log(
            Level.INFO,
            "keyspace notifications are off on "
                + connections.get().describe()
                + " (notify-keyspace-events=\""
                + current
                + "\"): raw edits of flag keys are seen at the next periodic sync; see docs/redis.md");
      }
      return on;
    } catch (JedisDataException e) {
      if (!keyspaceWarned) {
        keyspaceWarned = true;
        StoreLog.log().log(
            Level.INFO,
            "cannot read or set notify-keyspace-events ("
                + StoreLog.describe(e)
                + "); listening anyway. On managed Redis, set it in the provider's parameter group; see docs/redis.md");
      }
      return false;
    }
  }

  private static String configGet(Connection c) {
    c.sendCommand(Protocol.Command.CONFIG, "GET", "notify-keyspace-events");
    List<String> reply = c.getMultiBulkReply();
    return reply.size() >= 2 ? reply.get(1) : "";
  }

  private static boolean covers(String flags) {
    return flags.indexOf('K') >= 0 && (flags.indexOf('$') >= 0 || flags.indexOf('A') >= 0);
  }

  /**
   * The flag's (or segment's cache) key a keyspace notification's channel is about; empty for
   * anything else. The patterns subscribed to leave out the internal keys ({@code #index}, {@code
   * #counter}, {@code #audit}…), which every write touches; this check is what keeps them out
   * should one arrive anyway.
   */
  Optional<String> notifiedCacheKey(String channel) {
    int at = channel.indexOf("__:");
    if (at < 0) {
      return Optional.empty();
    }
    String redisKey = channel.substring(at + 3);
    Optional<String> flag = layout.flagKeyOf(redisKey);
    return flag.isPresent()
        ? flag
        : layout.segmentKeyOf(redisKey).map(k -> CacheEntry.SEGMENT_KEY_PREFIX + k);
  }

  private final class Listener extends JedisPubSub {
    @Override
    public void onPSubscribe(String pattern, int subscribedChannels) {
      if (subscribedChannels == PATTERNS) {
        events.subscribed();
      }
    }

    @Override
    public void onPMessage(String pattern, String channel, String message) {
      if (channel.equals(layout.channel)) {
        Optional<Invalidation> parsed = Invalidation.parse(message);
        if (parsed.isPresent()) {
          Invalidation m = parsed.get();
          if (m.carriesValue()) {
            // The value as of this message, later than any notification of the key heard
            // before it: reading the key back is not needed.
            notified.remove(m.cacheKey());
          }
          events.invalidated(m);
        }
      } else {
        Optional<String> cacheKey = notifiedCacheKey(channel);
        if (cacheKey.isPresent()) {
          events.notificationHeard();
          notified.add(cacheKey.get());
        }
      }
      passOnNotified();
    }
  }

  /**
   * Passes on the notified keys once nothing more has arrived: an SDK write's notification is
   * followed at once by its message, which carries the value, so its key need not be read back.
   */
  private void passOnNotified() {
    SubscriberConnection c = connection;
    if (notified.isEmpty() || (c != null && c.hasBufferedInput())) {
      return;
    }
    Set<String> keys = new LinkedHashSet<>(notified);
    notified.clear();
    events.keysTouched(keys);
  }

  private static void closeQuietly(@Nullable Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (RuntimeException e) {
        // Already broken; nothing to release.
      }
    }
  }
}
