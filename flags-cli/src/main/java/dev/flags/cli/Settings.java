package dev.flags.cli;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the flags are and how to reach them, from three places in this order: command-line options,
 * environment variables ({@code FLAGCTL_*}), the profile ({@code --profile}, {@code
 * FLAGCTL_PROFILE} or the config file's {@code current-profile}). The first place that names a
 * store (a file, a Redis, a server) decides which store it is; its other settings (user, prefix,
 * TLS…) come from that place or a place before it, never from a profile naming another store, so a
 * password is only ever sent where it belongs. Immutable.
 *
 * @param kind the kind of store
 * @param values every setting in force
 * @param sources where each came from: {@code --file}, {@code FLAGCTL_FILE}, {@code profile prod}
 * @param profile the profile in force, if any
 */
record Settings(
    Settings.Kind kind,
    Map<Key, String> values,
    Map<Key, String> sources,
    Optional<String> profile) {

  enum Kind {
    FILE,
    REDIS,
    SERVER
  }

  Settings {
    values = java.util.Collections.unmodifiableMap(new EnumMap<>(values));
    sources = java.util.Collections.unmodifiableMap(new EnumMap<>(sources));
  }

  Optional<String> get(Key key) {
    return Optional.ofNullable(values.get(key)).filter(v -> !v.isEmpty());
  }

  /**
   * Resolves the settings.
   *
   * @param options the values given on the command line
   * @param profileOption the --profile option
   * @throws CliException (invalid input) if no store or two stores are named, or the profile does
   *     not exist
   */
  static Settings resolve(
      Map<Key, String> options,
      Map<String, String> env,
      ConfigFile config,
      Optional<String> profileOption) {
    Optional<String> profileName =
        profileOption
            .or(() -> Optional.ofNullable(env.get("FLAGCTL_PROFILE")).filter(s -> !s.isBlank()))
            .or(config::current);
    Map<Key, String> profile = Map.of();
    if (profileName.isPresent()) {
      Map<Key, String> p = config.profiles().get(profileName.get());
      if (p == null) {
        String from =
            profileOption.isPresent()
                ? "--profile"
                : env.containsKey("FLAGCTL_PROFILE") ? "FLAGCTL_PROFILE" : "current-profile";
        throw CliException.invalid(
            "no profile \""
                + profileName.get()
                + "\" (from "
                + from
                + ") in "
                + config.path()
                + Suggest.didYouMean(profileName.get(), config.profiles().keySet())
                + "; flagctl profile list shows the profiles");
      }
      profile = p;
    }
    Map<Key, String> fromEnv = new EnumMap<>(Key.class);
    for (Key k : Key.values()) {
      String v = env.get(k.env());
      if (v != null && !v.isBlank()) {
        fromEnv.put(k, v.strip());
      }
    }
    List<Level> levels =
        List.of(
            new Level(options, k -> k.option().orElse(k.profileName())),
            new Level(fromEnv, Key::env),
            new Level(profile, k -> "profile " + profileName.orElse("")));
    int chosen = -1;
    for (int i = 0; i < levels.size(); i++) {
      if (levels.get(i).values.keySet().stream().anyMatch(Key::address)) {
        chosen = i;
        break;
      }
    }
    if (chosen < 0) {
      throw CliException.invalid(
          "no store given: name one with --file, --redis, --sentinel-master, --cluster or"
              + " --server (or FLAGCTL_FILE, FLAGCTL_REDIS_URL, FLAGCTL_SERVER…), or choose a"
              + " profile with --profile; docs/flagctl.md says how");
    }
    Level level = levels.get(chosen);
    List<String> named = new ArrayList<>();
    Kind kind = null;
    for (Key k : List.of(Key.FILE, Key.REDIS, Key.SENTINEL_MASTER, Key.CLUSTER_NODES, Key.SERVER)) {
      if (level.values.containsKey(k)) {
        named.add(level.name.apply(k));
        kind = k == Key.FILE ? Kind.FILE : k == Key.SERVER ? Kind.SERVER : Kind.REDIS;
      }
    }
    if (named.size() > 1) {
      throw CliException.invalid(
          "give one store, not " + String.join(" and ", named) + ": they name different stores");
    }
    Map<Key, String> values = new EnumMap<>(Key.class);
    Map<Key, String> sources = new EnumMap<>(Key.class);
    for (int i = levels.size() - 1; i >= 0; i--) {
      Level l = levels.get(i);
      for (Map.Entry<Key, String> e : l.values.entrySet()) {
        // A setting of a level after the one that named the store is used only if it is not
        // about the connection (the actor, the timeout): never another store's address,
        // credentials, prefix or TLS.
        if (i > chosen && e.getKey() != Key.ACTOR && e.getKey() != Key.TIMEOUT) {
          continue;
        }
        values.put(e.getKey(), e.getValue());
        sources.put(e.getKey(), l.name.apply(e.getKey()));
      }
    }
    return new Settings(
        Objects.requireNonNull(kind, "the chosen level names a store"),
        values,
        sources,
        chosen == 2 ? profileName : Optional.<String>empty());
  }

  private record Level(Map<Key, String> values, java.util.function.Function<Key, String> name) {}

  /** The store in one line, secrets masked: {@code redis redis://h:6379 (prefix flags:)}. */
  String store() {
    StringBuilder b = new StringBuilder();
    switch (kind) {
      case FILE -> b.append("file ").append(values.get(Key.FILE));
      case SERVER -> b.append("server ").append(Mask.url(String.valueOf(values.get(Key.SERVER))));
      case REDIS -> {
        if (values.containsKey(Key.SENTINEL_MASTER)) {
          b.append("redis sentinel master ")
              .append(values.get(Key.SENTINEL_MASTER))
              .append(" via ")
              .append(values.getOrDefault(Key.SENTINEL_NODES, "(no --sentinel nodes)"));
        } else if (values.containsKey(Key.CLUSTER_NODES)) {
          b.append("redis cluster ").append(values.get(Key.CLUSTER_NODES));
        } else {
          b.append("redis ").append(Mask.url(String.valueOf(values.get(Key.REDIS))));
        }
        get(Key.PREFIX).ifPresent(p -> b.append(" (prefix ").append(p).append(')'));
      }
    }
    return b.toString();
  }

  /** Which store is written and through which profile: printed to stderr before every write. */
  String banner() {
    return profile
        .map(p -> "profile " + p + ": " + store())
        .orElseGet(() -> "no profile: " + store() + " (from " + addressSource() + ")");
  }

  private String addressSource() {
    for (Key k : Key.values()) {
      if (k.address() && sources.containsKey(k)) {
        return sources.get(k);
      }
    }
    return "?";
  }
}
