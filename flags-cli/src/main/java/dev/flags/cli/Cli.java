package dev.flags.cli;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top command: the options every command takes (connection, output) and the commands. */
@Command(
    name = "flagctl",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    usageHelpAutoWidth = true,
    description = {
      "Reads and changes feature flags in a flag file, in Redis, or through a running"
          + " application's admin HTTP API: validated, versioned, audited."
    },
    commandListHeading = "%nCommands:%n",
    footerHeading = "%n",
    footer = {
      "Examples:",
      "  flagctl list",
      "  flagctl kill new_checkout_flow --reason \"INC-7: card errors\"",
      "  flagctl restore new_checkout_flow",
      "",
      "Where the flags are: --file, --redis, --sentinel-master/--sentinel, --cluster or --server;"
          + " or FLAGCTL_FILE, FLAGCTL_REDIS_URL, FLAGCTL_SERVER…; or a profile of"
          + " ~/.config/flagctl/config (flagctl profile --help).",
      "",
      "Exit codes: 0 ok, 1 not found, 2 invalid input, 3 conflict, 4 store unreachable,"
          + " 5 refused by the user.",
      "Docs: docs/flagctl.md"
    })
final class Cli implements java.util.concurrent.Callable<Integer> {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** {@code flagctl} alone: the usage, as {@code flagctl --help} prints it. */
  @Override
  public Integer call() {
    spec.commandLine().usage(session.out);
    return Exit.OK;
  }

  /**
   * The commands, with their aliases. Added to the command line programmatically: building the
   * model of one command instead of all of them is a good part of a fast start (see {@link
   * Flagctl#commandLine}).
   */
  static final List<Entry> COMMANDS =
      List.of(
          new Entry(ListCommand::new, "list", "ls"),
          new Entry(GetCommand::new, "get"),
          new Entry(SwitchCommand.On::new, "on"),
          new Entry(SwitchCommand.Off::new, "off"),
          new Entry(SwitchCommand.Kill::new, "kill"),
          new Entry(RolloutCommand::new, "rollout"),
          new Entry(PlanCommand::new, "plan", "guarded-rollout"),
          new Entry(TargetCommand::new, "target"),
          new Entry(ExplainCommand::new, "explain"),
          new Entry(AuditCommand::new, "audit", "log"),
          new Entry(RestoreCommand::new, "restore", "undo"),
          new Entry(StaleCommand::new, "stale", "past-kill-date"),
          new Entry(ValidateCommand::new, "validate"),
          new Entry(DiffCommand::new, "diff"),
          new Entry(ImportCommand::new, "import"),
          new Entry(ExportCommand::new, "export"),
          new Entry(WatchCommand::new, "watch"),
          new Entry(AdoptCommand::new, "adopt"),
          new Entry(ProfileCommand::new, "profile"),
          new Entry(CompletionCommand::new, "completion"));

  /** A command: how to make it, its name and aliases (as its {@code @Command} says them). */
  // The aliases are varargs for the table of commands; an entry is never compared or hashed.
  @SuppressWarnings("ArrayRecordComponent")
  record Entry(Supplier<Object> factory, String name, String... aliases) {
    boolean named(String word) {
      return name.equals(word) || Arrays.asList(aliases).contains(word);
    }
  }

  @SuppressWarnings("NullAway.Init") // Flagctl sets it before any command runs
  Session session;

  @Option(
      names = "--profile",
      scope = ScopeType.INHERIT,
      paramLabel = "NAME",
      description =
          "Use this profile of the config file (default: FLAGCTL_PROFILE, else its"
              + " current-profile).")
  @Nullable String profile;

  @Option(
      names = "--file",
      scope = ScopeType.INHERIT,
      paramLabel = "PATH",
      description = "A flag file, or a directory of *.json flag files (FLAGCTL_FILE).")
  @Nullable String file;

  @Option(
      names = "--redis",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description =
          "Redis: redis://host:6379 or rediss:// for TLS (FLAGCTL_REDIS_URL). The"
              + " password: FLAGCTL_REDIS_PASSWORD or the profile.")
  @Nullable String redis;

  @Option(
      names = "--redis-user",
      scope = ScopeType.INHERIT,
      paramLabel = "USER",
      description = "Redis ACL user (FLAGCTL_REDIS_USER).")
  @Nullable String redisUser;

  @Option(
      names = "--tls",
      scope = ScopeType.INHERIT,
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "true|false",
      description = "Use TLS to Redis (FLAGCTL_TLS; rediss:// implies it).")
  @Nullable String tls;

  @Option(
      names = "--sentinel-master",
      scope = ScopeType.INHERIT,
      paramLabel = "NAME",
      description = "Redis Sentinel: the master's name (FLAGCTL_SENTINEL_MASTER).")
  @Nullable String sentinelMaster;

  @Option(
      names = "--sentinel",
      scope = ScopeType.INHERIT,
      paramLabel = "HOST:PORT,…",
      description = "Redis Sentinel: the Sentinels (FLAGCTL_SENTINEL_NODES).")
  @Nullable String sentinelNodes;

  @Option(
      names = "--cluster",
      scope = ScopeType.INHERIT,
      paramLabel = "HOST:PORT,…",
      description = "Redis Cluster: some of its nodes (FLAGCTL_CLUSTER_NODES).")
  @Nullable String cluster;

  @Option(
      names = "--prefix",
      scope = ScopeType.INHERIT,
      paramLabel = "PREFIX",
      description =
          "Redis key prefix; the services' (default feature:, {feature}: on a"
              + " Cluster) (FLAGCTL_PREFIX).")
  @Nullable String prefix;

  @Option(
      names = "--server",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description =
          "The admin HTTP API of an application or flags-server, e.g."
              + " https://app.example/flags/api (FLAGCTL_SERVER). Credentials: FLAGCTL_TOKEN (bearer),"
              + " or FLAGCTL_SERVER_USER and FLAGCTL_SERVER_PASSWORD (basic).")
  @Nullable String server;

  @Option(
      names = "--server-user",
      scope = ScopeType.INHERIT,
      paramLabel = "USER",
      description = "User for the admin HTTP API's basic authentication (FLAGCTL_SERVER_USER).")
  @Nullable String serverUser;

  @Option(
      names = "--timeout",
      scope = ScopeType.INHERIT,
      paramLabel = "DURATION",
      description = "How long to wait for the store: 500ms, 5s… (FLAGCTL_TIMEOUT; default 5s).")
  @Nullable String timeout;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print JSON for scripts instead of tables (errors too).")
  boolean json;

  /** The connection settings given on the command line. */
  Map<Key, String> options() {
    Map<Key, String> m = new EnumMap<>(Key.class);
    put(m, Key.FILE, file);
    put(m, Key.REDIS, redis);
    put(m, Key.REDIS_USER, redisUser);
    put(m, Key.TLS, tls);
    put(m, Key.SENTINEL_MASTER, sentinelMaster);
    put(m, Key.SENTINEL_NODES, sentinelNodes);
    put(m, Key.CLUSTER_NODES, cluster);
    put(m, Key.PREFIX, prefix);
    put(m, Key.SERVER, server);
    put(m, Key.SERVER_USER, serverUser);
    put(m, Key.TIMEOUT, timeout);
    return m;
  }

  private static void put(Map<Key, String> m, Key k, @Nullable String v) {
    if (v != null && !v.isBlank()) {
      m.put(k, v.strip());
    }
  }
}
