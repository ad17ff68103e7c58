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
 *   store: redis                 # redis | file | properties (default)
 *   static:                      # the flags of the properties store; bootstrap values for the others
 *     new_checkout_flow: true
 *     banner_text: "Hello"
 *   file.path: /etc/app/flags.json  # or classpath:flags.json
 *   redis:
 *     url: redis://localhost:6379  # or sentinel.master + sentinel.nodes, or cluster.nodes
 *     prefix: "feature:"
 *     sync-interval: 30s
 *     keyspace-notifications: false
 *     snapshot-file: /var/cache/app/flags-snapshot.json
 *   context:
 *     header: X-User-Id
 *     anonymous-cookie: flags_anonymous_id
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
  /** The default {@code flags.store}. */
  public static final String DEFAULT_STORE = "properties";
  /** The default {@code flags.context.header}. */
  public static final String DEFAULT_CONTEXT_HEADER = "X-User-Id";
  /** The default {@code flags.context.anonymous-cookie}. */
  public static final String DEFAULT_ANONYMOUS_COOKIE = "flags_anonymous_id";
  /** The default {@code flags.startup-timeout}. */
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(5);

  private String store = DEFAULT_STORE;
  private Map<String, Object> staticFlags = new LinkedHashMap<>();
  private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
  private FileConfiguration file = new FileConfiguration();
  private RedisConfiguration redis = new RedisConfiguration();
  private ContextConfiguration context = new ContextConfiguration();
  private EndpointConfiguration endpoint = new EndpointConfiguration();
  private HealthConfiguration health = new HealthConfiguration();

  /** The store kinds {@code flags.store} accepts. */
  public enum StoreKind {
    /** Flags from {@code flags.static.*}. */
    PROPERTIES,
    /** Flags from a JSON file ({@code flags.file.path}), reloaded when it changes. */
    FILE,
    /** Flags in Redis ({@code flags.redis.*}); needs {@code dev.flags:flags-redis}. */
    REDIS
  }

  /** Where flags come from: {@code redis}, {@code file} or {@code properties} (default). */
  public String getStore() {
    return store;
  }

  /** Sets where flags come from: {@code redis}, {@code file} or {@code properties}. */
  public void setStore(String store) {
    this.store = store;
  }

  /**
   * The store kind.
   *
   * @throws io.micronaut.context.exceptions.ConfigurationException naming {@code flags.store}
   */
  public StoreKind storeKind() {
    return Validation.storeKind(store);
  }

  /**
   * The {@code flags.static.*} values: on/off switches ({@code true}/{@code false}) or a value
   * served to everyone. With the properties store they are the flags; with the file or Redis
   * store they are served until the store's first load.
   */
  public Map<String, Object> getStatic() {
    return staticFlags;
  }

  /** Sets the {@code flags.static.*} values; keys are flag keys, kept as written. */
  public void setStatic(
      @MapFormat(transformation = MapFormat.MapTransformation.FLAT, keyFormat = StringConvention.RAW)
          Map<String, Object> staticFlags) {
    this.staticFlags = new LinkedHashMap<>(staticFlags);
  }

  /** How long a start-up condition ({@link RequiresFlag}) waits for the store's first load. */
  public Duration getStartupTimeout() {
    return startupTimeout;
  }

  /** Sets how long a start-up condition waits for the store's first load (default 5s). */
  public void setStartupTimeout(Duration startupTimeout) {
    this.startupTimeout = startupTimeout;
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
  }

  /** {@code flags.redis.*}: the Redis store (standalone by URL, Sentinel or Cluster). */
  @ConfigurationProperties("redis")
  public static class RedisConfiguration {
    private @Nullable String url;
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

    /** Whether to also listen to keyspace notifications, to see raw {@code SET}s (default false). */
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
    private String anonymousCookie = DEFAULT_ANONYMOUS_COOKIE;

    /** The request header holding the context key when no user is authenticated. */
    public String getHeader() {
      return header;
    }

    /** Sets the request header holding the context key. */
    public void setHeader(String header) {
      this.header = header;
    }

    /** The cookie keeping a generated key for anonymous visitors, so their buckets are sticky. */
    public String getAnonymousCookie() {
      return anonymousCookie;
    }

    /** Sets the name of the anonymous-visitor cookie. */
    public void setAnonymousCookie(String anonymousCookie) {
      this.anonymousCookie = anonymousCookie;
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
     * Whether the health indicator reports DOWN while the store is unavailable (default false:
     * the application still serves defaults, so it stays UP with the store's status in details).
     */
    public boolean isFailOnUnavailable() {
      return failOnUnavailable;
    }

    /** Sets whether an unavailable store makes the application DOWN. */
    public void setFailOnUnavailable(boolean failOnUnavailable) {
      this.failOnUnavailable = failOnUnavailable;
    }
  }
}
