package dev.flags.integration;

import dev.flags.core.FlagSet;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Binds {@link FlagsSettings} from a {@link SettingsSource} by the table of {@link Setting}: each
 * value parsed by its type, then checked alone and in combination, each error naming the property
 * and the value (masked if secret).
 */
final class SettingsBinder {

  private static final System.Logger LOG = System.getLogger(FlagsSettings.class.getName());

  /** The shortest {@code flags.context.anonymous-cookie.secret}. */
  static final int MIN_SECRET_LENGTH = 16;

  /** The shortest poll and sync interval the stores accept. */
  private static final Duration MIN_INTERVAL = Duration.ofMillis(10);

  private final SettingsSource source;

  private SettingsBinder(SettingsSource source) {
    this.source = source;
  }

  static FlagsSettings bind(SettingsSource source) {
    return new SettingsBinder(source).bind();
  }

  private FlagsSettings bind() {
    removedKeys();
    List<String> warnings = unknownKeys();
    warnings.forEach(w -> LOG.log(Level.WARNING, w));

    boolean enabled = bool(Setting.ENABLED);
    Map<String, String> staticValues = new TreeMap<>(source.withPrefix(Setting.STATIC.key() + "."));
    FlagSet staticFlags = StaticValues.flags(staticValues);
    Optional<Duration> failFast = optionalDuration(Setting.FAIL_FAST_TIMEOUT, Duration.ofMillis(1));

    FlagsSettings.File file =
        new FlagsSettings.File(
            string(Setting.FILE_PATH),
            bool(Setting.FILE_WATCH),
            duration(Setting.FILE_POLL_INTERVAL, MIN_INTERVAL));
    FlagsSettings.Redis redis = redis();
    StoreKind store = store(file, redis);
    checkFile(store, file);
    checkRedis(store, redis);

    FlagsSettings.Context context = context();
    String conditionKey = required(Setting.CONDITION_CONTEXT_KEY);
    int guardStatus = integer(Setting.WEB_GUARD_STATUS);
    if (guardStatus < 400 || guardStatus > 599) {
      throw bad(
          Setting.WEB_GUARD_STATUS,
          Integer.toString(guardStatus),
          "is not an HTTP error status",
          "Use 404 (the default), 403, 410 or another status from 400 to 599.");
    }
    return new FlagsSettings(
        enabled,
        store,
        staticValues,
        staticFlags,
        failFast,
        file,
        redis,
        context,
        conditionKey,
        guardStatus,
        bool(Setting.HEALTH_FAIL_ON_UNAVAILABLE),
        bool(Setting.METRICS_ENABLED),
        admin(),
        dashboard(),
        ofrep(),
        guardedRollouts(store),
        warnings);
  }

  // ---------------------------------------------------------------- keys

