package dev.flags.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code flags.*} configuration of the starter. Every property has a default, so an application
 * with none of them gets a client over the flags written in {@code flags.static.*} (none at first),
 * needing no server.
 *
 * <p>Mutable, as configuration properties are; read it, do not change it after start-up. Not
 * thread-safe.
 */
@ConfigurationProperties(prefix = "flags")
public class FlagsProperties implements InitializingBean {

  /** Where flags are read from. */
  public enum Store {
    /** The flags written in {@code flags.static.*}: for tests and small applications. */
    PROPERTIES,
    /**
     * A JSON file, directory or classpath resource ({@code flags.file.path}), watched for changes.
     */
    FILE,
    /** Redis ({@code flags.redis.*}, else {@code spring.data.redis.*}), kept in sync by pub/sub. */
    REDIS
  }

  /** Whether to auto-configure the Flags client. */
  private boolean enabled = true;

  /**
   * Store to read flags from. Default: file when flags.file.path is set, redis when
   * flags.redis.url, flags.redis.sentinel.master or flags.redis.cluster.nodes is set, else
   * properties.
   */
  private Store store;

  /**
   * Flags served by the properties store, by key: true or false for an on/off switch, any other
   * text for a flag serving that string to everyone.
   */
  private Map<String, String> staticFlags = new LinkedHashMap<>();

  /**
   * How long start-up may wait for the store's first load before failing. Unset: start-up does not
   * wait, and flags serve callers' defaults until the store has loaded.
   */
  private Duration failFastTimeout;

  private final File file = new File();
  private final Redis redis = new Redis();
  private final Context context = new Context();
  private final Web web = new Web();
  private final Condition condition = new Condition();
  private final Actuator actuator = new Actuator();
  private final Health health = new Health();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Store getStore() {
    return store;
  }

  public void setStore(Store store) {
    this.store = store;
  }

  /**
   * The flags of {@code flags.static.*} (named {@code static} for binding; a Java keyword
   * otherwise).
   */
  public Map<String, String> getStatic() {
    return staticFlags;
  }

  public void setStatic(Map<String, String> staticFlags) {
    this.staticFlags = staticFlags;
  }

  public Duration getFailFastTimeout() {
    return failFastTimeout;
  }

  public void setFailFastTimeout(Duration failFastTimeout) {
    this.failFastTimeout = failFastTimeout;
  }

  public File getFile() {
    return file;
  }

  public Redis getRedis() {
    return redis;
  }

  public Context getContext() {
    return context;
  }

  public Web getWeb() {
    return web;
  }

  public Condition getCondition() {
    return condition;
  }

  public Actuator getActuator() {
    return actuator;
  }

  public Health getHealth() {
    return health;
  }

  /**
   * Checks the values binding cannot: each bad one fails start-up with a {@link
   * FlagsConfigurationException} naming the property, which the failure analyzer reports.
   *
   * @throws FlagsConfigurationException naming the first bad property
   */
  @Override
  public void afterPropertiesSet() {
    int status = web.getGuardStatus();
    if (status < 400 || status > 599) {
      throw new FlagsConfigurationException(
          "flags.web.guard-status",
          Integer.toString(status),
          "must be a 4xx or 5xx HTTP status (a guarded endpoint must not look like it answered)",
          "Set flags.web.guard-status to 404 (the default), 403, 410 or another status from 400 to 599.");
    }
    Duration conditionTimeout = redis.getConditionTimeout();
    if (conditionTimeout == null || conditionTimeout.isNegative() || conditionTimeout.isZero()) {
      throw new FlagsConfigurationException(
          "flags.redis.condition-timeout",
          String.valueOf(conditionTimeout),
          "must be positive",
          "Set flags.redis.condition-timeout to a positive duration such as 500ms (the default).");
    }
    Duration maxAge = context.getAnonymousCookie().getMaxAge();
    if (maxAge == null || maxAge.isNegative()) {
      throw new FlagsConfigurationException(
          "flags.context.anonymous-cookie.max-age",
          String.valueOf(maxAge),
          "must not be negative",
          "Set flags.context.anonymous-cookie.max-age to a duration such as 365d (the default), "
              + "or turn the cookie off with flags.context.anonymous-cookie.enabled=false.");
    }
  }

