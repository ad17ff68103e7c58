package dev.flags.micronaut;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code flags.*} configuration, the same keys as the Spring Boot starter:
 *
 * <pre>{@code
 * flags:
 *   store: redis                 # redis | file | properties; inferred when unset
 *   static:                      # the flags of the properties store; bootstrap values for the others
 *     new_checkout_flow: true
 *     banner_text: "Hello"
 *   file.path: /etc/app/flags.json  # or classpath:flags.json
 *   redis:
 *     url: redis://localhost:6379  # or sentinel.master + sentinel.nodes, or cluster.nodes
 *     # sentinel: { master: mymaster, nodes: [10.0.0.1:26379], username: watcher, password: s3cret }
 *     prefix: "feature:"
 *     sync-interval: 30s
 *     keyspace-notifications: false
 *     snapshot-file: /var/cache/app/flags-snapshot.json
 *     condition-timeout: 500ms   # how long @RequiresFlag waits for Redis
 *   fail-fast-timeout: 10s       # unset: start-up never waits for the store
 *   context:
 *     header: X-User-Id
 *     anonymous-cookie: { enabled: true, name: flags_visitor, max-age: 365d }
 *   condition.context-key: application
 *   web.guard-status: 404
 *   endpoint.write-enabled: false
 *   health.fail-on-unavailable: false
 * }</pre>
 *
 * <p>Values are checked when the {@code Flags} bean is created, at start-up, by {@link
 * FlagsConfiguration#validate()}; each error names the property. Bound once by Micronaut and then
 * only read: safe to share between threads after start-up.
 */
@ConfigurationProperties(FlagsConfiguration.PREFIX)
public class FlagsConfiguration {

  /** The prefix of every property. */
  public static final String PREFIX = "flags";

  /** The default {@code flags.context.header}. */
  public static final String DEFAULT_CONTEXT_HEADER = "X-User-Id";

  /** The default {@code flags.context.anonymous-cookie.name}, the Spring Boot starter's too. */
  public static final String DEFAULT_ANONYMOUS_COOKIE = "flags_visitor";

  /** The default {@code flags.redis.condition-timeout}. */
  public static final Duration DEFAULT_REDIS_CONDITION_TIMEOUT = Duration.ofMillis(500);

  /** The default {@code flags.condition.context-key}. */
  public static final String DEFAULT_CONDITION_CONTEXT_KEY = "application";

  /** The default {@code flags.web.guard-status}. */
  public static final int DEFAULT_GUARD_STATUS = 404;

  private @Nullable String store;
  private Map<String, Object> staticFlags = new LinkedHashMap<>();
  private @Nullable Duration failFastTimeout;
  private FileConfiguration file = new FileConfiguration();
  private RedisConfiguration redis = new RedisConfiguration();
  private ContextConfiguration context = new ContextConfiguration();
  private EndpointConfiguration endpoint = new EndpointConfiguration();
  private HealthConfiguration health = new HealthConfiguration();
  private WebConfiguration web = new WebConfiguration();
  private ConditionConfiguration condition = new ConditionConfiguration();

  /** The store kinds {@code flags.store} accepts. */
  public enum StoreKind {
    /** Flags from {@code flags.static.*}. */
    PROPERTIES,
    /** Flags from a JSON file ({@code flags.file.path}), reloaded when it changes. */
    FILE,
    /** Flags in Redis ({@code flags.redis.*}); needs {@code dev.flags:flags-redis}. */
    REDIS
  }

  /**
   * Where flags come from: {@code redis}, {@code file} or {@code properties}. Unset: {@code file}
   * when {@code flags.file.path} is set, {@code redis} when a Redis address is, else {@code
   * properties} (as in the Spring Boot starter).
   */
  public Optional<String> getStore() {
    return Optional.ofNullable(store).filter(s -> !s.isBlank());
  }

  /** Sets where flags come from: {@code redis}, {@code file} or {@code properties}. */
  public void setStore(@Nullable String store) {
    this.store = store;
  }

  /**
   * The store kind, configured or inferred.
   *
   * @throws io.micronaut.context.exceptions.ConfigurationException naming {@code flags.store}
   */
  public StoreKind storeKind() {
    if (getStore().isPresent()) {
      return Validation.storeKind(store);
    }
    if (file.getPath().isPresent()) {
      return StoreKind.FILE;
    }
    boolean redisAddress =
        redis.getUrl().filter(u -> !u.isBlank()).isPresent()
            || redis.getSentinel().getMaster().filter(m -> !m.isBlank()).isPresent()
            || !redis.getCluster().getNodes().isEmpty();
    return redisAddress ? StoreKind.REDIS : StoreKind.PROPERTIES;
  }

  /**
   * The {@code flags.static.*} values: on/off switches ({@code true}/{@code false}) or a value
   * served to everyone. With the properties store they are the flags; with the file or Redis store
   * they are served until the store's first load.
   */
  public Map<String, Object> getStatic() {
    return staticFlags;
  }

  /** Sets the {@code flags.static.*} values; keys are flag keys, kept as written. */
  public void setStatic(
      @MapFormat(
              transformation = MapFormat.MapTransformation.FLAT,
              keyFormat = StringConvention.RAW)
          Map<String, Object> staticFlags) {
    this.staticFlags = new LinkedHashMap<>(staticFlags);
  }

  /**
   * How long start-up may wait for the store's first load before failing. Unset: start-up does not
   * wait, and flags serve bootstrap values or the callers' defaults until the store loads.
   */
  public Optional<Duration> getFailFastTimeout() {
    return Optional.ofNullable(failFastTimeout);
  }

  /** Sets how long start-up may wait for the store's first load before failing. */
  public void setFailFastTimeout(@Nullable Duration failFastTimeout) {
    this.failFastTimeout = failFastTimeout;
  }

  /** The {@code flags.file.*} settings. */
  public FileConfiguration getFile() {
    return file;
  }

  /** Sets the {@code flags.file.*} settings. */
  public void setFile(FileConfiguration file) {
    this.file = file;
  }

  /** The {@code flags.redis.*} settings. */
  public RedisConfiguration getRedis() {
    return redis;
  }

  /** Sets the {@code flags.redis.*} settings. */
  public void setRedis(RedisConfiguration redis) {
    this.redis = redis;
  }

  /** The {@code flags.context.*} settings. */
  public ContextConfiguration getContext() {
    return context;
  }

  /** Sets the {@code flags.context.*} settings. */
  public void setContext(ContextConfiguration context) {
    this.context = context;
  }

  /** The {@code flags.endpoint.*} settings. */
  public EndpointConfiguration getEndpoint() {
    return endpoint;
  }

  /** Sets the {@code flags.endpoint.*} settings. */
  public void setEndpoint(EndpointConfiguration endpoint) {
    this.endpoint = endpoint;
  }

  /** The {@code flags.health.*} settings. */
  public HealthConfiguration getHealth() {
    return health;
  }

  /** Sets the {@code flags.health.*} settings. */
  public void setHealth(HealthConfiguration health) {
    this.health = health;
  }

  /** The {@code flags.web.*} settings. */
  public WebConfiguration getWeb() {
    return web;
  }

  /** Sets the {@code flags.web.*} settings. */
  public void setWeb(WebConfiguration web) {
    this.web = web;
  }

  /** The {@code flags.condition.*} settings. */
  public ConditionConfiguration getCondition() {
    return condition;
  }

  /** Sets the {@code flags.condition.*} settings. */
  public void setCondition(ConditionConfiguration condition) {
    this.condition = condition;
  }

  /**
   * Checks every value, including the combinations (a store and the settings it needs).
   *
   * @throws io.micronaut.context.exceptions.ConfigurationException naming the property at fault
   */
  public void validate() {
    Validation.validate(this);
  }

  /** {@code flags.file.*}: the file store. */
  @ConfigurationProperties("file")
  public static class FileConfiguration {
    private @Nullable String path;

    /**
     * The JSON flag file ({@code docs/flag-format.md}), a directory of them, or {@code
     * classpath:flags.json} for a resource shipped in the application; required when {@code
     * flags.store=file}. Files are watched and reloaded; resources are read once.
     */
    public Optional<String> getPath() {
      return Optional.ofNullable(path).filter(p -> !p.isBlank());
    }

    /** Sets the JSON flag file, directory or {@code classpath:} resource. */
    public void setPath(@Nullable String path) {
      this.path = path;
    }

    private boolean watch = true;
    private Duration pollInterval = Duration.ofSeconds(1);

    /** Whether to listen to file system events (default true); polling happens anyway. */
    public boolean isWatch() {
      return watch;
    }

    /** Sets whether to listen to file system events. */
    public void setWatch(boolean watch) {
      this.watch = watch;
    }

    /** How often files are checked for changes the file system did not report (default 1s). */
    public Duration getPollInterval() {
      return pollInterval;
    }

    /** Sets how often files are checked for changes. */
    public void setPollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
    }
  }

  /** {@code flags.redis.*}: the Redis store (standalone by URL, Sentinel or Cluster). */
  @ConfigurationProperties("redis")
  public static class RedisConfiguration {
    private @Nullable String url;
    private @Nullable String username;
    private @Nullable String password;
    private @Nullable Boolean ssl;
    private boolean verifyHostname;
    private @Nullable Duration timeout;
    private Duration conditionTimeout = DEFAULT_REDIS_CONDITION_TIMEOUT;
    private @Nullable String prefix;
    private @Nullable Duration syncInterval;
    private boolean keyspaceNotifications;
    private @Nullable Path snapshotFile;
    private SentinelConfiguration sentinel = new SentinelConfiguration();
    private ClusterConfiguration cluster = new ClusterConfiguration();

    /** Address of a standalone Redis, such as {@code redis://localhost:6379/0}. */
    public Optional<String> getUrl() {
      return Optional.ofNullable(url);
    }

    /** Sets the address of a standalone Redis. */
    public void setUrl(@Nullable String url) {
      this.url = url;
    }

    /** ACL user name (overrides the one of the URL). */
    public Optional<String> getUsername() {
      return Optional.ofNullable(username).filter(u -> !u.isEmpty());
    }

    /** Sets the ACL user name. */
    public void setUsername(@Nullable String username) {
      this.username = username;
    }

    /** Password (overrides the one of the URL). */
    public Optional<String> getPassword() {
      return Optional.ofNullable(password).filter(p -> !p.isEmpty());
    }

    /** Sets the password. */
    public void setPassword(@Nullable String password) {
      this.password = password;
    }

    /** Whether to use TLS (overrides the URL's scheme). */
    public Optional<Boolean> getSsl() {
      return Optional.ofNullable(ssl);
    }

    /** Sets whether to use TLS. */
    public void setSsl(@Nullable Boolean ssl) {
      this.ssl = ssl;
    }

    /**
     * Whether TLS also checks that the server's certificate names the host connected to, as HTTPS
     * does; needs TLS. Default: false.
     */
    public boolean isVerifyHostname() {
      return verifyHostname;
    }

    /** Sets whether TLS checks the server's host name. */
    public void setVerifyHostname(boolean verifyHostname) {
      this.verifyHostname = verifyHostname;
    }

    /** Connect and read timeout; the store's default (2s) when empty. */
    public Optional<Duration> getTimeout() {
      return Optional.ofNullable(timeout);
    }

    /** Sets the connect and read timeout. */
    public void setTimeout(@Nullable Duration timeout) {
      this.timeout = timeout;
    }

    /**
     * How long a start-up condition ({@link RequiresFlag}) waits for Redis before deciding without
     * it (default 500ms).
     */
    public Duration getConditionTimeout() {
      return conditionTimeout;
    }

    /** Sets how long a start-up condition waits for Redis. */
    public void setConditionTimeout(Duration conditionTimeout) {
      this.conditionTimeout = conditionTimeout;
    }

    /**
     * The key prefix of flags in Redis; empty means the store's default ({@code feature:}, or
     * {@code {feature}:} on a Cluster, where the prefix must hold a hash tag).
     */
    public Optional<String> getPrefix() {
      return Optional.ofNullable(prefix);
    }

    /** Sets the key prefix of flags in Redis. */
    public void setPrefix(@Nullable String prefix) {
      this.prefix = prefix;
    }

    /** How often the store re-reads every flag as a safety net; the store's default when empty. */
    public Optional<Duration> getSyncInterval() {
      return Optional.ofNullable(syncInterval);
    }

    /** Sets how often the store re-reads every flag. */
    public void setSyncInterval(@Nullable Duration syncInterval) {
      this.syncInterval = syncInterval;
    }

    /**
     * Whether to also listen to keyspace notifications, to see raw {@code SET}s (default false).
     */
    public boolean isKeyspaceNotifications() {
      return keyspaceNotifications;
    }

    /** Sets whether to listen to keyspace notifications. */
    public void setKeyspaceNotifications(boolean keyspaceNotifications) {
      this.keyspaceNotifications = keyspaceNotifications;
    }

    /** A file where the store keeps the last flags read, served when Redis is down at start-up. */
    public Optional<Path> getSnapshotFile() {
      return Optional.ofNullable(snapshotFile);
    }

    /** Sets the snapshot file. */
    public void setSnapshotFile(@Nullable Path snapshotFile) {
      this.snapshotFile = snapshotFile;
    }

    /** The {@code flags.redis.sentinel.*} settings. */
    public SentinelConfiguration getSentinel() {
      return sentinel;
    }

    /** Sets the {@code flags.redis.sentinel.*} settings. */
    public void setSentinel(SentinelConfiguration sentinel) {
      this.sentinel = sentinel;
    }

    /** The {@code flags.redis.cluster.*} settings. */
    public ClusterConfiguration getCluster() {
      return cluster;
    }

    /** Sets the {@code flags.redis.cluster.*} settings. */
    public void setCluster(ClusterConfiguration cluster) {
      this.cluster = cluster;
    }

    /** {@code flags.redis.sentinel.*}: Redis behind Sentinel. */
    @ConfigurationProperties("sentinel")
    public static class SentinelConfiguration {
      private @Nullable String master;
      private List<String> nodes = List.of();
      private @Nullable String username;
      private @Nullable String password;

      /** Name of the master the sentinels watch. */
      public Optional<String> getMaster() {
        return Optional.ofNullable(master);
      }

      /** Sets the name of the master. */
      public void setMaster(@Nullable String master) {
        this.master = master;
      }

      /** Addresses of the sentinels, {@code host:port}. */
      public List<String> getNodes() {
        return nodes;
      }

      /** Sets the addresses of the sentinels. */
      public void setNodes(List<String> nodes) {
        this.nodes = List.copyOf(nodes);
      }

      /**
       * ACL user name of the Sentinels themselves, apart from the master's {@code
       * flags.redis.username}; needs {@link #getPassword() the Sentinel password}.
       */
      public Optional<String> getUsername() {
        return Optional.ofNullable(username).filter(u -> !u.isEmpty());
      }

      /** Sets the ACL user name of the Sentinels. */
      public void setUsername(@Nullable String username) {
        this.username = username;
      }

      /**
       * Password of the Sentinels themselves (their {@code requirepass}), apart from the master's
       * {@code flags.redis.password}.
       */
      public Optional<String> getPassword() {
        return Optional.ofNullable(password).filter(p -> !p.isEmpty());
      }

      /** Sets the password of the Sentinels. */
      public void setPassword(@Nullable String password) {
        this.password = password;
      }
    }

    /** {@code flags.redis.cluster.*}: Redis Cluster. */
    @ConfigurationProperties("cluster")
    public static class ClusterConfiguration {
      private List<String> nodes = List.of();

      /** Addresses of some cluster nodes, {@code host:port}. */
      public List<String> getNodes() {
        return nodes;
      }

      /** Sets the addresses of some cluster nodes. */
      public void setNodes(List<String> nodes) {
        this.nodes = List.copyOf(nodes);
      }
    }
  }

  /** {@code flags.context.*}: who an HTTP request evaluates flags for. */
  @ConfigurationProperties("context")
  public static class ContextConfiguration {
    private String header = DEFAULT_CONTEXT_HEADER;
    private AnonymousCookieConfiguration anonymousCookie = new AnonymousCookieConfiguration();

    /** The request header holding the context key when no user is authenticated. */
    public String getHeader() {
      return header;
    }

    /** Sets the request header holding the context key. */
    public void setHeader(String header) {
      this.header = header;
    }

    /** The {@code flags.context.anonymous-cookie.*} settings. */
    public AnonymousCookieConfiguration getAnonymousCookie() {
      return anonymousCookie;
    }

    /** Sets the {@code flags.context.anonymous-cookie.*} settings. */
    public void setAnonymousCookie(AnonymousCookieConfiguration anonymousCookie) {
      this.anonymousCookie = anonymousCookie;
    }

    /** {@code flags.context.anonymous-cookie.*}: sticky keys for anonymous visitors. */
    @ConfigurationProperties("anonymous-cookie")
    public static class AnonymousCookieConfiguration {
      private boolean enabled = true;
      private String name = DEFAULT_ANONYMOUS_COOKIE;
      private Duration maxAge = Duration.ofDays(365);

      /**
       * Whether to give anonymous visitors a random key kept in a cookie, so rollouts are sticky
       * for them. Without it, every anonymous visitor shares the key {@code anonymous}.
       */
      public boolean isEnabled() {
        return enabled;
      }

      /** Sets whether anonymous visitors get a cookie. */
      public void setEnabled(boolean enabled) {
        this.enabled = enabled;
      }

      /** Name of the cookie holding the anonymous visitor's key. */
      public String getName() {
        return name;
      }

      /** Sets the name of the cookie. */
      public void setName(String name) {
        this.name = name;
      }

      /** How long the cookie lives (default 365 days). */
      public Duration getMaxAge() {
        return maxAge;
      }

      /** Sets how long the cookie lives. */
      public void setMaxAge(Duration maxAge) {
        this.maxAge = maxAge;
      }
    }
  }

  /** {@code flags.endpoint.*}: the {@code flags} management endpoint. */
  @ConfigurationProperties("endpoint")
  public static class EndpointConfiguration {
    private boolean writeEnabled;

    /** Whether the endpoint may change flags (default false: read-only). */
    public boolean isWriteEnabled() {
      return writeEnabled;
    }

    /** Sets whether the endpoint may change flags. */
    public void setWriteEnabled(boolean writeEnabled) {
      this.writeEnabled = writeEnabled;
    }
  }

  /** {@code flags.health.*}: the health indicator. */
  @ConfigurationProperties("health")
  public static class HealthConfiguration {
    private boolean failOnUnavailable;

    /**
     * Whether the health indicator reports DOWN while the store is unavailable (default false: the
     * application still serves defaults, so it stays UP with the store's status in details).
     */
    public boolean isFailOnUnavailable() {
      return failOnUnavailable;
    }

    /** Sets whether an unavailable store makes the application DOWN. */
    public void setFailOnUnavailable(boolean failOnUnavailable) {
      this.failOnUnavailable = failOnUnavailable;
    }
  }

  /** {@code flags.web.*}: HTTP behaviour. */
  @ConfigurationProperties("web")
  public static class WebConfiguration {
    private int guardStatus = DEFAULT_GUARD_STATUS;

    /** HTTP status answered by a {@link FlagGuarded} controller method whose flag is off (404). */
    public int getGuardStatus() {
      return guardStatus;
    }

    /** Sets the HTTP status of a guarded controller method whose flag is off. */
    public void setGuardStatus(int guardStatus) {
      this.guardStatus = guardStatus;
    }
  }

  /** {@code flags.condition.*}: how {@link RequiresFlag} evaluates flags at start-up. */
  @ConfigurationProperties("condition")
  public static class ConditionConfiguration {
    private String contextKey = DEFAULT_CONDITION_CONTEXT_KEY;

    /** Context key (of kind {@code application}) flags are evaluated for at start-up. */
    public String getContextKey() {
      return contextKey;
    }

    /** Sets the context key flags are evaluated for at start-up. */
    public void setContextKey(String contextKey) {
      this.contextKey = contextKey;
    }
  }
}