  private void removedKeys() {
    Setting.REMOVED.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              Optional<String> v = source.get(e.getKey());
              if (v.isPresent()) {
                throw new FlagsConfigurationException(
                    e.getKey(),
                    v.get(),
                    "is no longer a setting; " + e.getValue() + " replaces it",
                    "Rename it to "
                        + e.getValue()
                        + " (docs/settings.md lists every flags.* setting).");
              }
            });
  }

  private List<String> unknownKeys() {
    List<String> warnings = new ArrayList<>();
    // The entries of a map setting (flags.static.<key>, flags.server.users.<name>) are its own.
    List<String> mapPrefixes = new ArrayList<>();
    for (Setting s : Setting.all()) {
      if (s.type() == Setting.Type.MAP) {
        mapPrefixes.add(s.key().substring(Setting.PREFIX.length()) + ".");
      }
    }
    for (String rest : new TreeMap<>(source.withPrefix(Setting.PREFIX)).keySet()) {
      if (mapPrefixes.stream().anyMatch(rest::startsWith)) {
        continue;
      }
      String key = Setting.PREFIX + rest.replaceAll("\\[\\d+]$", "");
      if (Setting.find(key).isPresent() || Setting.REMOVED.containsKey(key)) {
        continue;
      }
      String closest = closest(key);
      String w = key + " is not a flags setting and is ignored; did you mean " + closest + "?";
      if (!warnings.contains(w)) {
        warnings.add(w);
      }
    }
    return warnings;
  }

  /** The known key nearest to {@code key} by edit distance. */
  static String closest(String key) {
    String best = Setting.ENABLED.key();
    int bestDistance = Integer.MAX_VALUE;
    for (Setting s : Setting.all()) {
      int d = distance(key, s.key());
      if (d < bestDistance) {
        best = s.key();
        bestDistance = d;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  // ---------------------------------------------------------------- store

  private StoreKind store(FlagsSettings.File file, FlagsSettings.Redis redis) {
    Optional<String> configured = string(Setting.STORE);
    if (configured.isPresent()) {
      String v = configured.get().toLowerCase(Locale.ROOT);
      for (StoreKind k : StoreKind.values()) {
        if (k.settingValue().equals(v)) {
          return k;
        }
      }
      throw bad(
          Setting.STORE,
          configured.get(),
          "names no store",
          "Set flags.store to properties, file or redis, or remove it to infer the store.");
    }
    if (file.path().isPresent()) {
      return StoreKind.FILE;
    }
    return redis.hasAddress() ? StoreKind.REDIS : StoreKind.PROPERTIES;
  }

  private void checkFile(StoreKind store, FlagsSettings.File file) {
    if (store != StoreKind.FILE) {
      return;
    }
    if (file.path().isEmpty()) {
      throw bad(
          Setting.FILE_PATH,
          "",
          "is required by flags.store=file",
          "Set flags.file.path to a JSON flag file or directory, or classpath:flags.json.");
    }
    String path = file.path().get();
    if (file.isClasspath()) {
      String resource = path.substring(FlagsSettings.File.CLASSPATH_PREFIX.length()).strip();
      if (resource.startsWith("/")) {
        resource = resource.substring(1);
      }
      if (resource.isBlank()) {
        throw bad(
            Setting.FILE_PATH,
            path,
            "names no resource",
            "Write classpath: followed by the resource, such as classpath:flags.json.");
      }
      // The loader the file store reads with: the thread's context class loader, else ours.
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      if (loader == null) {
        loader = SettingsBinder.class.getClassLoader();
      }
      if (loader.getResource(resource) == null) {
        throw bad(
            Setting.FILE_PATH,
            path,
            "names a resource that is not on the classpath",
            "Put the flag file in the application's resources (src/main/resources), or correct"
                + " the name.");
      }
      return;
    }
    Path p;
    try {
      p = filePath(path);
    } catch (InvalidPathException e) {
      throw bad(
          Setting.FILE_PATH,
          path,
          "is not a valid path: " + e.getReason(),
          "Set flags.file.path to a JSON flag file or directory.");
    }
    if (!Files.exists(p)) {
      throw bad(
          Setting.FILE_PATH,
          path,
          "does not exist",
          "Create the file (a JSON flag file, docs/flag-format.md), or correct the path.");
    }
  }

  /** The file system path of a {@code flags.file.path} that is not a classpath resource. */
  static Path filePath(String path) {
    return Path.of(path.startsWith("file:") ? path.substring("file:".length()) : path);
  }

  // ---------------------------------------------------------------- redis

  private FlagsSettings.Redis redis() {
    return new FlagsSettings.Redis(
        string(Setting.REDIS_URL),
        string(Setting.REDIS_USERNAME),
        string(Setting.REDIS_PASSWORD),
        optionalBool(Setting.REDIS_SSL),
        bool(Setting.REDIS_VERIFY_HOSTNAME),
        duration(Setting.REDIS_TIMEOUT, Duration.ofMillis(1)),
        string(Setting.REDIS_PREFIX),
        duration(Setting.REDIS_SYNC_INTERVAL, MIN_INTERVAL),
        bool(Setting.REDIS_KEYSPACE_NOTIFICATIONS),
        string(Setting.REDIS_SNAPSHOT_FILE),
        duration(Setting.REDIS_CONDITION_TIMEOUT, Duration.ofMillis(1)),
        duration(Setting.REDIS_WRITE_TIMEOUT, Duration.ofMillis(1)),
        bool(Setting.REDIS_ADOPT_RAW_KEYS),
        bool(Setting.REDIS_WARM_UP_CHANGE_PATH),
        bool(Setting.REDIS_RESTORE_ON_DATA_LOSS),
        string(Setting.REDIS_INSTANCE_NAME).orElseGet(SettingsBinder::defaultInstanceName),
        new FlagsSettings.Sentinel(
            string(Setting.REDIS_SENTINEL_MASTER),
            list(Setting.REDIS_SENTINEL_NODES),
            string(Setting.REDIS_SENTINEL_USERNAME),
            string(Setting.REDIS_SENTINEL_PASSWORD)),
        list(Setting.REDIS_CLUSTER_NODES));
  }

  private void checkRedis(StoreKind store, FlagsSettings.Redis redis) {
    List<Setting> kinds = new ArrayList<>();
    if (redis.url().isPresent()) {
      kinds.add(Setting.REDIS_URL);
    }
    if (redis.sentinel().isSet()) {
      kinds.add(
          redis.sentinel().master().isPresent()
              ? Setting.REDIS_SENTINEL_MASTER
              : Setting.REDIS_SENTINEL_NODES);
    }
    if (!redis.clusterNodes().isEmpty()) {
      kinds.add(Setting.REDIS_CLUSTER_NODES);
    }
    if (kinds.size() > 1) {
      Setting second = kinds.get(1);
      throw bad(
          second,
          shown(second),
          "is set together with " + kinds.get(0).key() + ", and Redis is reached one way only",
          "Keep one of flags.redis.url, flags.redis.sentinel.* and flags.redis.cluster.nodes.");
    }
    if (kinds.isEmpty() && store == StoreKind.REDIS) {
      throw bad(
          Setting.REDIS_URL,
          "",
          "is required by flags.store=redis",
          "Set flags.redis.url (such as redis://localhost:6379), or flags.redis.sentinel.master"
              + " with flags.redis.sentinel.nodes, or flags.redis.cluster.nodes.");
    }
    redis.url().ifPresent(SettingsBinder::checkUrl);
    if (redis.sentinel().isSet()) {
      if (redis.sentinel().master().isEmpty()) {
        throw bad(
            Setting.REDIS_SENTINEL_MASTER,
            "",
            "is required with flags.redis.sentinel.nodes",
            "Set flags.redis.sentinel.master to the name of the master the Sentinels watch.");
      }
      if (redis.sentinel().nodes().isEmpty()) {
        throw bad(
            Setting.REDIS_SENTINEL_NODES,
            "",
            "is required with flags.redis.sentinel.master",
            "Set flags.redis.sentinel.nodes to the Sentinels, as host:port,host:port.");
      }
      hostPorts(Setting.REDIS_SENTINEL_NODES, redis.sentinel().nodes());
    }
    hostPorts(Setting.REDIS_CLUSTER_NODES, redis.clusterNodes());
    if (redis.sentinel().username().isPresent() && redis.sentinel().password().isEmpty()) {
      throw bad(
          Setting.REDIS_SENTINEL_USERNAME,
          redis.sentinel().username().get(),
          "needs a Sentinel password",
          "Set flags.redis.sentinel.password with the user.");
    }
    if (redis.username().isPresent()
        && redis.password().isEmpty()
        && !redis.url().map(SettingsBinder::urlHasPassword).orElse(false)) {
      throw bad(
          Setting.REDIS_USERNAME,
          redis.username().get(),
          "needs a password",
          "Set flags.redis.password with the user.");
    }
    if (redis.verifyHostname() && !redis.usesTls()) {
      throw bad(
          Setting.REDIS_VERIFY_HOSTNAME,
          "true",
          "checks the host name of a TLS certificate, and this connection is not over TLS",
          "Use a rediss:// URL or set flags.redis.ssl=true, or remove"
              + " flags.redis.verify-hostname.");
    }
    if (store == StoreKind.REDIS && !Classes.redisPresent()) {
      throw bad(
          Setting.STORE,
          "redis",
          "needs dev.flags:flags-redis (and its redis.clients:jedis) on the classpath",
          "Add the dependency dev.flags:flags-redis, or choose flags.store=properties or file.");
    }
  }

  private static void checkUrl(String url) {
    String shown = FlagsSettings.maskUrl(url);
    String fix = "Use redis://[[user]:password@]host[:port][/database], or rediss://... for TLS.";
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new FlagsConfigurationException(Setting.REDIS_URL.key(), shown, "is not a URL", fix);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw new FlagsConfigurationException(
          Setting.REDIS_URL.key(), shown, "is not a redis:// or rediss:// URL", fix);
    }
    if (uri.getHost() == null) {
      throw new FlagsConfigurationException(Setting.REDIS_URL.key(), shown, "names no host", fix);
    }
  }

  private static boolean urlHasPassword(String url) {
    try {
      String info = new URI(url).getRawUserInfo();
      return info != null && info.indexOf(':') >= 0 && info.indexOf(':') < info.length() - 1;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static void hostPorts(Setting setting, List<String> nodes) {
    for (String node : nodes) {
      int colon = node.lastIndexOf(':');
      boolean ok = colon > 0 && colon < node.length() - 1;
      if (ok) {
        String port = node.substring(colon + 1);
        ok =
            port.matches("\\d{1,5}")
                && Integer.parseInt(port) > 0
                && Integer.parseInt(port) < 65536;
      }
      if (!ok) {
        throw new FlagsConfigurationException(
            setting.key(),
            String.join(",", nodes),
            "holds \"" + node + "\", which is not host:port",
            "Write each node as host:port, separated by commas.");
      }
    }
  }

  /** The host name and process id, {@code host-1234}: what names this instance by default. */
  static String defaultInstanceName() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      host = System.getenv("COMPUTERNAME");
    }
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException | SecurityException e) {
        host = "localhost";
      }
    }
    return host.strip() + "-" + ProcessHandle.current().pid();
  }

  // ---------------------------------------------------------------- context and admin

  private FlagsSettings.Context context() {
    Optional<String> header = string(Setting.CONTEXT_HEADER);
    header.ifPresent(h -> token(Setting.CONTEXT_HEADER, h));
    List<String> proxies = list(Setting.CONTEXT_TRUSTED_PROXIES);
    for (String p : proxies) {
      try {
        AddressRange.parse(p);
      } catch (IllegalArgumentException e) {
        throw bad(
            Setting.CONTEXT_TRUSTED_PROXIES,
            String.join(",", proxies),
            "holds " + p + ", which is not a CIDR: " + e.getMessage(),
            "List address blocks such as 10.0.0.0/8,192.168.1.7,::1/128.");
      }
    }
    String name = required(Setting.COOKIE_NAME);
    token(Setting.COOKIE_NAME, name);
    Optional<String> secret = string(Setting.COOKIE_SECRET);
    if (secret.isPresent() && secret.get().length() < MIN_SECRET_LENGTH) {
      throw bad(
          Setting.COOKIE_SECRET,
          "****",
          "is shorter than " + MIN_SECRET_LENGTH + " characters",
          "Use a long random value, such as the output of openssl rand -base64 32, the same on"
              + " every instance.");
    }
    return new FlagsSettings.Context(
        header,
        proxies,
        new FlagsSettings.AnonymousCookie(
            bool(Setting.COOKIE_ENABLED),
            name,
            duration(Setting.COOKIE_MAX_AGE, Duration.ofSeconds(1)),
            secret));
  }

  private FlagsSettings.Admin admin() {
    String path = path(Setting.ADMIN_PATH, "/flags/api");
    String viewer = required(Setting.ADMIN_VIEWER_ROLE);
    String editor = required(Setting.ADMIN_EDITOR_ROLE);
    return new FlagsSettings.Admin(
        bool(Setting.ADMIN_ENABLED),
        path,
        bool(Setting.ADMIN_WRITE_ENABLED),
        viewer,
        editor,
        bool(Setting.ADMIN_INSECURE_LOCAL_DEVELOPMENT));
  }

  private FlagsSettings.Dashboard dashboard() {
    String path = path(Setting.DASHBOARD_PATH, "/flags");
    Optional<String> secret = string(Setting.DASHBOARD_CSRF_SECRET);
    if (secret.isPresent() && secret.get().length() < MIN_SECRET_LENGTH) {
      throw bad(
          Setting.DASHBOARD_CSRF_SECRET,
          "****",
          "is shorter than " + MIN_SECRET_LENGTH + " characters",
          "Use a long random value, such as the output of openssl rand -base64 32, the same on"
              + " every instance.");
    }
    return new FlagsSettings.Dashboard(
        bool(Setting.DASHBOARD_ENABLED),
        path,
        string(Setting.DASHBOARD_ENVIRONMENT),
        secret,
        bool(Setting.DASHBOARD_INSECURE_LOCAL_DEVELOPMENT));
  }

  private FlagsSettings.Ofrep ofrep() {
    String path = path(Setting.OFREP_PATH, "/ofrep");
    if (!path.endsWith("/ofrep")) {
      throw bad(
          Setting.OFREP_PATH,
          path,
          "does not end with /ofrep, and OFREP providers append /ofrep/v1/evaluate/flags to their"
              + " base URL, so none could reach it",
          "Use /ofrep (the default) or a path ending with /ofrep, such as /flags/ofrep; the"
              + " providers' base URL is then the part before /ofrep.");
    }
    Optional<String> token = string(Setting.OFREP_TOKEN);
    if (token.isPresent() && token.get().length() < MIN_SECRET_LENGTH) {
      throw bad(
          Setting.OFREP_TOKEN,
          "****",
          "is shorter than " + MIN_SECRET_LENGTH + " characters",
          "Use a long random value, such as the output of openssl rand -base64 32, and give it to"
              + " the OFREP providers as a bearer token.");
    }
    return new FlagsSettings.Ofrep(
        bool(Setting.OFREP_ENABLED), path, token, string(Setting.OFREP_ROLE));
  }

  /** The longest check and flush interval of guarded rollouts: one outcome bucket. */
  private static final Duration MAX_GUARDED_INTERVAL = Duration.ofSeconds(10);

  private FlagsSettings.GuardedRollouts guardedRollouts(StoreKind store) {
    Duration check = duration(Setting.GUARDED_ROLLOUTS_CHECK_INTERVAL, MIN_INTERVAL);
    Duration flush = duration(Setting.GUARDED_ROLLOUTS_OUTCOME_FLUSH_INTERVAL, MIN_INTERVAL);
    atMost(
        Setting.GUARDED_ROLLOUTS_CHECK_INTERVAL,
        check,
        "The controller's lease lasts 30s and must be renewed at least three times in it.");
    atMost(
        Setting.GUARDED_ROLLOUTS_OUTCOME_FLUSH_INTERVAL,
        flush,
        "Outcomes are counted in 10-second buckets; a flush must not span more than one.");
    boolean enabled = bool(Setting.GUARDED_ROLLOUTS_ENABLED);
    if (enabled && store != StoreKind.REDIS) {
      // Silently doing nothing would be worst: the team believes the canary is guarded.
      throw bad(
          Setting.GUARDED_ROLLOUTS_ENABLED,
          "true",
          "needs the Redis store, and the store is "
              + store.settingValue()
              + ": the outcomes of all instances meet in Redis, and the controller writes"
              + " through it",
          "Set flags.redis.url (or flags.store=redis with a Redis address), or remove"
              + " flags.guarded-rollouts.enabled.");
    }
    return new FlagsSettings.GuardedRollouts(
        enabled,
        bool(Setting.GUARDED_ROLLOUTS_REQUEST_OUTCOMES),
        bool(Setting.GUARDED_ROLLOUTS_CONTROLLER),
        check,
        flush);
  }

  private void atMost(Setting s, Duration d, String why) {
    if (d.compareTo(MAX_GUARDED_INTERVAL) > 0) {
      throw bad(
          s,
          string(s).orElse(s.defaultValue()),
          "must be at most " + Durations.format(MAX_GUARDED_INTERVAL),
          why + " Set " + s.key() + " to 10s or less.");
    }
  }

  /** A path setting: one or more segments, without a trailing slash. */
  private String path(Setting setting, String example) {
    String path = required(setting);
    if (path.endsWith("/") && path.length() > 1) {
      path = path.substring(0, path.length() - 1);
    }
    if (!path.matches("(/[A-Za-z0-9._~-]+)+")) {
      throw bad(
          setting,
          path,
          "is not a path of one or more segments",
          "Use a path such as "
              + example
              + " (letters, digits, '.', '_', '~' and '-' between slashes).");
    }
    return path;
  }

  private static void token(Setting setting, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
        throw bad(
            setting,
            value,
            "is not a valid name: character '" + c + "' at " + i,
            "Use letters, digits and - _ . ! # $ % & ' * + ^ ` | ~ only.");
      }
    }
  }

  // ---------------------------------------------------------------- values by type

  /** A value as given, trimmed; blank counts as unset. */
  private Optional<String> string(Setting s) {
    return source.get(s.key()).map(String::strip).filter(v -> !v.isEmpty());
  }

  private String required(Setting s) {
    String v = string(s).orElse(s.defaultValue());
    if (v.isEmpty()) {
      throw bad(s, "", "must not be empty", "Set " + s.key() + " or remove it for the default.");
    }
    return v;
  }

  private boolean bool(Setting s) {
    return optionalBool(s).orElseGet(() -> Boolean.parseBoolean(s.defaultValue()));
  }

  private Optional<Boolean> optionalBool(Setting s) {
    Optional<String> v = string(s);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    String t = v.get().toLowerCase(Locale.ROOT);
    if (t.equals("true") || t.equals("false")) {
      return Optional.of(t.equals("true"));
    }
    throw bad(s, v.get(), "is not true or false", "Set " + s.key() + " to true or false.");
  }

  private int integer(Setting s) {
    String v = string(s).orElse(s.defaultValue());
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw bad(s, v, "is not a whole number", "Set " + s.key() + " to a whole number.");
    }
  }

  private Duration duration(Setting s, Duration min) {
    return optionalDuration(s, min)
        .orElseGet(() -> Durations.parse(s.defaultValue()).orElseThrow());
  }

  private Optional<Duration> optionalDuration(Setting s, Duration min) {
    Optional<String> v = string(s);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    Duration d =
        Durations.parse(v.get())
            .orElseThrow(
                () ->
                    bad(
                        s,
                        v.get(),
                        "is not a duration",
                        "Write a duration such as 500ms, 30s, 5m, 2h or 365d."));
    if (d.compareTo(min) < 0) {
      throw bad(
          s,
          v.get(),
          "must be at least " + Durations.format(min),
          "Set " + s.key() + " to a positive duration such as 500ms, 30s or 5m.");
    }
    return Optional.of(d);
  }

  private List<String> list(Setting s) {
    String v = string(s).orElse(s.defaultValue());
    return Arrays.stream(v.split(",")).map(String::strip).filter(e -> !e.isEmpty()).toList();
  }

  private String shown(Setting s) {
    return string(s)
        .map(v -> s.equals(Setting.REDIS_URL) ? FlagsSettings.maskUrl(v) : s.show(v))
        .orElse("");
  }

  private static FlagsConfigurationException bad(
      Setting s, String value, String problem, String fix) {
    return new FlagsConfigurationException(s.key(), s.show(value), problem, fix);
  }
}
