package dev.flags.redis;

import java.io.IOException;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.util.RedisInputStream;

/**
 * The subscriber's connection, which can tell whether more input has already arrived. An admin
 * write sends a keyspace notification (its SET) and, right after, its message carrying the new
 * value; both usually arrive in one read. Knowing that more is buffered, the subscriber waits for
 * the message instead of reading the key back over the network.
 *
 * <p>Used by the subscriber thread only; not thread-safe.
 */
final class SubscriberConnection extends Connection {

  private @Nullable RedisInputStream input;

  SubscriberConnection(HostAndPort node, JedisClientConfig config) {
    super(node, config);
  }

  @Override
  protected Object protocolRead(RedisInputStream is) {
    input = is;
    return super.protocolRead(is);
  }

  /** Whether bytes of the next reply are already buffered or waiting in the socket. */
  boolean hasBufferedInput() {
    RedisInputStream in = input;
    if (in == null) {
      return false;
    }
    try {
      return in.available() > 0;
    } catch (IOException | RuntimeException e) {
      return false; // a broken connection: the next read reports it
    }
  }
}
