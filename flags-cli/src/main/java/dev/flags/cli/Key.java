package dev.flags.cli;

import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One connection setting: its name in a profile, its environment variable and its command-line
 * option (secrets have none: a command line is visible to every user of the machine).
 */
enum Key {
  FILE("file", "--file", false, true),
  REDIS("redis", "--redis", false, true),
  REDIS_USER("redis-user", "--redis-user", false, false),
  REDIS_PASSWORD("redis-password", null, true, false),
  TLS("tls", "--tls", false, false),
  VERIFY_HOSTNAME("verify-hostname", null, false, false),
  SENTINEL_MASTER("sentinel-master", "--sentinel-master", false, true),
  SENTINEL_NODES("sentinel-nodes", "--sentinel", false, false),
  SENTINEL_USER("sentinel-user", null, false, false),
  SENTINEL_PASSWORD("sentinel-password", null, true, false),
  CLUSTER_NODES("cluster-nodes", "--cluster", false, true),
  PREFIX("prefix", "--prefix", false, false),
  SERVER("server", "--server", false, true),
  SERVER_USER("server-user", "--server-user", false, false),
  SERVER_PASSWORD("server-password", null, true, false),
  TOKEN("token", null, true, false),
  TIMEOUT("timeout", "--timeout", false, false),
  ACTOR("actor", "--actor", false, false);

  private final String name;
  private final @Nullable String option; // null: no command-line option
  private final boolean secret;
  private final boolean address;

  Key(String name, @Nullable String option, boolean secret, boolean address) {
    this.name = name;
    this.option = option;
    this.secret = secret;
    this.address = address;
  }

  /** The key in a profile: {@code redis-user}. */
  String profileName() {
    return name;
  }

  /** The environment variable: {@code FLAGCTL_REDIS_USER} ({@code FLAGCTL_REDIS_URL}). */
  String env() {
    String n = this == REDIS ? "redis-url" : name;
    return "FLAGCTL_" + n.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** The command-line option, when there is one. */
  Optional<String> option() {
    return Optional.ofNullable(option);
  }

  /** Never printed: masked in every output. */
  boolean secret() {
    return secret;
  }

  /** Names a store: exactly one address kind may be given. */
  boolean address() {
    return address;
  }

  static Optional<Key> byProfileName(String name) {
    for (Key k : values()) {
      if (k.name.equals(name)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
