package dev.flags.cli;

import dev.flags.core.FlagValidationException;
import dev.flags.core.JsonValue;
import dev.flags.core.admin.FlagConflictException;
import dev.flags.core.admin.FlagNotFoundException;
import dev.flags.core.admin.MalformedFlagException;
import dev.flags.core.admin.ReadOnlyStoreException;
import dev.flags.core.admin.StoreUnavailableException;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/**
 * flagctl's entry point: {@code java -jar flagctl.jar ARGS}, or better the {@code flagctl}
 * launcher, which starts it faster. docs/flagctl.md describes every command, the profiles and the
 * exit codes (0 ok, 1 not found, 2 invalid input, 3 conflict, 4 store unreachable, 5 refused by the
 * user). Not instantiable; {@link #main} exits the JVM with the command's code.
 */
public final class Flagctl {

  /** An error that is a bug of flagctl (EX_SOFTWARE): the stack trace goes to stderr. */
  static final int INTERNAL_ERROR = 70;

  private Flagctl() {}

  /**
   * Runs flagctl with the process's environment and terminal, and exits with its exit code.
   *
   * @param args the command line, e.g. {@code kill new_checkout_flow --reason INC-7}
   */
  public static void main(String[] args) {
    PrintWriter out =
        new PrintWriter(
            new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8),
            false);
    PrintWriter err =
        new PrintWriter(
            new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8),
            true);
    // Release 17 has no Console.isTerminal; on JDK 22 and newer a console exists without a
    // terminal too, and prompts then read standard input, as they would here.
    @SuppressWarnings("SystemConsoleNull")
    boolean noConsole = System.console() == null;
    Optional<BufferedReader> terminal =
        noConsole
            ? Optional.empty()
            : Optional.of(
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    int code;
    if (args.length == 2 && args[0].equals("--cds-training")) {
      code = Training.run(args[1], System.getenv(), out, err);
    } else {
      code = run(args, System.getenv(), out, err, terminal, Clock.systemUTC());
    }
    out.flush();
    err.flush();
    System.exit(code);
  }

  static int run(
      String[] args,
      Map<String, String> env,
      PrintWriter out,
      PrintWriter err,
      Optional<BufferedReader> terminal,
      Clock clock) {
    Cli cli = new Cli();
    try (Session session = new Session(env, out, err, terminal, clock)) {
      cli.session = session;
      CommandLine cmd = commandLine(cli, args);
      cmd.setOut(out);
      cmd.setErr(err);
      cmd.setCaseInsensitiveEnumValuesAllowed(true);
      cmd.setParameterExceptionHandler(
          (ex, a) -> {
            String hint =
                "; " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help shows how";
            return fail(cli, session, new CliException(Exit.INVALID, ex.getMessage() + hint));
          });
      cmd.setExecutionExceptionHandler(
          (ex, commandLine, parseResult) -> {
            boolean writes = commandLine.getCommand() instanceof Base b && b.writes();
            return fail(cli, session, toCli(ex, writes, cli, session));
          });
      return cmd.execute(args);
    }
  }

  private static int fail(Cli cli, Session session, CliException e) {
    if (e.exitCode() == INTERNAL_ERROR) {
      Throwable cause = e.getCause();
      (cause != null ? cause : e).printStackTrace(session.err);
    }
    session.err.println("flagctl: " + e.getMessage());
    if (cli.json) {
      Map<String, JsonValue> error = new LinkedHashMap<>();
      error.put("code", JsonValue.of(e.exitCode()));
      error.put("kind", JsonValue.of(Exit.name(e.exitCode())));
      error.put("message", JsonValue.of(String.valueOf(e.getMessage())));
      error.putAll(e.details());
      session.out.println(
          JsonOut.pretty(new JsonValue.Obj(Map.of("error", new JsonValue.Obj(error)))));
    }
    return e.exitCode();
  }

  /** The exit code and one-line message of an error. */
  static CliException toCli(Throwable ex, boolean writes, Cli cli, Session session) {
    String nothing = writes ? "; nothing was written" : "";
    if (ex instanceof CliException c) {
      return c;
    }
    if (ex instanceof FlagNotFoundException e) {
      return CliException.notFound(
          "no "
              + e.kind().name().toLowerCase(java.util.Locale.ROOT)
              + " \""
              + e.key()
              + "\""
              + where(cli, session)
              + "; flagctl list shows the flags there");
    }
    if (ex instanceof FlagConflictException e) {
      Map<String, JsonValue> details = new LinkedHashMap<>();
      details.put("currentVersion", JsonValue.of(e.currentVersion()));
      e.lastChange()
          .ifPresent(
              c ->
                  details.put(
                      "changedBy",
                      JsonOut.obj()
                          .put("actor", c.actor())
                          .put("time", c.time())
                          .put("reason", c.reason())
                          .build()));
      return new CliException(
          Exit.CONFLICT,
          e.getMessage()
              + nothing
              + (e.expectedVersion() >= 0
                  ? " (flagctl get " + e.key() + " shows it; --force writes over it)"
                  : ""),
          details,
          e);
    }
    if (ex instanceof MalformedFlagException e) {
      return new CliException(Exit.CONFLICT, e.getMessage() + nothing, Map.of(), e);
    }
    if (ex instanceof ReadOnlyStoreException e) {
      return new CliException(Exit.UNREACHABLE, e.getMessage() + nothing, Map.of(), e);
    }
    if (ex instanceof StoreUnavailableException e) {
      String m = String.valueOf(e.getMessage());
      boolean said =
          m.contains("nothing was written")
              || m.contains("not applied")
              || m.contains("may have been applied");
      boolean remote = false;
      try {
        remote = session.settings(cli).kind() != Settings.Kind.FILE;
      } catch (RuntimeException settingsError) {
        // no settings: no hint
      }
      return new CliException(
          Exit.UNREACHABLE,
          m
              + (remote
                  ? "; check the address and that it is up (flagctl profile show says where the"
                      + " settings come from)"
                  : "")
              + (writes && !said
                  ? e.mayHaveBeenApplied()
                      ? "; the change may have been applied: look (flagctl get) before retrying"
                      : "; nothing was written"
                  : ""),
          Map.of("mayHaveBeenApplied", JsonValue.of(e.mayHaveBeenApplied())),
          e);
    }
    if (ex instanceof FlagValidationException || ex instanceof IllegalArgumentException) {
      return new CliException(Exit.INVALID, ex.getMessage() + nothing, Map.of(), ex);
    }
    return new CliException(
        INTERNAL_ERROR,
        "internal error (a bug of flagctl, please report it with the stack trace above): " + ex,
        Map.of(),
        ex);
  }

  private static String where(Cli cli, Session session) {
    try {
      return " (" + session.settings(cli).store() + ")";
    } catch (RuntimeException e) {
      return "";
    }
  }

  /**
   * The command line, with only the command the arguments name when they name one: picocli builds
   * the model of every command it is given, from annotations, and that is most of its start-up.
   * Help of flagctl itself, completion, and a mistyped command get all of them.
   */
  static CommandLine commandLine(Cli cli, String[] args) {
    CommandLine cmd = new CommandLine(cli);
    Cli.Entry named = null;
    for (int i = 0; i < args.length && named == null; i++) {
      String a = args[i];
      if (a.startsWith("-")) {
        if (!a.contains("=") && TAKES_VALUE.contains(a)) {
          i++; // the option's value, not a command
        }
        continue;
      }
      for (Cli.Entry e : Cli.COMMANDS) {
        if (e.named(a)) {
          named = e;
        }
      }
      break;
    }
    for (Cli.Entry e : Cli.COMMANDS) {
      if (named == null || e.equals(named)) {
        cmd.addSubcommand(e.name(), e.factory().get(), e.aliases());
      }
    }
    return cmd;
  }

  /** flagctl's own options that take a value. */
  private static final java.util.Set<String> TAKES_VALUE =
      java.util.Set.of(
          "--profile",
          "--file",
          "--redis",
          "--redis-user",
          "--sentinel-master",
          "--sentinel",
          "--cluster",
          "--prefix",
          "--server",
          "--server-user",
          "--timeout");

  /** Every command with all its subcommands: for completion and the tests. */
  static CommandLine full() {
    return commandLine(new Cli(), new String[0]);
  }

  /** The commands' names. */
  static List<String> commandNames() {
    return Cli.COMMANDS.stream().map(Cli.Entry::name).toList();
  }
}