  /** {@code flags.file.*}. */
  public static class File {

    /**
     * Path of the JSON flag file or directory of JSON files; prefix with "classpath:" to read a
     * resource shipped in the application (resources are not watched).
     */
    private String path;

    /** Whether to listen to file system events; without them changes are found by polling. */
    private boolean watch = true;

    /** How often to check the files for changes the file system did not report. */
    private Duration pollInterval = Duration.ofSeconds(1);

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }

    public boolean isWatch() {
      return watch;
    }

    public void setWatch(boolean watch) {
      this.watch = watch;
    }

    public Duration getPollInterval() {
      return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
    }
  }

  /** {@code flags.redis.*}: each set property overrides what {@code spring.data.redis.*} says. */
  public static class Redis {

    /**
     * URL of a standalone Redis server, such as redis://user:secret@localhost:6379/0 (rediss:// for
     * TLS). Default: built from spring.data.redis.*, else redis://localhost:6379.
     */
    private String url;

    /** Login user (Redis ACL) for Sentinel or Cluster nodes; a URL carries its own. */
    private String username;

    /** Login password for Sentinel or Cluster nodes; a URL carries its own. */
    private String password;

    /** Whether to use TLS for Sentinel or Cluster nodes; a URL says rediss:// instead. */
    private Boolean ssl;

    /**
     * Whether TLS also checks that the server's certificate names the host connected to, as HTTPS
     * does. Needs TLS. Default: false (any certificate the trust store accepts).
     */
    private Boolean verifyHostname;

    /** Connect and read timeout of Redis commands (evaluations never wait on Redis). */
    private Duration timeout;

    /** Prefix of the flag keys in Redis. Default: "feature:" ("{feature}:" on a Cluster). */
    private String prefix;

    /** How often to reload every flag, in case a change notification was missed. */
    private Duration syncInterval;

    /**
     * Whether to also listen to Redis keyspace notifications, so raw writes (redis-cli SET) are
     * seen at once.
     */
    private Boolean keyspaceNotifications;

    /**
     * File where the last flags read from Redis are saved, to serve them when Redis is down at
     * start-up.
     */
    private String snapshotFile;

    /** How long @ConditionalOnFlag waits for Redis when the context starts. */
    private Duration conditionTimeout = Duration.ofMillis(500);

    private final Sentinel sentinel = new Sentinel();
    private final Cluster cluster = new Cluster();

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }

    public String getUsername() {
      return username;
    }

    public void setUsername(String username) {
      this.username = username;
    }

    public String getPassword() {
      return password;
    }

    public void setPassword(String password) {
      this.password = password;
    }

    public Boolean getSsl() {
      return ssl;
    }

    public void setSsl(Boolean ssl) {
      this.ssl = ssl;
    }

    public Boolean getVerifyHostname() {
      return verifyHostname;
    }

    public void setVerifyHostname(Boolean verifyHostname) {
      this.verifyHostname = verifyHostname;
    }

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    public String getPrefix() {
      return prefix;
    }

    public void setPrefix(String prefix) {
      this.prefix = prefix;
    }

    public Duration getSyncInterval() {
      return syncInterval;
    }

    public void setSyncInterval(Duration syncInterval) {
      this.syncInterval = syncInterval;
    }

    public Boolean getKeyspaceNotifications() {
      return keyspaceNotifications;
    }

    public void setKeyspaceNotifications(Boolean keyspaceNotifications) {
      this.keyspaceNotifications = keyspaceNotifications;
    }

    public String getSnapshotFile() {
      return snapshotFile;
    }

    public void setSnapshotFile(String snapshotFile) {
      this.snapshotFile = snapshotFile;
    }

    public Duration getConditionTimeout() {
      return conditionTimeout;
    }

    public void setConditionTimeout(Duration conditionTimeout) {
      this.conditionTimeout = conditionTimeout;
    }

    public Sentinel getSentinel() {
      return sentinel;
    }

    public Cluster getCluster() {
      return cluster;
    }

    /** {@code flags.redis.sentinel.*}. */
    public static class Sentinel {

      /** Name of the master the sentinels watch. */
      private String master;

      /** Sentinel nodes, as host:port. */
      private List<String> nodes = new ArrayList<>();

      /**
       * Login user (Redis ACL) for the Sentinels themselves, apart from the master's. Default:
       * spring.data.redis.sentinel.username.
       */
      private String username;

      /**
       * Login password for the Sentinels themselves (their requirepass), apart from the master's.
       * Default: spring.data.redis.sentinel.password.
       */
      private String password;

      public String getMaster() {
        return master;
      }

      public void setMaster(String master) {
        this.master = master;
      }

      public List<String> getNodes() {
        return nodes;
      }

      public void setNodes(List<String> nodes) {
        this.nodes = nodes;
      }

      public String getUsername() {
        return username;
      }

      public void setUsername(String username) {
        this.username = username;
      }

      public String getPassword() {
        return password;
      }

      public void setPassword(String password) {
        this.password = password;
      }
    }

    /** {@code flags.redis.cluster.*}. */
    public static class Cluster {

      /** Cluster nodes to start from, as host:port. */
      private List<String> nodes = new ArrayList<>();

      public List<String> getNodes() {
        return nodes;
      }

      public void setNodes(List<String> nodes) {
        this.nodes = nodes;
      }
    }
  }

  /** {@code flags.context.*}: who the current request is evaluated for. */
  public static class Context {

    /** Request header holding the user id, used when no security principal is present. */
    private String header = "X-User-Id";

    private final AnonymousCookie anonymousCookie = new AnonymousCookie();

    public String getHeader() {
      return header;
    }

    public void setHeader(String header) {
      this.header = header;
    }

    public AnonymousCookie getAnonymousCookie() {
      return anonymousCookie;
    }

    /** {@code flags.context.anonymous-cookie.*}. */
    public static class AnonymousCookie {

      /**
       * Whether to give anonymous visitors a random id kept in a cookie, so rollouts are sticky for
       * them. Without it, every anonymous visitor shares the key "anonymous".
       */
      private boolean enabled = true;

      /** Name of the cookie holding the anonymous visitor's id. */
      private String name = "flags_visitor";

      /** How long the anonymous visitor's cookie lives. */
      private Duration maxAge = Duration.ofDays(365);

      public boolean isEnabled() {
        return enabled;
      }

      public void setEnabled(boolean enabled) {
        this.enabled = enabled;
      }

      public String getName() {
        return name;
      }

      public void setName(String name) {
        this.name = name;
      }

      public Duration getMaxAge() {
        return maxAge;
      }

      public void setMaxAge(Duration maxAge) {
        this.maxAge = maxAge;
      }
    }
  }

  /** {@code flags.web.*}. */
  public static class Web {

    /** HTTP status answered by a @FlagGuard endpoint whose flag is off for the current user. */
    private int guardStatus = 404;

    public int getGuardStatus() {
      return guardStatus;
    }

    public void setGuardStatus(int guardStatus) {
      this.guardStatus = guardStatus;
    }
  }

  /** {@code flags.condition.*}: how @ConditionalOnFlag evaluates flags when the context starts. */
  public static class Condition {

    /** Context key @ConditionalOnFlag evaluates flags for (there is no user at start-up). */
    private String contextKey = "application";

    public String getContextKey() {
      return contextKey;
    }

    public void setContextKey(String contextKey) {
      this.contextKey = contextKey;
    }
  }

  /** {@code flags.actuator.*}. */
  public static class Actuator {

    /**
     * Whether the flags actuator endpoint accepts write operations (on/off, rollout, targets).
     * Secure the endpoint before enabling this.
     */
    private boolean writeEnabled;

    public boolean isWriteEnabled() {
      return writeEnabled;
    }

    public void setWriteEnabled(boolean writeEnabled) {
      this.writeEnabled = writeEnabled;
    }
  }

  /** {@code flags.health.*}. */
  public static class Health {

    /**
     * Whether an unreachable or stale store makes the application DOWN. Default: reported in the
     * details only, since flags keep serving their last known values.
     */
    private boolean failOnUnavailable;

    public boolean isFailOnUnavailable() {
      return failOnUnavailable;
    }

    public void setFailOnUnavailable(boolean failOnUnavailable) {
      this.failOnUnavailable = failOnUnavailable;
    }
  }
}
