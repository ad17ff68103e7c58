package dev.flags.micronaut;

import dev.flags.core.FlagValidationException;
import dev.flags.core.InMemoryFlagStore;
import io.micronaut.context.exceptions.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Checks {@link FlagsConfiguration}; every message starts with the property at fault. */
final class Validation {

  private Validation() {}

  static FlagsConfiguration.StoreKind storeKind(String store) {
    if (store != null) {
      String s = store.trim().toLowerCase(Locale.ROOT);
      for (FlagsConfiguration.StoreKind kind : FlagsConfiguration.StoreKind.values()) {
        if (kind.name().toLowerCase(Locale.ROOT).equals(s)) {
          return kind;
        }
      }
    }
    throw new ConfigurationException(
        "flags.store: unknown store \"" + store + "\"; use one of redis, file, properties");
  }

  static void validate(FlagsConfiguration config) {
    FlagsConfiguration.StoreKind kind = config.storeKind();
    staticValues(config.getStatic());
    config.getFailFastTimeout().ifPresent(d -> positive("flags.fail-fast-timeout", d));
    switch (kind) {
      case FILE -> {
        if (config.getFile().getPath().isEmpty()) {
          throw new ConfigurationException(
              "flags.file.path: required when flags.store=file (the JSON flag file to read)");
        }
        positive("flags.file.poll-interval", config.getFile().getPollInterval());
      }
      case REDIS -> redis(config.getRedis());
      case PROPERTIES -> {}
    }
    FlagsConfiguration.ContextConfiguration context = config.getContext();
    token("flags.context.header", context.getHeader());
    token("flags.context.anonymous-cookie.name", context.getAnonymousCookie().getName());
    positive("flags.context.anonymous-cookie.max-age", context.getAnonymousCookie().getMaxAge());
    String contextKey = config.getCondition().getContextKey();
    if (contextKey == null || contextKey.isEmpty()) {
      throw new ConfigurationException("flags.condition.context-key: must not be empty");
    }
    int status = config.getWeb().getGuardStatus();
    boolean known;
    try {
      io.micronaut.http.HttpStatus.valueOf(status);
      known = true;
    } catch (IllegalArgumentException e) {
      known = false;
    }
    if (!known || status < 400 || status > 599) {
      throw new ConfigurationException(
          "flags.web.guard-status: must be an HTTP error status (400..599), got " + status);
    }
  }

  /** The static flags as a store, or an error naming {@code flags.static.<key>}. */
  static InMemoryFlagStore staticValues(Map<String, Object> values) {
    for (Map.Entry<String, Object> e : values.entrySet()) {
      if (e.getValue() == null) {
        throw new ConfigurationException(
            "flags.static." + e.getKey() + ": no value; use true, false or a value");
      }
    }
    try {
      return InMemoryFlagStore.ofValues(StaticFlags.normalize(values));
    } catch (FlagValidationException e) {
      // The core reports the bad key as the path, and the problem as "key: ..." within the flag.
      String problem = e.problem().startsWith("key: ") ? e.problem().substring(5) : e.problem();
      throw new ConfigurationException("flags.static." + e.path() + ": " + problem, e);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("flags.static: " + e.getMessage(), e);
    }
  }

  private static void redis(FlagsConfiguration.RedisConfiguration redis) {
    boolean url = redis.getUrl().filter(u -> !u.isBlank()).isPresent();
    boolean sentinel =
        redis.getSentinel().getMaster().filter(m -> !m.isBlank()).isPresent()
            || !redis.getSentinel().getNodes().isEmpty();
    boolean cluster = !redis.getCluster().getNodes().isEmpty();
    int modes = (url ? 1 : 0) + (sentinel ? 1 : 0) + (cluster ? 1 : 0);
    if (modes == 0) {
      throw new ConfigurationException(
          "flags.redis.url: required when flags.store=redis (or flags.redis.sentinel.master with "
              + "flags.redis.sentinel.nodes, or flags.redis.cluster.nodes)");
    }
    if (modes > 1) {
      throw new ConfigurationException(
          "flags.redis: set only one of flags.redis.url, flags.redis.sentinel.*, flags.redis.cluster.nodes");
    }
    if (url) {
      String u = redis.getUrl().orElseThrow();
      try {
        URI uri = new URI(u);
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
          throw new ConfigurationException(
              "flags.redis.url: \"" + u + "\" must start with redis:// or rediss://");
        }
        if (uri.getHost() == null) {
          throw new ConfigurationException("flags.redis.url: \"" + u + "\" has no host");
        }
      } catch (URISyntaxException e) {
        throw new ConfigurationException(
            "flags.redis.url: \"" + u + "\" is not a URL: " + e.getMessage(), e);
      }
    }
    if (sentinel) {
      if (redis.getSentinel().getMaster().filter(m -> !m.isBlank()).isEmpty()) {
        throw new ConfigurationException(
            "flags.redis.sentinel.master: required with flags.redis.sentinel.nodes");
      }
      hostPorts("flags.redis.sentinel.nodes", redis.getSentinel().getNodes());
      if (redis.getSentinel().getUsername().isPresent()
          && redis.getSentinel().getPassword().isEmpty()) {
        throw new ConfigurationException(
            "flags.redis.sentinel.username: needs flags.redis.sentinel.password (the Sentinels' own password)");
      }
    }
    if (cluster) {
      hostPorts("flags.redis.cluster.nodes", redis.getCluster().getNodes());
    }
    if (redis.getPrefix().filter(String::isEmpty).isPresent()) {
      throw new ConfigurationException(
          "flags.redis.prefix: must not be empty (default \"feature:\")");
    }
    redis.getSyncInterval().ifPresent(d -> positive("flags.redis.sync-interval", d));
    redis.getTimeout().ifPresent(d -> positive("flags.redis.timeout", d));
    positive("flags.redis.condition-timeout", redis.getConditionTimeout());
  }

  private static void hostPorts(String property, List<String> nodes) {
    if (nodes.isEmpty()) {
      throw new ConfigurationException(property + ": at least one host:port is required");
    }
    for (int i = 0; i < nodes.size(); i++) {
      String node = nodes.get(i).trim();
      int colon = node.lastIndexOf(':');
      boolean ok = colon > 0 && colon < node.length() - 1;
      if (ok) {
        try {
          int port = Integer.parseInt(node.substring(colon + 1));
          ok = port > 0 && port < 65536;
        } catch (NumberFormatException e) {
          ok = false;
        }
      }
      if (!ok) {
        throw new ConfigurationException(
            property + "[" + i + "]: \"" + node + "\" is not host:port");
      }
    }
  }

  private static void positive(String property, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new ConfigurationException(property + ": must be a positive duration, got " + d);
    }
  }

  private static void token(String property, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigurationException(property + ": must not be empty");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
        throw new ConfigurationException(
            property
                + ": \""
                + value
                + "\" is not a valid name (character '"
                + c
                + "' at "
                + i
                + ")");
      }
    }
  }
}
