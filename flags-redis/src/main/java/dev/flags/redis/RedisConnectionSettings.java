package dev.flags.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/**
 * How to reach Redis: one server by URL, a Sentinel-managed master, or a Cluster. Immutable and
 * thread-safe; the {@code with…} methods return a copy.
 *
 * {@snippet file="dev/flags/redis/JavadocExamplesTest.java" region="settings"}
 *
 * <p>A user needs a password (checked when a store or admin is built). User and password apply to
 * the data nodes (Redis ACL user, or the {@code requirepass} password with no user); the Sentinel
 * processes themselves are asked with {@link #sentinelUser()} and {@link #sentinelPassword()},
 * which are separate because Sentinels have their own {@code requirepass}/ACL (without them, the
 * Sentinels are contacted without credentials). {@link #toString()} masks both passwords.
 *
 * <p>TLS applies to the data nodes; the Sentinels are contacted in plain text. With {@link
 * #withVerifyHostname(boolean) verifyHostname}, TLS also checks that the server's certificate names
 * the host connected to (HTTPS-style endpoint identification); without it, any certificate the
 * trust store accepts will do.
 *
 * @param mode standalone, Sentinel or Cluster
 * @param nodes {@code host:port} of the server (standalone), of the Sentinels, or of some Cluster
 *     nodes
 * @param masterName the Sentinel master name; empty unless {@code mode} is {@link Mode#SENTINEL}
 * @param user the ACL user; empty for the default user
 * @param password the password; empty for none
 * @param ssl whether to use TLS
 * @param database the logical database; always 0 for a Cluster
 * @param timeout the connect and read timeout of every command (the hot path never waits on it)
 * @param sslSocketFactory the socket factory for TLS connections, such as one trusting a private CA
 *     ({@link #withSslSocketFactory}); empty for the JVM's default trust store. Only with {@code
 *     ssl}
 * @param sentinelUser the ACL user for the Sentinels themselves; empty for the default user. Only
 *     with {@code mode} {@link Mode#SENTINEL}
 * @param sentinelPassword the password of the Sentinels themselves; empty for none. Only with
 *     {@code mode} {@link Mode#SENTINEL}
 * @param verifyHostname whether TLS checks that the certificate names the server's host. Only with
 *     {@code ssl}
 */
