package dev.flags.integration;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code flags.*} setting: its key, type, default and meaning. The constants of this class are
 * the one table of settings: {@link FlagsSettings} binds and validates from it, {@code
 * docs/settings.md} and the configuration metadata for IDEs are generated from it (a test checks
 * both), and the parity kit checks every framework against it. A new setting is one new constant
 * here, listed in {@link #all()}, and its binding in {@link FlagsSettings}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param key the full key, such as {@code flags.file.path}; a map setting's entries are {@code
 *     <key>.<name>}
 * @param type how the value is written
 * @param defaultValue the default as it would be written, or empty when the setting has no fixed
 *     default (the description then says what happens when it is unset)
 * @param description one line starting with a verb, ending with a period
 * @param secret whether the value is a secret: never printed, in messages, logs or {@code
 *     toString()}
 * @param values the values allowed, for a setting that takes one of a few words; else empty
 */
public record Setting(
    String key,
    Type type,
    String defaultValue,
    String description,
    boolean secret,
    List<String> values) {

  /** How a setting's value is written. */
  public enum Type {
    /** {@code true} or {@code false}. */
    BOOLEAN("java.lang.Boolean"),
    /** Any text. */
    STRING("java.lang.String"),
    /** A whole number. */
    INTEGER("java.lang.Integer"),
    /**
     * A duration: a number with a unit ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code
     * 365d}; also {@code ns} and {@code us}), a plain number of milliseconds, or ISO-8601 ({@code
     * PT30S}).
     */
    DURATION("java.time.Duration"),
    /** A list: comma-separated, or indexed keys ({@code nodes[0]}, {@code nodes[1]}). */
    LIST("java.util.List<java.lang.String>"),
    /** Entries {@code <key>.<name>=<value>}. */
    MAP("java.util.Map<java.lang.String,java.lang.String>");

    private final String javaType;

    Type(String javaType) {
      this.javaType = javaType;
    }

    /** The Java type the value binds to, as configuration metadata names it. */
    public String javaType() {
      return javaType;
    }
  }

  public Setting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(description, "description");
    values = List.copyOf(values);
    if (!key.startsWith(PREFIX) || key.endsWith(".")) {
      throw new IllegalArgumentException("key: must start with flags. and name a setting: " + key);
    }
    if (description.isBlank() || !description.endsWith(".")) {
      throw new IllegalArgumentException("description of " + key + ": one sentence, with a period");
    }
  }

  /** The prefix of every setting. */
  public static final String PREFIX = "flags.";

  // ---------------------------------------------------------------- general

  /** {@code flags.enabled}. */
  public static final Setting ENABLED =
      of(
          "flags.enabled",
          Type.BOOLEAN,
          "true",
          "Whether to create the flags client and everything around it.");

  /** {@code flags.store}. */
  public static final Setting STORE =
      new Setting(
          "flags.store",
          Type.STRING,
          "",
          "Chooses the store flags are read from: properties, file or redis; unset, file when"
              + " flags.file.path is set, redis when a Redis address is, else properties.",
          false,
          List.of("properties", "file", "redis"));

  /** {@code flags.static.<key>}. */
  public static final Setting STATIC =
      of(
          "flags.static",
          Type.MAP,
          "",
          "Sets flags by key: true, on or yes and false, off or no make on/off switches, a JSON"
              + " number a number flag, any other text a string flag; the properties store's"
              + " flags, and what the file and Redis stores serve until their first load.");

  /** {@code flags.fail-fast-timeout}. */
  public static final Setting FAIL_FAST_TIMEOUT =
      of(
          "flags.fail-fast-timeout",
          Type.DURATION,
          "",
          "Limits how long start-up waits for the store's first load before failing; unset,"
              + " start-up does not wait.");

  // ---------------------------------------------------------------- file

  /** {@code flags.file.path}. */
  public static final Setting FILE_PATH =
      of(
          "flags.file.path",
          Type.STRING,
          "",
          "Names the JSON flag file or directory to read, which must exist; prefix classpath:"
              + " for a resource of the application (read-only, not watched).");

  /** {@code flags.file.watch}. */
  public static final Setting FILE_WATCH =
      of(
          "flags.file.watch",
          Type.BOOLEAN,
          "true",
          "Whether to listen to file system events; without them, changes are found by polling.");

  /** {@code flags.file.poll-interval}. */
  public static final Setting FILE_POLL_INTERVAL =
      of(
          "flags.file.poll-interval",
          Type.DURATION,
          "1s",
          "Sets how often the files are checked for changes the file system did not report.");

  // ---------------------------------------------------------------- redis

  /** {@code flags.redis.url}. */
  public static final Setting REDIS_URL =
      of(
          "flags.redis.url",
          Type.STRING,
          "",
          "Locates a standalone Redis server: redis://[[user]:password@]host[:port][/database],"
              + " rediss:// for TLS (the password is masked wherever the URL is shown).");

  /** {@code flags.redis.username}. */
  public static final Setting REDIS_USERNAME =
      of(
          "flags.redis.username",
          Type.STRING,
          "",
          "Sets the Redis ACL user of the data nodes; wins over a URL's own.");

  /** {@code flags.redis.password}. */
  public static final Setting REDIS_PASSWORD =
      secret("flags.redis.password", "Sets the password of the data nodes; wins over a URL's own.");

  /** {@code flags.redis.ssl}. */
  public static final Setting REDIS_SSL =
      of(
          "flags.redis.ssl",
          Type.BOOLEAN,
          "",
          "Whether to reach the data nodes over TLS; unset, only a rediss:// URL does.");

  /** {@code flags.redis.verify-hostname}. */
  public static final Setting REDIS_VERIFY_HOSTNAME =
      of(
          "flags.redis.verify-hostname",
          Type.BOOLEAN,
          "false",
          "Whether TLS also checks that the server's certificate names the host connected to;"
              + " needs TLS.");

  /** {@code flags.redis.timeout}. */
  public static final Setting REDIS_TIMEOUT =
      of(
          "flags.redis.timeout",
          Type.DURATION,
          "2s",
          "Limits how long one Redis command may take to connect and answer; evaluations never"
              + " wait on Redis.");

  /** {@code flags.redis.prefix}. */
  public static final Setting REDIS_PREFIX =
      of(
          "flags.redis.prefix",
          Type.STRING,
          "",
          "Sets the prefix of the flag keys in Redis; unset, feature: (on a Cluster {feature}:,"
              + " which holds a hash tag).");

  /** {@code flags.redis.sync-interval}. */
  public static final Setting REDIS_SYNC_INTERVAL =
      of(
          "flags.redis.sync-interval",
          Type.DURATION,
          "30s",
          "Sets how often the store checks that it has every change, in case a notification was"
              + " missed.");

  /** {@code flags.redis.keyspace-notifications}. */
  public static final Setting REDIS_KEYSPACE_NOTIFICATIONS =
      of(
          "flags.redis.keyspace-notifications",
          Type.BOOLEAN,
          "false",
          "Whether to turn Redis keyspace notifications on (CONFIG SET), so raw writes such as"
              + " redis-cli SET are seen at once.");

  /** {@code flags.redis.snapshot-file}. */
  public static final Setting REDIS_SNAPSHOT_FILE =
      of(
          "flags.redis.snapshot-file",
          Type.STRING,
          "",
          "Names a file that keeps the last flags read from Redis, served when Redis is down at"
              + " start-up.");

  /** {@code flags.redis.condition-timeout}. */
  public static final Setting REDIS_CONDITION_TIMEOUT =
      of(
          "flags.redis.condition-timeout",
          Type.DURATION,
          "500ms",
          "Limits how long a start-up flag condition waits for Redis.");

  /** {@code flags.redis.write-timeout}. */
  public static final Setting REDIS_WRITE_TIMEOUT =
      of(
          "flags.redis.write-timeout",
          Type.DURATION,
          "2s",
          "Limits how long an admin write waits for Redis before it is answered as unavailable.");

  /** {@code flags.redis.adopt-raw-keys}. */
  public static final Setting REDIS_ADOPT_RAW_KEYS =
      of(
          "flags.redis.adopt-raw-keys",
          Type.BOOLEAN,
          "true",
          "Whether flags written to Redis without this SDK (redis-cli SET) are adopted: given a"
              + " version and an audit entry as raw edits.");

  /** {@code flags.redis.warm-up-change-path}. */
  public static final Setting REDIS_WARM_UP_CHANGE_PATH =
      of(
          "flags.redis.warm-up-change-path",
          Type.BOOLEAN,
          "true",
          "Whether the store rehearses, once after start-up, the code a flag change runs through, so"
              + " the first changes reach every instance as fast as later ones.");

  /** {@code flags.redis.restore-on-data-loss}. */
  public static final Setting REDIS_RESTORE_ON_DATA_LOSS =
      of(
          "flags.redis.restore-on-data-loss",
          Type.BOOLEAN,
          "true",
          "Whether an instance that finds Redis emptied (a restart without persistence) writes"
              + " back the last flags it knew.");

  /** {@code flags.redis.instance-name}. */
  public static final Setting REDIS_INSTANCE_NAME =
      of(
          "flags.redis.instance-name",
          Type.STRING,
          "",
          "Names this instance in status reports and in Redis; unset, the host name and process"
              + " id, host-pid.");

  /** {@code flags.redis.sentinel.master}. */
  public static final Setting REDIS_SENTINEL_MASTER =
      of(
          "flags.redis.sentinel.master",
          Type.STRING,
          "",
          "Names the master the Sentinels watch, with flags.redis.sentinel.nodes.");

  /** {@code flags.redis.sentinel.nodes}. */
  public static final Setting REDIS_SENTINEL_NODES =
      of("flags.redis.sentinel.nodes", Type.LIST, "", "Lists the Sentinels as host:port.");

  /** {@code flags.redis.sentinel.username}. */
  public static final Setting REDIS_SENTINEL_USERNAME =
      of(
          "flags.redis.sentinel.username",
          Type.STRING,
          "",
          "Sets the ACL user of the Sentinels themselves, apart from the master's; needs"
              + " flags.redis.sentinel.password.");

  /** {@code flags.redis.sentinel.password}. */
  public static final Setting REDIS_SENTINEL_PASSWORD =
      secret(
          "flags.redis.sentinel.password",
          "Sets the password of the Sentinels themselves (their requirepass), apart from the"
              + " master's.");

  /** {@code flags.redis.cluster.nodes}. */
  public static final Setting REDIS_CLUSTER_NODES =
      of(
          "flags.redis.cluster.nodes",
          Type.LIST,
          "",
          "Lists some nodes of a Redis Cluster to start from, as host:port.");

  // ---------------------------------------------------------------- request context

  /** {@code flags.context.header}. */
  public static final Setting CONTEXT_HEADER =
      of(
          "flags.context.header",
          Type.STRING,
          "",
          "Names the request header holding the user key, believed only from"
              + " flags.context.trusted-proxies; unset, no header is read.");

  /** {@code flags.context.trusted-proxies}. */
  public static final Setting CONTEXT_TRUSTED_PROXIES =
      of(
          "flags.context.trusted-proxies",
          Type.LIST,
          "127.0.0.1/32,::1/128",
          "Lists the remote addresses (CIDRs) whose flags.context.header is believed;"
              + " 0.0.0.0/0,::/0 lets any caller choose its identity.");

  /** {@code flags.context.anonymous-cookie.enabled}. */
  public static final Setting COOKIE_ENABLED =
      of(
          "flags.context.anonymous-cookie.enabled",
          Type.BOOLEAN,
          "true",
          "Whether to give anonymous visitors a random id in a signed cookie, so rollouts are"
              + " sticky for them; without it they all share the key anonymous.");

  /** {@code flags.context.anonymous-cookie.name}. */
  public static final Setting COOKIE_NAME =
      of(
          "flags.context.anonymous-cookie.name",
          Type.STRING,
          "flags_visitor",
          "Names the cookie holding the anonymous visitor's id.");

  /** {@code flags.context.anonymous-cookie.max-age}. */
  public static final Setting COOKIE_MAX_AGE =
      of(
          "flags.context.anonymous-cookie.max-age",
          Type.DURATION,
          "365d",
          "Sets how long the anonymous visitor's cookie lives.");

  /** {@code flags.context.anonymous-cookie.secret}. */
  public static final Setting COOKIE_SECRET =
      secret(
          "flags.context.anonymous-cookie.secret",
          "Sets the key (16 characters or more) that signs anonymous ids with HMAC-SHA256; give"
              + " every instance of a fleet the same one. Unset, a random key per process.");

  // ---------------------------------------------------------------- framework features

  /** {@code flags.condition.context-key}. */
  public static final Setting CONDITION_CONTEXT_KEY =
      of(
          "flags.condition.context-key",
          Type.STRING,
          "application",
          "Sets the context key start-up flag conditions evaluate flags for.");

  /** {@code flags.web.guard-status}. */
  public static final Setting WEB_GUARD_STATUS =
      of(
          "flags.web.guard-status",
          Type.INTEGER,
          "404",
          "Sets the HTTP status (400 to 599) a guarded endpoint answers when its flag is off.");

  /** {@code flags.health.fail-on-unavailable}. */
  public static final Setting HEALTH_FAIL_ON_UNAVAILABLE =
      of(
          "flags.health.fail-on-unavailable",
          Type.BOOLEAN,
          "false",
          "Whether an unavailable store makes the health DOWN; by default it is UP, with the"
              + " status in the details.");

  /** {@code flags.metrics.enabled}. */
  public static final Setting METRICS_ENABLED =
      of(
          "flags.metrics.enabled",
          Type.BOOLEAN,
          "true",
          "Whether to record evaluation metrics when Micrometer is present.");

  // ---------------------------------------------------------------- admin HTTP API

  /** {@code flags.admin.enabled}. */
  public static final Setting ADMIN_ENABLED =
      of(
          "flags.admin.enabled",
          Type.BOOLEAN,
          "false",
          "Whether to serve the admin HTTP API (docs/admin-api.md).");

  /** {@code flags.admin.path}. */
  public static final Setting ADMIN_PATH =
      of(
          "flags.admin.path",
          Type.STRING,
          "/flags/api",
          "Sets the path the admin HTTP API is served under.");

  /** {@code flags.admin.write-enabled}. */
  public static final Setting ADMIN_WRITE_ENABLED =
      of(
          "flags.admin.write-enabled",
          Type.BOOLEAN,
          "false",
          "Whether the admin HTTP API accepts writes, from callers with the editor role.");

  /** {@code flags.admin.viewer-role}. */
  public static final Setting ADMIN_VIEWER_ROLE =
      of(
          "flags.admin.viewer-role",
          Type.STRING,
          "FLAGS_VIEWER",
          "Names the role that may read through the admin HTTP API.");

  /** {@code flags.admin.editor-role}. */
  public static final Setting ADMIN_EDITOR_ROLE =
      of(
          "flags.admin.editor-role",
          Type.STRING,
          "FLAGS_EDITOR",
          "Names the role that may read and write through the admin HTTP API.");

  /** {@code flags.admin.insecure-local-development}. */
  public static final Setting ADMIN_INSECURE_LOCAL_DEVELOPMENT =
      of(
          "flags.admin.insecure-local-development",
          Type.BOOLEAN,
          "false",
          "Whether an application without security may serve the admin HTTP API anyway: to"
              + " loopback callers only, as local-developer, with every role.");

  // ---------------------------------------------------------------- dashboard

  /** {@code flags.dashboard.enabled}. */
  public static final Setting DASHBOARD_ENABLED =
      of(
          "flags.dashboard.enabled",
          Type.BOOLEAN,
          "false",
          "Whether to serve the dashboard, the web pages that list, change and audit flags"
              + " (docs/dashboard.md).");

  /** {@code flags.dashboard.path}. */
  public static final Setting DASHBOARD_PATH =
      of(
          "flags.dashboard.path",
          Type.STRING,
          "/flags",
          "Sets the path the dashboard is served under; flags.admin.path may lie below it.");

  /** {@code flags.dashboard.environment}. */
  public static final Setting DASHBOARD_ENVIRONMENT =
      of(
          "flags.dashboard.environment",
          Type.STRING,
          "",
          "Names the environment the dashboard changes, such as production, in its header and in"
              + " every confirmation; unset, confirmations name the store.");

  /** {@code flags.dashboard.csrf-secret}. */
  public static final Setting DASHBOARD_CSRF_SECRET =
      secret(
          "flags.dashboard.csrf-secret",
          "Sets the key (16 characters or more) that signs the dashboard's CSRF tokens with"
              + " HMAC-SHA256; give every instance behind one address the same one. Unset, a"
              + " random key per process.");

  /** {@code flags.dashboard.insecure-local-development}. */
  public static final Setting DASHBOARD_INSECURE_LOCAL_DEVELOPMENT =
      of(
          "flags.dashboard.insecure-local-development",
          Type.BOOLEAN,
          "false",
          "Whether an application without security may serve the dashboard anyway: to loopback"
              + " callers only, as local-developer, with every role.");

  // ---------------------------------------------------------------- OFREP

  /** {@code flags.ofrep.enabled}. */
  public static final Setting OFREP_ENABLED =
      of(
          "flags.ofrep.enabled",
          Type.BOOLEAN,
          "false",
          "Whether to serve OpenFeature's remote evaluation protocol (OFREP), so services in other"
              + " languages evaluate these flags (docs/ofrep.md).");

  /** {@code flags.ofrep.path}. */
  public static final Setting OFREP_PATH =
      of(
          "flags.ofrep.path",
          Type.STRING,
          "/ofrep",
          "Sets the path OFREP is served under; its last segment is ofrep, since providers append"
              + " /ofrep/v1/... to their base URL (the part before it).");

  /** {@code flags.ofrep.token}. */
  public static final Setting OFREP_TOKEN =
      secret(
          "flags.ofrep.token",
          "Sets the token (16 characters or more) OFREP callers must send as Authorization: Bearer"
              + " or X-API-Key; unset, callers are the application's authenticated users.");

  /** {@code flags.ofrep.role}. */
  public static final Setting OFREP_ROLE =
      of(
          "flags.ofrep.role",
          Type.STRING,
          "",
          "Names the role an authenticated caller needs for OFREP when no token is set; unset, any"
              + " authenticated caller may evaluate.");

  // ---------------------------------------------------------------- guarded rollouts

  /** {@code flags.guarded-rollouts.enabled}. */
  public static final Setting GUARDED_ROLLOUTS_ENABLED =
      of(
          "flags.guarded-rollouts.enabled",
          Type.BOOLEAN,
          "false",
          "Whether this instance takes part in guarded rollouts (docs/guarded-rollouts.md):"
              + " flushes its outcomes to Redis and runs the controller that ramps plans and rolls"
              + " them back, one instance leading at a time; needs the Redis store.");

  /** {@code flags.guarded-rollouts.request-outcomes}. */
  public static final Setting GUARDED_ROLLOUTS_REQUEST_OUTCOMES =
      of(
          "flags.guarded-rollouts.request-outcomes",
          Type.BOOLEAN,
          "true",
          "Whether each web request that evaluated a flag with a plan counts as an outcome of the"
              + " variation it got: an error on a 5xx or an exception, else a success.");

  /** {@code flags.guarded-rollouts.controller}. */
  public static final Setting GUARDED_ROLLOUTS_CONTROLLER =
      of(
          "flags.guarded-rollouts.controller",
          Type.BOOLEAN,
          "true",
          "Whether this instance may lead the plans; false only records outcomes, for instances"
              + " that must never write flags.");

  /** {@code flags.guarded-rollouts.check-interval}. */
  public static final Setting GUARDED_ROLLOUTS_CHECK_INTERVAL =
      of(
          "flags.guarded-rollouts.check-interval",
          Type.DURATION,
          "5s",
          "Sets how often the controller renews its lease and looks at the plans (10ms to 10s).");

  /** {@code flags.guarded-rollouts.outcome-flush-interval}. */
  public static final Setting GUARDED_ROLLOUTS_OUTCOME_FLUSH_INTERVAL =
      of(
          "flags.guarded-rollouts.outcome-flush-interval",
          Type.DURATION,
          "10s",
          "Sets how often the outcomes counted in memory are sent to Redis (10ms to 10s).");

  // ---------------------------------------------------------------- flags-server

  /** {@code flags.server.users.<name>}: flags-server's users (docs/server.md). */
  public static final Setting SERVER_USERS =
      new Setting(
          "flags.server.users",
          Type.MAP,
          "",
          "Lists the users of flags-server as <name>=<role>:<bcrypt hash>, the role viewer or"
              + " editor; java -jar flags-server.jar hash-password prints the line.",
          true,
          List.of());

  /** {@code flags.server.oidc.role-claim}. */
  public static final Setting SERVER_OIDC_ROLE_CLAIM =
      of(
          "flags.server.oidc.role-claim",
          Type.STRING,
          "groups",
          "Names the claim of an OpenID Connect user that flags-server reads the user's roles"
              + " from.");

  /** {@code flags.server.oidc.editor-values}. */
  public static final Setting SERVER_OIDC_EDITOR_VALUES =
      of(
          "flags.server.oidc.editor-values",
          Type.LIST,
          "",
          "Lists the values of the role claim that make an OpenID Connect user an editor of"
              + " flags-server.");

  /** {@code flags.server.oidc.viewer-values}. */
  public static final Setting SERVER_OIDC_VIEWER_VALUES =
      of(
          "flags.server.oidc.viewer-values",
          Type.LIST,
          "",
          "Lists the values of the role claim that make an OpenID Connect user a viewer of"
              + " flags-server.");

  private static final List<Setting> ALL =
      List.of(
          ENABLED,
          STORE,
          STATIC,
          FAIL_FAST_TIMEOUT,
          FILE_PATH,
          FILE_WATCH,
          FILE_POLL_INTERVAL,
          REDIS_URL,
          REDIS_USERNAME,
          REDIS_PASSWORD,
          REDIS_SSL,
          REDIS_VERIFY_HOSTNAME,
          REDIS_TIMEOUT,
          REDIS_PREFIX,
          REDIS_SYNC_INTERVAL,
          REDIS_KEYSPACE_NOTIFICATIONS,
          REDIS_SNAPSHOT_FILE,
          REDIS_CONDITION_TIMEOUT,
          REDIS_WRITE_TIMEOUT,
          REDIS_ADOPT_RAW_KEYS,
          REDIS_WARM_UP_CHANGE_PATH,
          REDIS_RESTORE_ON_DATA_LOSS,
          REDIS_INSTANCE_NAME,
          REDIS_SENTINEL_MASTER,
          REDIS_SENTINEL_NODES,
          REDIS_SENTINEL_USERNAME,
          REDIS_SENTINEL_PASSWORD,
          REDIS_CLUSTER_NODES,
          CONTEXT_HEADER,
          CONTEXT_TRUSTED_PROXIES,
          COOKIE_ENABLED,
          COOKIE_NAME,
          COOKIE_MAX_AGE,
          COOKIE_SECRET,
          CONDITION_CONTEXT_KEY,
          WEB_GUARD_STATUS,
          HEALTH_FAIL_ON_UNAVAILABLE,
          METRICS_ENABLED,
          ADMIN_ENABLED,
          ADMIN_PATH,
          ADMIN_WRITE_ENABLED,
          ADMIN_VIEWER_ROLE,
          ADMIN_EDITOR_ROLE,
          ADMIN_INSECURE_LOCAL_DEVELOPMENT,
          DASHBOARD_ENABLED,
          DASHBOARD_PATH,
          DASHBOARD_ENVIRONMENT,
          DASHBOARD_CSRF_SECRET,
          DASHBOARD_INSECURE_LOCAL_DEVELOPMENT,
          OFREP_ENABLED,
          OFREP_PATH,
          OFREP_TOKEN,
          OFREP_ROLE,
          GUARDED_ROLLOUTS_ENABLED,
          GUARDED_ROLLOUTS_REQUEST_OUTCOMES,
          GUARDED_ROLLOUTS_CONTROLLER,
          GUARDED_ROLLOUTS_CHECK_INTERVAL,
          GUARDED_ROLLOUTS_OUTCOME_FLUSH_INTERVAL,
          SERVER_USERS,
          SERVER_OIDC_ROLE_CLAIM,
          SERVER_OIDC_EDITOR_VALUES,
          SERVER_OIDC_VIEWER_VALUES);

  /**
   * Keys that were settings once and are no longer, each with the key that replaces it: setting one
   * fails start-up with a message naming the replacement.
   */
  public static final Map<String, String> REMOVED =
      Map.of(
          "flags.actuator.write-enabled", "flags.admin.write-enabled",
          "flags.endpoint.write-enabled", "flags.admin.write-enabled");

  /** Every setting, in the order of {@code docs/settings.md}. */
  public static List<Setting> all() {
    return ALL;
  }

  /** The setting with this key, if there is one. */
  public static Optional<Setting> find(String key) {
    for (Setting s : ALL) {
      if (s.key.equals(key)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The value as it may be shown in messages and logs: {@code ****} for a secret. */
  public String show(String value) {
    return secret ? "****" : value;
  }

  private static Setting of(String key, Type type, String defaultValue, String description) {
    return new Setting(key, type, defaultValue, description, false, List.of());
  }

  private static Setting secret(String key, String description) {
    return new Setting(key, Type.STRING, "", description, true, List.of());
  }
}
