package dev.flags.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One run of flagctl: its environment, output streams, terminal, clock, settings and — opened on
 * first use — its backend. Closed when the command ends. Used by one thread (watch's listener
 * prints under the session's lock).
 */
final class Session implements AutoCloseable {

  /** Default timeout for reaching a store. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  final Map<String, String> env;
  final PrintWriter out;
  final PrintWriter err;
  final Optional<BufferedReader> terminal;
  final Clock clock;
  private @Nullable Settings settings; // resolved on first use
  private @Nullable ConfigFile config; // read on first use
  private @Nullable Backend backend; // opened on first use

  Session(
      Map<String, String> env,
      PrintWriter out,
      PrintWriter err,
      Optional<BufferedReader> terminal,
      Clock clock) {
    this.env = env;
    this.out = out;
    this.err = err;
    this.terminal = terminal;
    this.clock = clock;
  }

  ConfigFile config() {
    if (config == null) {
      config = ConfigFile.read(ConfigFile.location(env));
      if (config.holdsSecrets() && config.readableByOthers()) {
        err.println(
            "flagctl: warning: "
                + config.path()
                + " holds secrets and other users can read it; run chmod 600 "
                + config.path());
      }
    }
    return config;
  }

  Settings settings(Cli cli) {
    if (settings == null) {
      Map<Key, String> options = new EnumMap<>(Key.class);
      cli.options().forEach((k, v) -> options.put(k, v));
      settings = Settings.resolve(options, env, config(), Optional.ofNullable(cli.profile));
    }
    return settings;
  }

  /** Opens the store the settings name (once). */
  Backend backend(Cli cli, boolean mayCreate, boolean writes) {
    if (backend == null) {
      Settings s = settings(cli);
      Duration timeout = timeout(s);
      backend =
          switch (s.kind()) {
            case FILE -> FileStores.open(s, clock, timeout, mayCreate, writes);
            case REDIS -> RedisStores.open(s, clock, timeout);
            case SERVER -> HttpBackend.open(s, clock, timeout);
          };
    }
    return backend;
  }

  static Duration timeout(Settings s) {
    return s.get(Key.TIMEOUT)
        .map(t -> Durations.parse(t, "timeout (" + s.sources().get(Key.TIMEOUT) + ")"))
        .orElse(DEFAULT_TIMEOUT);
  }

  /** The OS user, the default actor. */
  String osUser() {
    String u = env.get("USER");
    if (u == null || u.isBlank()) {
      u = env.get("LOGNAME");
    }
    if (u == null || u.isBlank()) {
      u = System.getProperty("user.name", "");
    }
    return u.isBlank() ? "unknown" : u;
  }

  /**
   * Asks a yes/no question on the terminal. Without a terminal, the answer is no (scripts say --yes
   * instead).
   */
  boolean confirm(String question) {
    if (terminal.isEmpty()) {
      return false;
    }
    err.print(question + " [y/N] ");
    err.flush();
    try {
      String line = terminal.get().readLine();
      return line != null
          && (line.strip().equalsIgnoreCase("y") || line.strip().equalsIgnoreCase("yes"));
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    if (backend != null) {
      backend.close();
    }
    out.flush();
    err.flush();
  }
}
