package dev.flags.redis;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.providers.SentineledConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The pooled, thread-safe Jedis client for one {@link RedisConnectionSettings}, plus dedicated
 * connections for pub/sub. Opening may contact Redis (Sentinel and Cluster discover their nodes),
 * so it is only ever done on a background thread or in an admin call. Thread-safe.
 */
final class RedisConnections implements KeyReader, AutoCloseable {

  final RedisConnectionSettings settings;
  final UnifiedJedis jedis;
  private final JedisClientConfig config;
  private final @Nullable SentineledConnectionProvider sentinelProvider; // null unless Sentinel

  private RedisConnections(
      RedisConnectionSettings settings,
      UnifiedJedis jedis,
      JedisClientConfig config,
      @Nullable SentineledConnectionProvider sentinelProvider) {
    this.settings = settings;
    this.jedis = jedis;
    this.config = config;
    this.sentinelProvider = sentinelProvider;
  }

  static RedisConnections open(
      RedisConnectionSettings settings, String clientName, int poolSize, boolean testOnBorrow) {
    int timeout = (int) settings.timeout().toMillis();
    JedisClientConfig config = ClientConfigs.data(settings, clientName);
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(poolSize);
    pool.setMaxIdle(poolSize);
    pool.setMaxWait(settings.timeout());
    // A pooled connection may be dead after a server restart or failover. The admin checks it on
    // borrow (one PING): its writes are not blindly retried. The store retries its reads instead,
    // sparing the round trip on every reload.
    pool.setTestOnBorrow(testOnBorrow);
    // Registering the pool as an MBean starts the platform MBean server when nothing else has:
    // about 150 ms of a fresh JVM's start-up, for pool gauges our own metrics already cover.
    pool.setJmxEnabled(false);
    List<HostAndPort> nodes = settings.nodes().stream().map(RedisConnections::hostAndPort).toList();
    switch (settings.mode()) {
      case STANDALONE:
        return new RedisConnections(
            settings, new JedisPooled(nodes.get(0), config, pool), config, null);
      case SENTINEL:
        {
          // The Sentinels have credentials of their own (their requirepass or ACL), not the
          // master's.
          DefaultJedisClientConfig.Builder sb =
              DefaultJedisClientConfig.builder()
                  .connectionTimeoutMillis(timeout)
                  .socketTimeoutMillis(timeout)
                  .clientName(clientName);
          settings.sentinelUser().ifPresent(sb::user);
          settings.sentinelPassword().ifPresent(sb::password);
          JedisClientConfig sentinelConfig = sb.build();
          SentineledConnectionProvider provider =
              new SentineledConnectionProvider(
                  settings.masterName().orElseThrow(),
                  config,
                  pool,
                  new LinkedHashSet<>(nodes),
                  sentinelConfig);
          return new RedisConnections(settings, new JedisSentineled(provider), config, provider);
        }
      case CLUSTER:
        {
          Set<HostAndPort> seeds = new LinkedHashSet<>(nodes);
          return new RedisConnections(
              settings, new JedisCluster(seeds, config, 5, pool), config, null);
        }
      default:
        throw new IllegalStateException("unknown mode " + settings.mode());
    }
  }

  static HostAndPort hostAndPort(String node) {
    return ClientConfigs.hostAndPort(node);
  }

  /**
   * A new connection, not from the pool, to the node holding {@code key} (the master): for pub/sub,
   * which blocks a connection. The caller closes it.
   */
  SubscriberConnection openDedicated(String key) {
    switch (settings.mode()) {
      case STANDALONE:
        return new SubscriberConnection(hostAndPort(settings.nodes().get(0)), config);
      case SENTINEL:
        SentineledConnectionProvider sentinels =
            Objects.requireNonNull(sentinelProvider, "a Sentinel store has one");
        return new SubscriberConnection(sentinels.getCurrentMaster(), config);
      case CLUSTER:
        // Keyspace notifications are local to a node: subscribe on the node owning the flags' slot.
        try (Connection probe =
            ((JedisCluster) jedis).getConnectionFromSlot(JedisClusterCRC16.getSlot(key))) {
          return new SubscriberConnection(nodeOf(probe), config);
        }
      default:
        throw new IllegalStateException("unknown mode " + settings.mode());
    }
  }

