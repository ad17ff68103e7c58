package dev.flags.integration;

import dev.flags.core.FlagSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every {@code flags.*} setting, bound from a {@link SettingsSource} and validated: the one
 * configuration model of the Spring Boot starter, the Micronaut module and anything else built on
 * this layer. The keys, types, defaults and meanings are the table of {@link Setting}; {@code
 * docs/settings.md} lists them.
 *
 * {@snippet :
 * FlagsSettings settings = FlagsSettings.from(SettingsSource.of(Map.of(
 *     "flags.store", "file",
 *     "flags.file.path", "/etc/myapp/flags.json")));
 * }
 *
 * <p>Binding checks every value and fails on the first bad one with a {@link
 * FlagsConfigurationException} naming the property and the value (masked for secrets). A key under
 * {@code flags.} that is no setting is a warning naming the closest known key (logged, and kept in
 * {@link #warnings()}); a removed key is an error naming its replacement.
 *
 * <p>Immutable and thread-safe. {@link #toString()} masks every secret.
 */
public final class FlagsSettings {

  private final boolean enabled;
  private final StoreKind store;
  private final Map<String, String> staticValues;
  private final FlagSet staticFlags;
  private final Optional<Duration> failFastTimeout;
  private final File file;
  private final Redis redis;
  private final Context context;
  private final String conditionContextKey;
  private final int webGuardStatus;
  private final boolean healthFailOnUnavailable;
  private final boolean metricsEnabled;
  private final Admin admin;
  private final Dashboard dashboard;
  private final Ofrep ofrep;
  private final GuardedRollouts guardedRollouts;
  private final List<String> warnings;

  FlagsSettings(
      boolean enabled,
      StoreKind store,
      Map<String, String> staticValues,
      FlagSet staticFlags,
      Optional<Duration> failFastTimeout,
      File file,
      Redis redis,
      Context context,
      String conditionContextKey,
      int webGuardStatus,
      boolean healthFailOnUnavailable,
      boolean metricsEnabled,
      Admin admin,
      Dashboard dashboard,
      Ofrep ofrep,
      GuardedRollouts guardedRollouts,
      List<String> warnings) {
    this.enabled = enabled;
    this.store = store;
    this.staticValues = Map.copyOf(staticValues);
    this.staticFlags = staticFlags;
    this.failFastTimeout = failFastTimeout;
    this.file = file;
    this.redis = redis;
    this.context = context;
    this.conditionContextKey = conditionContextKey;
    this.webGuardStatus = webGuardStatus;
    this.healthFailOnUnavailable = healthFailOnUnavailable;
    this.metricsEnabled = metricsEnabled;
    this.admin = admin;
    this.dashboard = dashboard;
    this.ofrep = ofrep;
    this.guardedRollouts = guardedRollouts;
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Binds and validates the settings of {@code source}; logs a warning for each unknown {@code
   * flags.*} key.
   *
   * @throws FlagsConfigurationException naming the first bad property
   */
  public static FlagsSettings from(SettingsSource source) {
    return SettingsBinder.bind(Objects.requireNonNull(source, "source"));
  }

  /** The settings with every default: the properties store with no flags. */
  public static FlagsSettings defaults() {
    return from(SettingsSource.of(Map.of()));
  }

  /** {@code flags.enabled}: whether to create the client and everything around it. */
  public boolean enabled() {
    return enabled;
  }

  /** {@code flags.store}, as configured or inferred. */
  public StoreKind store() {
    return store;
  }

  /** {@code flags.static.*} as written, by flag key. */
  public Map<String, String> staticValues() {
    return staticValues;
  }

  /**
   * The flags of {@code flags.static.*}: the properties store's flags, and what the file and Redis
   * stores serve until their first load.
   */
  public FlagSet staticFlags() {
    return staticFlags;
  }

  /** {@code flags.fail-fast-timeout}: how long start-up waits for the first load; empty: never. */
  public Optional<Duration> failFastTimeout() {
    return failFastTimeout;
  }

  /** {@code flags.file.*}. */
  public File file() {
    return file;
  }

  /** {@code flags.redis.*}. */
  public Redis redis() {
    return redis;
  }

  /** {@code flags.context.*}: who a request is evaluated for. */
  public Context context() {
    return context;
  }

  /** {@code flags.condition.context-key}. */
  public String conditionContextKey() {
    return conditionContextKey;
  }

  /** {@code flags.web.guard-status}. */
  public int webGuardStatus() {
    return webGuardStatus;
  }

  /** {@code flags.health.fail-on-unavailable}. */
  public boolean healthFailOnUnavailable() {
    return healthFailOnUnavailable;
  }

  /** {@code flags.metrics.enabled}. */
  public boolean metricsEnabled() {
    return metricsEnabled;
  }

  /** {@code flags.admin.*}. */
  public Admin admin() {
    return admin;
  }

  /** {@code flags.dashboard.*}. */
  public Dashboard dashboard() {
    return dashboard;
  }

  /** {@code flags.ofrep.*}. */
  public Ofrep ofrep() {
    return ofrep;
  }

  /** {@code flags.guarded-rollouts.*}. */
  public GuardedRollouts guardedRollouts() {
    return guardedRollouts;
  }

  /** The warnings binding logged (unknown keys), for tests and start-up reports. */
  public List<String> warnings() {
    return warnings;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlagsSettings s
        && s.enabled == enabled
        && s.store == store
        && s.staticValues.equals(staticValues)
        && s.failFastTimeout.equals(failFastTimeout)
        && s.file.equals(file)
        && s.redis.equals(redis)
        && s.context.equals(context)
        && s.conditionContextKey.equals(conditionContextKey)
        && s.webGuardStatus == webGuardStatus
        && s.healthFailOnUnavailable == healthFailOnUnavailable
        && s.metricsEnabled == metricsEnabled
        && s.admin.equals(admin)
        && s.dashboard.equals(dashboard)
        && s.ofrep.equals(ofrep)
        && s.guardedRollouts.equals(guardedRollouts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        store, staticValues, file, redis, context, admin, dashboard, ofrep, guardedRollouts);
  }

  @Override
  public String toString() {
    return "FlagsSettings[enabled="
        + enabled
        + ", store="
        + store.settingValue()
        + ", static="
        + staticValues
        + ", failFastTimeout="
        + failFastTimeout.map(Durations::format).orElse("none")
        + ", "
        + file
        + ", "
        + redis
        + ", "
        + context
        + ", conditionContextKey="
        + conditionContextKey
        + ", webGuardStatus="
        + webGuardStatus
        + ", healthFailOnUnavailable="
        + healthFailOnUnavailable
        + ", metricsEnabled="
        + metricsEnabled
        + ", "
        + admin
        + ", "
        + dashboard
        + ", "
        + ofrep
        + ", "
        + guardedRollouts
        + "]";
  }

  private static final Pattern USER_INFO = Pattern.compile("//[^/@]*@");

  /** A Redis URL with its user information (user and password) hidden. */
  static String maskUrl(String url) {
    return USER_INFO.matcher(url).replaceAll("//****@");
  }

  private static String mask(Optional<String> secret) {
    return secret.isPresent() ? "****" : "none";
  }

  /**
   * {@code flags.file.*}. Immutable and thread-safe.
   *
   * @param path {@code flags.file.path}; {@code classpath:} names a resource
   * @param watch {@code flags.file.watch}
   * @param pollInterval {@code flags.file.poll-interval}
   */
  public record File(Optional<String> path, boolean watch, Duration pollInterval) {

    /** The prefix of a {@link #path()} naming a classpath resource. */
    public static final String CLASSPATH_PREFIX = "classpath:";

    public File {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(pollInterval, "pollInterval");
    }

    /** Whether the path names a classpath resource, which cannot be written. */
    public boolean isClasspath() {
      return path.filter(p -> p.startsWith(CLASSPATH_PREFIX)).isPresent();
    }

    @Override
    public String toString() {
      return "file[path="
          + path.orElse("none")
          + ", watch="
          + watch
          + ", pollInterval="
          + Durations.format(pollInterval)
          + "]";
    }
  }

  /**
   * {@code flags.redis.*}. Exactly one address kind is set when the store is Redis: {@link #url()},
   * the {@link #sentinel()} master and nodes, or {@link #clusterNodes()}. Immutable and
   * thread-safe; {@link #toString()} masks the passwords and a URL's user information.
   *
   * @param url {@code flags.redis.url}
   * @param username {@code flags.redis.username}
   * @param password {@code flags.redis.password} (secret)
   * @param ssl {@code flags.redis.ssl}; empty: as the URL says
   * @param verifyHostname {@code flags.redis.verify-hostname}
   * @param timeout {@code flags.redis.timeout}
   * @param prefix {@code flags.redis.prefix}; empty: the store's default for the mode
   * @param syncInterval {@code flags.redis.sync-interval}
   * @param keyspaceNotifications {@code flags.redis.keyspace-notifications}
   * @param snapshotFile {@code flags.redis.snapshot-file}
   * @param conditionTimeout {@code flags.redis.condition-timeout}
   * @param writeTimeout {@code flags.redis.write-timeout}
   * @param adoptRawKeys {@code flags.redis.adopt-raw-keys}
   * @param warmUpChangePath {@code flags.redis.warm-up-change-path}
   * @param restoreOnDataLoss {@code flags.redis.restore-on-data-loss}
   * @param instanceName {@code flags.redis.instance-name}, or the default {@code host-pid}
   * @param sentinel {@code flags.redis.sentinel.*}
   * @param clusterNodes {@code flags.redis.cluster.nodes}
   */
  public record Redis(
      Optional<String> url,
      Optional<String> username,
      Optional<String> password,
      Optional<Boolean> ssl,
      boolean verifyHostname,
      Duration timeout,
      Optional<String> prefix,
      Duration syncInterval,
      boolean keyspaceNotifications,
      Optional<String> snapshotFile,
      Duration conditionTimeout,
      Duration writeTimeout,
      boolean adoptRawKeys,
      boolean warmUpChangePath,
      boolean restoreOnDataLoss,
      String instanceName,
      Sentinel sentinel,
      List<String> clusterNodes) {

    public Redis {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(ssl, "ssl");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(prefix, "prefix");
      Objects.requireNonNull(syncInterval, "syncInterval");
      Objects.requireNonNull(snapshotFile, "snapshotFile");
      Objects.requireNonNull(conditionTimeout, "conditionTimeout");
      Objects.requireNonNull(writeTimeout, "writeTimeout");
      Objects.requireNonNull(instanceName, "instanceName");
      Objects.requireNonNull(sentinel, "sentinel");
      clusterNodes = List.copyOf(clusterNodes);
    }

    /** Whether any address is set: a URL, a Sentinel master or nodes, or Cluster nodes. */
    public boolean hasAddress() {
      return url.isPresent() || sentinel.isSet() || !clusterNodes.isEmpty();
    }

    /** Whether the connection uses TLS: {@link #ssl()}, else a {@code rediss://} URL. */
    public boolean usesTls() {
      return ssl.orElseGet(
          () -> url.filter(u -> u.regionMatches(true, 0, "rediss:", 0, 7)).isPresent());
    }

    @Override
    public String toString() {
      return "redis[url="
          + url.map(FlagsSettings::maskUrl).orElse("none")
          + ", username="
          + username.orElse("none")
          + ", password="
          + mask(password)
          + ", ssl="
          + ssl.map(String::valueOf).orElse("from url")
          + ", verifyHostname="
          + verifyHostname
          + ", timeout="
          + Durations.format(timeout)
          + ", prefix="
          + prefix.orElse("default")
          + ", syncInterval="
          + Durations.format(syncInterval)
          + ", keyspaceNotifications="
          + keyspaceNotifications
          + ", snapshotFile="
          + snapshotFile.orElse("none")
          + ", conditionTimeout="
          + Durations.format(conditionTimeout)
          + ", writeTimeout="
          + Durations.format(writeTimeout)
          + ", adoptRawKeys="
          + adoptRawKeys
          + ", warmUpChangePath="
          + warmUpChangePath
          + ", restoreOnDataLoss="
          + restoreOnDataLoss
          + ", instanceName="
          + instanceName
          + ", "
          + sentinel
          + ", clusterNodes="
          + clusterNodes
          + "]";
    }
  }

  /**
   * {@code flags.redis.sentinel.*}. Immutable and thread-safe; {@link #toString()} masks the
   * password.
   *
   * @param master {@code flags.redis.sentinel.master}
   * @param nodes {@code flags.redis.sentinel.nodes}, {@code host:port}
   * @param username {@code flags.redis.sentinel.username}
   * @param password {@code flags.redis.sentinel.password} (secret)
   */
  public record Sentinel(
      Optional<String> master,
      List<String> nodes,
      Optional<String> username,
      Optional<String> password) {

    public Sentinel {
      Objects.requireNonNull(master, "master");
      nodes = List.copyOf(nodes);
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    /** Whether a master or nodes are set. */
    public boolean isSet() {
      return master.isPresent() || !nodes.isEmpty();
    }

    @Override
    public String toString() {
      return "sentinel[master="
          + master.orElse("none")
          + ", nodes="
          + nodes
          + ", username="
          + username.orElse("none")
          + ", password="
          + mask(password)
          + "]";
    }
  }

  /**
   * {@code flags.context.*}: the request-context policy ({@link RequestContextPolicy}). Immutable
   * and thread-safe.
   *
   * @param header {@code flags.context.header}; empty: no header is read
   * @param trustedProxies {@code flags.context.trusted-proxies}, CIDRs as written
   * @param anonymousCookie {@code flags.context.anonymous-cookie.*}
   */
  public record Context(
      Optional<String> header, List<String> trustedProxies, AnonymousCookie anonymousCookie) {
    public Context {
      Objects.requireNonNull(header, "header");
      trustedProxies = List.copyOf(trustedProxies);
      Objects.requireNonNull(anonymousCookie, "anonymousCookie");
    }

    @Override
    public String toString() {
      return "context[header="
          + header.orElse("none")
          + ", trustedProxies="
          + trustedProxies
          + ", "
          + anonymousCookie
          + "]";
    }
  }

  /**
   * {@code flags.context.anonymous-cookie.*}. Immutable and thread-safe; {@link #toString()} masks
   * the secret.
   *
   * @param enabled {@code flags.context.anonymous-cookie.enabled}
   * @param name {@code flags.context.anonymous-cookie.name}
   * @param maxAge {@code flags.context.anonymous-cookie.max-age}
   * @param secret {@code flags.context.anonymous-cookie.secret} (secret); empty: a random key per
   *     process
   */
  public record AnonymousCookie(
      boolean enabled, String name, Duration maxAge, Optional<String> secret) {
    public AnonymousCookie {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(maxAge, "maxAge");
      Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
      return "anonymousCookie[enabled="
          + enabled
          + ", name="
          + name
          + ", maxAge="
          + Durations.format(maxAge)
          + ", secret="
          + mask(secret)
          + "]";
    }
  }

  /**
   * {@code flags.admin.*}: the admin HTTP API ({@link AdminApi}). Immutable and thread-safe.
   *
   * @param enabled {@code flags.admin.enabled}
   * @param path {@code flags.admin.path}, starting with {@code /}, without a trailing one
   * @param writeEnabled {@code flags.admin.write-enabled}
   * @param viewerRole {@code flags.admin.viewer-role}
   * @param editorRole {@code flags.admin.editor-role}
   * @param insecureLocalDevelopment {@code flags.admin.insecure-local-development}
   */
  public record Admin(
      boolean enabled,
      String path,
      boolean writeEnabled,
      String viewerRole,
      String editorRole,
      boolean insecureLocalDevelopment) {
    public Admin {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(viewerRole, "viewerRole");
      Objects.requireNonNull(editorRole, "editorRole");
    }

    @Override
    public String toString() {
      return "admin[enabled="
          + enabled
          + ", path="
          + path
          + ", writeEnabled="
          + writeEnabled
          + ", viewerRole="
          + viewerRole
          + ", editorRole="
          + editorRole
          + ", insecureLocalDevelopment="
          + insecureLocalDevelopment
          + "]";
    }
  }

  /**
   * {@code flags.dashboard.*}: the dashboard's web pages (module flags-dashboard). Immutable and
   * thread-safe; {@link #toString()} masks the secret.
   *
   * @param enabled {@code flags.dashboard.enabled}
   * @param path {@code flags.dashboard.path}, starting with {@code /}, without a trailing one
   * @param environment {@code flags.dashboard.environment}; empty: confirmations name the store
   * @param csrfSecret {@code flags.dashboard.csrf-secret} (secret); empty: a random key per process
   * @param insecureLocalDevelopment {@code flags.dashboard.insecure-local-development}
   */
  public record Dashboard(
      boolean enabled,
      String path,
      Optional<String> environment,
      Optional<String> csrfSecret,
      boolean insecureLocalDevelopment) {
    public Dashboard {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(environment, "environment");
      Objects.requireNonNull(csrfSecret, "csrfSecret");
    }

    @Override
    public String toString() {
      return "dashboard[enabled="
          + enabled
          + ", path="
          + path
          + ", environment="
          + environment.orElse("none")
          + ", csrfSecret="
          + mask(csrfSecret)
          + ", insecureLocalDevelopment="
          + insecureLocalDevelopment
          + "]";
    }
  }

  /**
   * {@code flags.ofrep.*}: OpenFeature's remote evaluation protocol ({@link OfrepApi}). Immutable
   * and thread-safe; {@link #toString()} masks the token.
   *
   * @param enabled {@code flags.ofrep.enabled}
   * @param path {@code flags.ofrep.path}, starting with {@code /}, ending with {@code /ofrep}
   * @param token {@code flags.ofrep.token} (secret); empty: callers are the application's
   *     authenticated users
   * @param role {@code flags.ofrep.role}; empty: any authenticated caller
   */
  public record Ofrep(boolean enabled, String path, Optional<String> token, Optional<String> role) {
    public Ofrep {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(role, "role");
    }

    @Override
    public String toString() {
      return "ofrep[enabled="
          + enabled
          + ", path="
          + path
          + ", token="
          + mask(token)
          + ", role="
          + role.orElse("any")
          + "]";
    }
  }

  /**
   * {@code flags.guarded-rollouts.*}: guarded progressive rollouts in this instance
   * (docs/guarded-rollouts.md). Only {@link #enabled()} switches anything on; the rest applies when
   * it is {@code true}. Immutable and thread-safe.
   *
   * @param enabled {@code flags.guarded-rollouts.enabled}; {@code true} needs the Redis store
   * @param requestOutcomes {@code flags.guarded-rollouts.request-outcomes}
   * @param controller {@code flags.guarded-rollouts.controller}
   * @param checkInterval {@code flags.guarded-rollouts.check-interval}
   * @param outcomeFlushInterval {@code flags.guarded-rollouts.outcome-flush-interval}
   */
  public record GuardedRollouts(
      boolean enabled,
      boolean requestOutcomes,
      boolean controller,
      Duration checkInterval,
      Duration outcomeFlushInterval) {
    public GuardedRollouts {
      Objects.requireNonNull(checkInterval, "checkInterval");
      Objects.requireNonNull(outcomeFlushInterval, "outcomeFlushInterval");
    }

    @Override
    public String toString() {
      return "guardedRollouts[enabled="
          + enabled
          + ", requestOutcomes="
          + requestOutcomes
          + ", controller="
          + controller
          + ", checkInterval="
          + Durations.format(checkInterval)
          + ", outcomeFlushInterval="
          + Durations.format(outcomeFlushInterval)
          + "]";
    }
  }
}
