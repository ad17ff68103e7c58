package dev.flags.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Builder;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The first load of a standalone store, over one plain connection. In a fresh JVM, Jedis's pooled
 * client loads some 250 classes (its command interfaces, {@code CommandObjects}, the pool) before
 * its first command: about 150 ms that a plain {@link Connection} does not need. Reading the first
 * load this way initializes the client first; the pool is opened right after.
 *
 * <p>Its own reply builders spare loading Jedis's {@code BuilderFactory} (a hundred more classes).
 * Used by the store's worker only; not thread-safe.
 */
final class DirectReader implements KeyReader, AutoCloseable {

  private static final Builder<String> STRING =
      new Builder<>() {
        @Override
        public @Nullable String build(@Nullable Object data) {
          return data == null ? null : new String((byte[]) data, StandardCharsets.UTF_8);
        }
      };

  private static final Builder<List<String>> STRINGS =
      new Builder<>() {
        @Override
        public List<String> build(Object data) {
          List<?> replies = (List<?>) data;
          List<String> out = new ArrayList<>(replies.size());
          for (Object r : replies) {
            out.add(STRING.build(r));
          }
          return out;
        }
      };

  private static final Builder<List<?>> ANY =
      new Builder<>() {
        @Override
        public List<?> build(Object data) {
          return data instanceof List<?> l ? l : List.of();
        }
      };

  private static final Builder<Object> ANY_OBJECT =
      new Builder<>() {
        @Override
        public Object build(Object data) {
          return data;
        }
      };

  private final Connection connection;

  private DirectReader(Connection connection) {
    this.connection = connection;
  }

  /** Connects (and authenticates, selects the database, names the client) at once. */
  static DirectReader open(RedisConnectionSettings settings, String clientName) {
    Connection c =
        new Connection(
            ClientConfigs.hostAndPort(settings.nodes().get(0)),
            ClientConfigs.data(settings, clientName));
    try {
      c.connect();
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    return new DirectReader(c);
  }

  @Override
  public String get(String key) {
    return run(new CommandArguments(Protocol.Command.GET).key(key), STRING);
  }

  @Override
  public Set<String> smembers(String key) {
    return new HashSet<>(run(new CommandArguments(Protocol.Command.SMEMBERS).key(key), STRINGS));
  }

  @Override
  public List<String> hmget(String key, String... fields) {
    return run(hmgetArgs(key, fields), STRINGS);
  }

  @Override
  public List<String> mget(String... keys) {
    return run(mgetArgs(keys), STRINGS);
  }

  /**
   * Pipelined: every request is written before the first reply is read, so Redis computes the next
   * replies while this thread parses the last (in a fresh JVM, parsing is the slow part). Redis
   * buffers the replies meanwhile, as it does for any pipeline.
   */
  @Override
  public void readBatches(
      String hash, List<String[]> fields, List<String[]> keys, BatchReplies onBatch) {
    for (int i = 0; i < fields.size(); i++) {
      connection.sendCommand(hmgetArgs(hash, fields.get(i)));
      connection.sendCommand(mgetArgs(keys.get(i)));
    }
    for (int i = 0; i < fields.size(); i++) {
      List<String> versions = STRINGS.build(connection.getOne());
      onBatch.accept(i, versions, STRINGS.build(connection.getOne()));
    }
  }

  /** Pipelined like {@link #readBatches}; EVAL with the source, so no NOSCRIPT can come back. */
  @Override
  public void evalBatches(
      LuaScript script,
      List<List<String>> keys,
      List<List<String>> args,
      java.util.function.Consumer<Object> onReply) {
    for (int i = 0; i < keys.size(); i++) {
      CommandArguments a =
          new CommandArguments(Protocol.Command.EVAL).add(script.source()).add(keys.get(i).size());
      for (String k : keys.get(i)) {
        a.key(k);
      }
      for (String arg : args.get(i)) {
        a.add(arg);
      }
      connection.sendCommand(a);
    }
    for (int i = 0; i < keys.size(); i++) {
      Object reply;
      try {
        reply = connection.getOne();
      } catch (JedisDataException e) {
        reply = e; // the error reply was read whole: the next reply follows
      }
      onReply.accept(reply);
    }
  }

  private static CommandArguments hmgetArgs(String key, String[] fields) {
    CommandArguments args = new CommandArguments(Protocol.Command.HMGET).key(key);
    for (String f : fields) {
      args.add(f);
    }
    return args;
  }

  private static CommandArguments mgetArgs(String[] keys) {
    return new CommandArguments(Protocol.Command.MGET).keys((Object[]) keys);
  }

  @Override
  public List<String> scan(String cursor, String pattern, int count) {
    List<?> reply =
        run(
            new CommandArguments(Protocol.Command.SCAN)
                .add(cursor)
                .add("MATCH")
                .add(pattern)
                .add("COUNT")
                .add(count),
            ANY);
    List<String> out = new ArrayList<>();
    out.add(STRING.build(reply.get(0)));
    out.addAll(STRINGS.build(reply.get(1)));
    return out;
  }

  @Override
  public String setIfAbsent(String key, String value) {
    run(new CommandArguments(Protocol.Command.SET).key(key).add(value).add("NX"), ANY_OBJECT);
    return get(key);
  }

  @Override
  public void sadd(String key, String... members) {
    CommandArguments args = new CommandArguments(Protocol.Command.SADD).key(key);
    for (String m : members) {
      args.add(m);
    }
    run(args, ANY);
  }

  private <T> T run(CommandArguments args, Builder<T> builder) {
    return connection.executeCommand(new CommandObject<>(args, builder));
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (RuntimeException e) {
      // Nothing left to release.
    }
  }
}