  private HostAndPort nodeOf(Connection connection) {
    // Connection has no public getter for its address: ask the node itself.
    connection.sendCommand(redis.clients.jedis.Protocol.Command.CLUSTER, "MYID");
    String myId = connection.getBulkReply();
    for (String node : ((JedisCluster) jedis).getClusterNodes().keySet()) {
      HostAndPort hp = hostAndPort(node);
      try (Connection c = new Connection(hp, config)) {
        c.sendCommand(redis.clients.jedis.Protocol.Command.CLUSTER, "MYID");
        if (myId.equals(c.getBulkReply())) {
          return hp;
        }
      }
    }
    throw new IllegalStateException("no cluster node has id " + myId);
  }

  @Override
  public String get(String key) {
    return jedis.get(key);
  }

  @Override
  public Set<String> smembers(String key) {
    return jedis.smembers(key);
  }

  @Override
  public List<String> hmget(String key, String... fields) {
    return jedis.hmget(key, fields);
  }

  @Override
  public List<String> mget(String... keys) {
    return jedis.mget(keys);
  }

  /**
   * On a Cluster, on the master owning the slot of {@code pattern}'s hash tag: a key of that tag
   * can be nowhere else, so one node is scanned, not all.
   */
  @Override
  public List<String> scan(String cursor, String pattern, int count) {
    redis.clients.jedis.params.ScanParams params =
        new redis.clients.jedis.params.ScanParams().match(pattern).count(count);
    List<String> out = new java.util.ArrayList<>();
    if (settings.mode() == RedisConnectionSettings.Mode.CLUSTER) {
      try (Connection c =
          ((JedisCluster) jedis).getConnectionFromSlot(JedisClusterCRC16.getSlot(pattern))) {
        c.sendCommand(
            redis.clients.jedis.Protocol.Command.SCAN,
            cursor,
            "MATCH",
            pattern,
            "COUNT",
            Integer.toString(count));
        List<Object> reply = c.getObjectMultiBulkReply();
        out.add(new String((byte[]) reply.get(0), java.nio.charset.StandardCharsets.UTF_8));
        for (Object k : (List<?>) reply.get(1)) {
          out.add(new String((byte[]) k, java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
      }
    }
    redis.clients.jedis.resps.ScanResult<String> r = jedis.scan(cursor, params);
    out.add(r.getCursor());
    out.addAll(r.getResult());
    return out;
  }

  @Override
  public String setIfAbsent(String key, String value) {
    jedis.set(key, value, redis.clients.jedis.params.SetParams.setParams().nx());
    return jedis.get(key);
  }

  @Override
  public void sadd(String key, String... members) {
    jedis.sadd(key, members);
  }

  @Override
  public void evalBatches(
      LuaScript script,
      List<List<String>> keys,
      List<List<String>> args,
      java.util.function.Consumer<Object> onReply) {
    for (int i = 0; i < keys.size(); i++) {
      Object reply;
      try {
        reply = evalScript(script, keys.get(i), args.get(i));
      } catch (redis.clients.jedis.exceptions.JedisDataException e) {
        reply = e;
      }
      onReply.accept(reply);
    }
  }

  /** Runs a script by its SHA, loading it when the server does not know it yet. */
  Object evalScript(LuaScript script, List<String> keys, List<String> args) {
    try {
      return jedis.evalsha(script.sha(), keys, args);
    } catch (JedisNoScriptException e) {
      return jedis.eval(script.source(), keys, args);
    }
  }

  String describe() {
    return settings.mode().name().toLowerCase(java.util.Locale.ROOT)
        + " "
        + settings.nodes()
        + settings.masterName().map(m -> " master " + m).orElse("");
  }

  @Override
  public void close() {
    try {
      jedis.close();
    } catch (RuntimeException e) {
      // Closing a pool whose server is gone may fail; there is nothing left to release.
    }
  }
}
