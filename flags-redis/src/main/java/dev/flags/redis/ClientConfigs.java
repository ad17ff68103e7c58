package dev.flags.redis;

import javax.net.ssl.SSLParameters;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * The Jedis configuration of a connection to the data nodes. Kept apart from {@link
 * RedisConnections} so that a plain connection ({@link DirectReader}) can be opened without loading
 * Jedis's pooled client classes.
 */
final class ClientConfigs {

  private ClientConfigs() {}

  static JedisClientConfig data(RedisConnectionSettings settings, String clientName) {
    int timeout = (int) settings.timeout().toMillis();
    DefaultJedisClientConfig.Builder b =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(timeout)
            .socketTimeoutMillis(timeout)
            .clientName(clientName)
            .ssl(settings.ssl())
            .database(settings.database());
    settings.user().ifPresent(b::user);
    settings.password().ifPresent(b::password);
    settings.sslSocketFactory().ifPresent(b::sslSocketFactory);
    if (settings.verifyHostname()) {
      // Jedis hands these to each SSLSocket it opens with the host's name: the JDK then checks
      // the certificate against that name during the handshake, as HTTPS does.
      SSLParameters tls = new SSLParameters();
      tls.setEndpointIdentificationAlgorithm("HTTPS");
      b.sslParameters(tls);
    }
    return b.build();
  }

  static HostAndPort hostAndPort(String node) {
    String[] hp = RedisConnectionSettings.parseHostAndPort(node);
    return new HostAndPort(hp[0], Integer.parseInt(hp[1]));
  }
}