public record RedisConnectionSettings(
    Mode mode,
    List<String> nodes,
    Optional<String> masterName,
    Optional<String> user,
    Optional<String> password,
    boolean ssl,
    int database,
    Duration timeout,
    Optional<SSLSocketFactory> sslSocketFactory,
    Optional<String> sentinelUser,
    Optional<String> sentinelPassword,
    boolean verifyHostname) {

  /** The default port of Redis. */
  public static final int DEFAULT_PORT = 6379;

  /** The default command timeout: 2 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  /** How the nodes are used. */
  public enum Mode {
    /** One server (or a proxy/load balancer in front of a primary). */
    STANDALONE,
    /** A master found through Redis Sentinel. */
    SENTINEL,
    /** A Redis Cluster. */
    CLUSTER
  }

  /**
   * @throws IllegalArgumentException naming the bad component
   */
  public RedisConnectionSettings {
    Objects.requireNonNull(mode, "mode");
    nodes = List.copyOf(Objects.requireNonNull(nodes, "nodes"));
    Objects.requireNonNull(masterName, "masterName");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(sslSocketFactory, "sslSocketFactory");
    Objects.requireNonNull(sentinelUser, "sentinelUser");
    Objects.requireNonNull(sentinelPassword, "sentinelPassword");
    if (sslSocketFactory.isPresent() && !ssl) {
      throw new IllegalArgumentException(
          "sslSocketFactory: only used with TLS (rediss:// or withSsl(true))");
    }
    if (verifyHostname && !ssl) {
      throw new IllegalArgumentException(
          "verifyHostname: only used with TLS (rediss:// or withSsl(true))");
    }
    if (mode != Mode.SENTINEL && sentinelUser.isPresent()) {
      throw new IllegalArgumentException(
          "sentinelUser: only a Sentinel connection has Sentinel credentials");
    }
    if (mode != Mode.SENTINEL && sentinelPassword.isPresent()) {
      throw new IllegalArgumentException(
          "sentinelPassword: only a Sentinel connection has Sentinel credentials");
    }
    if (sentinelUser.isPresent() && sentinelUser.get().isEmpty()) {
      throw new IllegalArgumentException(
          "sentinelUser: must not be empty; omit it for the default user");
    }
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("nodes: at least one host:port is needed");
    }
    if (mode == Mode.STANDALONE && nodes.size() != 1) {
      throw new IllegalArgumentException(
          "nodes: a standalone connection has exactly one host:port, got " + nodes);
    }
    for (String node : nodes) {
      parseHostAndPort(node);
    }
    if (mode == Mode.SENTINEL) {
      if (masterName.isEmpty() || masterName.get().isBlank()) {
        throw new IllegalArgumentException(
            "masterName: a Sentinel connection needs the master name");
      }
    } else if (masterName.isPresent()) {
      throw new IllegalArgumentException(
          "masterName: only a Sentinel connection has a master name");
    }
    if (user.isPresent() && user.get().isEmpty()) {
      throw new IllegalArgumentException("user: must not be empty; omit it for the default user");
    }
    if (database < 0) {
      throw new IllegalArgumentException("database: must be >= 0, got " + database);
    }
    if (mode == Mode.CLUSTER && database != 0) {
      throw new IllegalArgumentException(
          "database: a Redis Cluster has only database 0, got " + database);
    }
    if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "timeout: must be positive (and under 24 days), got " + timeout);
    }
  }

  /**
   * The settings without Sentinel credentials and without hostname verification (the form before
   * {@link #sentinelUser()}, {@link #sentinelPassword()} and {@link #verifyHostname()} existed).
   *
   * @throws IllegalArgumentException naming the bad component
   */
  public RedisConnectionSettings(
      Mode mode,
      List<String> nodes,
      Optional<String> masterName,
      Optional<String> user,
      Optional<String> password,
      boolean ssl,
      int database,
      Duration timeout,
      Optional<SSLSocketFactory> sslSocketFactory) {
    this(
        mode,
        nodes,
        masterName,
        user,
        password,
        ssl,
        database,
        timeout,
        sslSocketFactory,
        Optional.empty(),
        Optional.empty(),
        false);
  }

  /**
   * The settings without a TLS socket factory of their own (the JVM's default is used), Sentinel
   * credentials or hostname verification.
   *
   * @throws IllegalArgumentException naming the bad component
   */
  public RedisConnectionSettings(
      Mode mode,
      List<String> nodes,
      Optional<String> masterName,
      Optional<String> user,
      Optional<String> password,
      boolean ssl,
      int database,
      Duration timeout) {
    this(mode, nodes, masterName, user, password, ssl, database, timeout, Optional.empty());
  }

  /**
   * One server, by URL: {@code redis://[[user]:password@]host[:port][/database]}, or {@code
   * rediss://…} for TLS. User and password are URL-decoded.
   *
   * @throws IllegalArgumentException if the URL is not a redis URL
   */
  public static RedisConnectionSettings standalone(String url) {
    Objects.requireNonNull(url, "url");
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "url: not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw new IllegalArgumentException(
          "url: the scheme must be redis:// or rediss:// (TLS), got \"" + mask(url) + "\"");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException(
          "url: no host in \""
              + mask(url)
              + "\""
              + (url.indexOf('@') >= 0
                  ? " (in a password, '/', '?', '#' and '@' must be percent-encoded: %2F, %3F, %23,"
                      + " %40)"
                  : ""));
    }
    int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        // redis://secret@host is the common form for a password without a user.
        password = Optional.of(decode(userInfo));
      } else {
        String u = decode(userInfo.substring(0, colon));
        user = u.isEmpty() ? Optional.empty() : Optional.of(u);
        password = Optional.of(decode(userInfo.substring(colon + 1)));
      }
    }
    int database = 0;
    String path = uri.getPath();
    if (path != null && path.length() > 1) {
      try {
        database = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        // Not the path itself: with an unencoded '/' in the password, it holds part of it.
        throw new IllegalArgumentException(
            "url: the path must be a database number, in \"" + mask(url) + "\"");
      }
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new RedisConnectionSettings(
        Mode.STANDALONE,
        List.of(host + ":" + port),
        Optional.empty(),
        user,
        password,
        scheme.equals("rediss"),
        database,
        DEFAULT_TIMEOUT);
  }

  /**
   * A master managed by Redis Sentinel.
   *
   * @param masterName the name the Sentinels know the master by
   * @param sentinels {@code host:port} of one or more Sentinels
   */
  public static RedisConnectionSettings sentinel(String masterName, List<String> sentinels) {
    Objects.requireNonNull(masterName, "masterName");
    return new RedisConnectionSettings(
        Mode.SENTINEL,
        sentinels,
        Optional.of(masterName),
        Optional.empty(),
        Optional.empty(),
        false,
        0,
        DEFAULT_TIMEOUT);
  }

  /**
   * A Redis Cluster.
   *
   * @param nodes {@code host:port} of one or more nodes; the others are discovered
   */
  public static RedisConnectionSettings cluster(List<String> nodes) {
    return new RedisConnectionSettings(
        Mode.CLUSTER,
        nodes,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        0,
        DEFAULT_TIMEOUT);
  }

  /** A copy with this ACL user (a password is then required). */
  public RedisConnectionSettings withUser(String user) {
    Objects.requireNonNull(user, "user");
    return new RedisConnectionSettings(
        mode,
        nodes,
        masterName,
        Optional.of(user),
        password,
        ssl,
        database,
        timeout,
        sslSocketFactory,
        sentinelUser,
        sentinelPassword,
        verifyHostname);
  }

  /** A copy with this password. */
  public RedisConnectionSettings withPassword(String password) {
    Objects.requireNonNull(password, "password");
    return new RedisConnectionSettings(
        mode,
        nodes,
        masterName,
        user,
        Optional.of(password),
        ssl,
        database,
        timeout,
        sslSocketFactory,
        sentinelUser,
        sentinelPassword,
        verifyHostname);
  }

  /**
   * A copy asking the Sentinels as this ACL user (a Sentinel password is then required). Sentinels
   * have users of their own, apart from the data nodes' ({@link #withUser}).
   *
   * @throws IllegalArgumentException if this is not a Sentinel connection, or the user is empty
   */
  public RedisConnectionSettings withSentinelUser(String sentinelUser) {
    Objects.requireNonNull(sentinelUser, "sentinelUser");
    return new RedisConnectionSettings(
        mode,
        nodes,
        masterName,
        user,
        password,
        ssl,
        database,
        timeout,
        sslSocketFactory,
        Optional.of(sentinelUser),
        sentinelPassword,
        verifyHostname);
  }

  /**
   * A copy asking the Sentinels with this password: the {@code requirepass} (or ACL password) of
   * the Sentinel processes, apart from the data nodes' ({@link #withPassword}).
   *
   * @throws IllegalArgumentException if this is not a Sentinel connection
   */
  public RedisConnectionSettings withSentinelPassword(String sentinelPassword) {
    Objects.requireNonNull(sentinelPassword, "sentinelPassword");
    return new RedisConnectionSettings(
        mode,
        nodes,
        masterName,
        user,
        password,
        ssl,
        database,
        timeout,
        sslSocketFactory,
        sentinelUser,
        Optional.of(sentinelPassword),
        verifyHostname);
  }

  /**
   * A copy whose TLS connections check that the server's certificate names the host connected to
   * (HTTPS endpoint identification), or not (the default: any certificate the trust store accepts).
   *
   * @throws IllegalArgumentException if {@code verifyHostname} is true without TLS
   */
  public RedisConnectionSettings withVerifyHostname(boolean verifyHostname) {
    return new RedisConnectionSettings(
        mode,
        nodes,
        masterName,
        user,
        password,
        ssl,
        database,
        timeout,
        sslSocketFactory,
        sentinelUser,
        sentinelPassword,
        verifyHostname);
  }

  /**
   * A copy using TLS, or not (without TLS, no {@link #sslSocketFactory()} and no {@link
   * #verifyHostname()} either).
   */
  public RedisConnectionSettings withSsl(boolean ssl) {
    return new RedisConnectionSettings(
        mode,
        nodes,
        masterName,
        user,
        password,
        ssl,
        database,
        timeout,
        ssl ? sslSocketFactory : Optional.empty(),
        sentinelUser,
        sentinelPassword,
        ssl && verifyHostname);
  }

  /**
   * A copy using TLS through this socket factory: typically one from an {@code SSLContext} whose
   * trust store holds a private CA or the server's own certificate.
   *
   * {@snippet :
   * TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
   * tmf.init(trustStore); // a KeyStore holding the CA certificate
   * SSLContext tls = SSLContext.getInstance("TLS");
   * tls.init(null, tmf.getTrustManagers(), null);
   * RedisConnectionSettings redis = RedisConnectionSettings.standalone("rediss://redis.internal:6380")
   *     .withSslSocketFactory(tls.getSocketFactory());
   * }
   */
  public RedisConnectionSettings withSslSocketFactory(SSLSocketFactory factory) {
    Objects.requireNonNull(factory, "sslSocketFactory");
    return new RedisConnectionSettings(
        mode,
        nodes,
        masterName,
        user,
        password,
        true,
        database,
        timeout,
        Optional.of(factory),
        sentinelUser,
        sentinelPassword,
        verifyHostname);
  }

  /** A copy using this logical database (not for a Cluster). */
  public RedisConnectionSettings withDatabase(int database) {
    return new RedisConnectionSettings(
        mode,
        nodes,
        masterName,
        user,
        password,
        ssl,
        database,
        timeout,
        sslSocketFactory,
        sentinelUser,
        sentinelPassword,
        verifyHostname);
  }

  /** A copy with this connect and read timeout. */
  public RedisConnectionSettings withTimeout(Duration timeout) {
    return new RedisConnectionSettings(
        mode,
        nodes,
        masterName,
        user,
        password,
        ssl,
        database,
        timeout,
        sslSocketFactory,
        sentinelUser,
        sentinelPassword,
        verifyHostname);
  }

  /** Masks the passwords. */
  @Override
  public String toString() {
    return "RedisConnectionSettings[mode="
        + mode
        + ", nodes="
        + nodes
        + masterName.map(m -> ", masterName=" + m).orElse("")
        + user.map(u -> ", user=" + u).orElse("")
        + (password.isPresent() ? ", password=****" : "")
        + ", ssl="
        + ssl
        + (sslSocketFactory.isPresent() ? ", sslSocketFactory=custom" : "")
        + (verifyHostname ? ", verifyHostname=true" : "")
        + ", database="
        + database
        + ", timeout="
        + timeout
        + sentinelUser.map(u -> ", sentinelUser=" + u).orElse("")
        + (sentinelPassword.isPresent() ? ", sentinelPassword=****" : "")
        + "]";
  }

  /**
   * Checks what a single component cannot: a user (and a Sentinel user) needs a password. Called
   * when a store or admin is built, so {@code withUser(…).withPassword(…)} can be chained in either
   * order.
   */
  RedisConnectionSettings checkComplete() {
    if (user.isPresent() && password.isEmpty()) {
      throw new IllegalArgumentException("password: the user " + user.get() + " needs a password");
    }
    if (sentinelUser.isPresent() && sentinelPassword.isEmpty()) {
      throw new IllegalArgumentException(
          "sentinelPassword: the Sentinel user "
              + sentinelUser.get()
              + " needs a Sentinel password");
    }
    return this;
  }

  /** {@code [host, port]} of a {@code host:port} string. */
  static String[] parseHostAndPort(String node) {
    Objects.requireNonNull(node, "node");
    int colon = node.lastIndexOf(':');
    if (colon <= 0 || colon == node.length() - 1) {
      throw new IllegalArgumentException("nodes: expected host:port, got \"" + node + "\"");
    }
    String host = node.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(node.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("nodes: the port of \"" + node + "\" is not a number", e);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "nodes: the port of \"" + node + "\" must be within 1..65535");
    }
    return new String[] {host, Integer.toString(port)};
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /**
   * The URL with everything between the scheme and the last {@code @} hidden: a password may hold
   * any character, {@code /} and {@code @} included, when it was not percent-encoded.
   */
  static String mask(String url) {
    int at = url.lastIndexOf('@');
    if (at < 0) {
      return url;
    }
    int scheme = url.indexOf("://");
    int from = scheme >= 0 && scheme < at ? scheme + 3 : 0;
    return url.substring(0, from) + "****" + url.substring(at);
  }
}
