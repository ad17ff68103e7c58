package dev.flags.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A real {@code redis-server} process started by a test on a free port, in its own temporary
 * directory, without persistence ({@code --save "" --appendonly no}) unless asked. Tests can kill
 * it ({@link #kill9()}), freeze it ({@link #freeze()}, SIGSTOP) and {@link #restart()} it on the
 * same port. {@link #close()} stops it; a JVM shutdown hook stops whatever a test left running.
 * Only processes started here are ever signalled.
 *
 * {@snippet :
 * try (RedisServerProcess redis = RedisServerProcess.start()) {
 *   String url = redis.uri(); // redis://127.0.0.1:<port>
 * }
 * }
 *
 * <p>Thread-safe.
 */
public final class RedisServerProcess implements AutoCloseable {

  /** How long a server is given to answer PING after starting. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private static final Set<RedisServerProcess> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (RedisServerProcess p : RUNNING) {
                    p.destroyNow();
                  }
                },
                "redis-test-processes-cleanup"));
  }

  private final int port;
  private final int tlsPort;
  private final Path dir;
  private final Optional<String> password;
  private final CommandLine command;
  private @Nullable Process process; // null while stopped
  private boolean frozen;
  private boolean closed;

  private RedisServerProcess(
      int port, int tlsPort, Path dir, Optional<String> password, CommandLine command) {
    this.port = port;
    this.tlsPort = tlsPort;
    this.dir = dir;
    this.password = password;
    this.command = command;
  }

  /** The command line of a server, given its port, its TLS port (or -1) and its directory. */
  @FunctionalInterface
  private interface CommandLine {
    List<String> apply(int port, int tlsPort, Path dir);
  }

  /** Starts a server with the default options. */
  public static RedisServerProcess start() {
    return start(new String[0]);
  }

  /**
   * Starts a server with extra {@code redis-server} options, such as {@code
   * "--notify-keyspace-events", "K$g"} or {@code "--requirepass", "secret"}. Options given here
   * override the defaults ({@code --save ""}, {@code --appendonly no}). With {@code --requirepass},
   * {@link #jedis()} and the start-up check log in with that password.
   */
  public static RedisServerProcess start(String... options) {
    List<String> extra = List.of(options);
    return launch(
        false,
        false,
        requirepass(extra),
        (port, tlsPort, dir) -> standardCommand(port, dir, extra));
  }

  /** The value following the last {@code --requirepass} of {@code options}, if any. */
  private static Optional<String> requirepass(List<String> options) {
    int i = options.lastIndexOf("--requirepass");
    return i >= 0 && i + 1 < options.size() ? Optional.of(options.get(i + 1)) : Optional.empty();
  }

  /**
   * Starts a server that also accepts TLS connections, on {@link #tlsPort()} ({@link #tlsUri()}),
   * with this PEM certificate and private key (see {@link TestCertificate}); clients need no
   * certificate of their own. {@link #port()}, {@link #uri()} and {@link #jedis()} stay plain, for
   * the test's own checks.
   */
  public static RedisServerProcess startTls(Path certificate, Path privateKey, String... options) {
    List<String> extra = List.of(options);
    return launch(
        false,
        true,
        requirepass(extra),
        (port, tlsPort, dir) -> {
          List<String> cmd =
              standardCommand(
                  port,
                  dir,
                  List.of(
                      "--tls-port", Integer.toString(tlsPort),
                      "--tls-cert-file", certificate.toAbsolutePath().toString(),
                      "--tls-key-file", privateKey.toAbsolutePath().toString(),
                      "--tls-ca-cert-file", certificate.toAbsolutePath().toString(),
                      "--tls-auth-clients", "no"));
          cmd.addAll(extra);
          return cmd;
        });
  }

  private static List<String> standardCommand(int port, Path dir, List<String> extra) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                redisServerBinary(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                dir.toString(),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--logfile",
                dir.resolve("redis.log").toString(),
                "--protected-mode",
                "no"));
    cmd.addAll(extra);
    return cmd;
  }

  /**
   * Starts a process from a configuration file written by {@code config} (given the port and the
   * directory), with {@code extraArgs} after the file name, such as {@code --sentinel}; {@code
   * password} is the {@code requirepass} the file sets, if any.
   */
  static RedisServerProcess startWithConfig(
      boolean clusterBus,
      Optional<String> password,
      BiFunction<Integer, Path, String> config,
      String... extraArgs) {
    return launch(
        clusterBus,
        false,
        password,
        (port, tlsPort, dir) -> {
          Path conf = dir.resolve("redis.conf");
          try {
            if (!Files.exists(conf)) {
              Files.writeString(conf, config.apply(port, dir), StandardCharsets.UTF_8);
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          List<String> cmd = new ArrayList<>(List.of(redisServerBinary(), conf.toString()));
          cmd.addAll(List.of(extraArgs));
          return cmd;
        });
  }

  private static RedisServerProcess launch(
      boolean clusterBus, boolean tls, Optional<String> password, CommandLine command) {
    redisServerBinary(); // fail early, with the install hint
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort(clusterBus);
      int tlsPort = -1;
      while (tls && (tlsPort < 0 || tlsPort == port)) {
        tlsPort = freePort(false);
      }
      Path dir;
      try {
        dir = Files.createTempDirectory("redis-test-" + port + "-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      RedisServerProcess p = new RedisServerProcess(port, tlsPort, dir, password, command);
      try {
        p.spawn();
        return p;
      } catch (IllegalStateException e) {
        // Most likely another process took the port between our probe and the bind: try another.
        p.close();
        last = e;
      }
    }
    throw last;
  }

  /** The port. */
  public int port() {
    return port;
  }

  /**
   * The TLS port of a server started with {@link #startTls}.
   *
   * @throws IllegalStateException if the server has no TLS port
   */
  public int tlsPort() {
    if (tlsPort < 0) {
      throw new IllegalStateException(this + " was not started with TLS (use startTls)");
    }
    return tlsPort;
  }

  /** {@code rediss://127.0.0.1:<tlsPort>}, for a server started with {@link #startTls}. */
  public String tlsUri() {
    return "rediss://" + host() + ":" + tlsPort();
  }

  /** {@code 127.0.0.1}. */
  public String host() {
    return "127.0.0.1";
  }

  /** {@code 127.0.0.1:<port>}. */
  public String hostAndPort() {
    return host() + ":" + port;
  }

  /** {@code redis://127.0.0.1:<port>}. */
  public String uri() {
    return "redis://" + hostAndPort();
  }

  /** The process's working directory (its log is {@code redis.log} there). */
  public Path dir() {
    return dir;
  }

  /** The process id, while running. */
  public synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException("not running");
    }
    return process.pid();
  }

  /** Whether the process is alive (frozen counts as alive). */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The {@code requirepass} the server was started with, if any. */
  public Optional<String> password() {
    return password;
  }

  /**
   * A new Jedis connection to this server, logged in with {@link #password()} if it has one; the
   * caller closes it.
   */
  public Jedis jedis() {
    return jedis(2000);
  }

  private Jedis jedis(int timeoutMillis) {
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder().timeoutMillis(timeoutMillis);
    password.ifPresent(config::password);
    return new Jedis(new HostAndPort(host(), port), config.build());
  }

  /**
   * How many times the server ran {@code command} since it started, from {@code INFO commandstats}
   * (0 if never): lets a test prove that, say, {@code KEYS} or {@code SCAN} was never used.
   */
  public long commandCalls(String command) {
    String wanted = "cmdstat_" + command.toLowerCase(java.util.Locale.ROOT) + ":";
    try (Jedis j = jedis()) {
      for (String line : j.info("commandstats").split("\r?\n")) {
        if (line.startsWith(wanted)) {
          // cmdstat_get:calls=3,usec=12,usec_per_call=4.00,rejected_calls=0,failed_calls=0
          String calls = line.substring(wanted.length()).split(",")[0];
          return Long.parseLong(calls.substring(calls.indexOf('=') + 1));
        }
      }
      return 0;
    }
  }

  /**
   * Starts logging every command the server runs ({@code MONITOR} on a connection of its own); the
   * caller closes the log. It ends by itself when the server stops.
   */
  public CommandLog monitor() {
    CommandLog log = new CommandLog(jedis(0));
    // MONITOR answers OK before it streams: a command sent after this returns is logged.
    try (Jedis j = jedis()) {
      String marker = "command-log-" + System.nanoTime();
      j.echo(marker);
      await("MONITOR on " + this)
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(10))
          .until(
              () -> {
                j.echo(marker);
                return log.commands("ECHO").stream().anyMatch(a -> a.equals(List.of(marker)));
              });
    }
    return log;
  }

  /** Kills the process with SIGKILL, as a crash would, and waits for it to be gone. */
  public synchronized void kill9() {
    if (process == null) {
      return;
    }
    if (frozen) {
      signal("CONT");
      frozen = false;
    }
    process.destroyForcibly();
    waitFor(process);
    RUNNING.remove(this);
    process = null;
  }

  /** Freezes the process with SIGSTOP: connections stay open and nothing answers. */
  public synchronized void freeze() {
    requireRunning();
    signal("STOP");
    frozen = true;
  }

  /** Resumes a frozen process with SIGCONT. */
  public synchronized void thaw() {
    requireRunning();
    signal("CONT");
    frozen = false;
  }

  /** Kills the process (if running) and starts it again on the same port and directory. */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    kill9();
    AtomicReference<IllegalStateException> last = new AtomicReference<>();
    try {
      // In this thread: spawn() needs this object's lock, which we hold.
      await("restart of " + this)
          .atMost(START_TIMEOUT)
          .pollInSameThread()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                try {
                  spawn();
                  return true;
                } catch (IllegalStateException e) {
                  // The port may still be held by the old socket for a moment.
                  last.set(e);
                  return false;
                }
              });
    } catch (ConditionTimeoutException e) {
      throw last.get() != null
          ? last.get()
          : new IllegalStateException("cannot restart " + this, e);
    }
  }

  /**
   * Stops the process (SIGKILL: tests need no clean shutdown) and deletes its directory.
   * Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    kill9();
    deleteRecursively(dir);
  }

  @Override
  public String toString() {
    return "redis-server " + hostAndPort();
  }

  private void spawn() {
    List<String> cmd = command.apply(port, tlsPort, dir);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + cmd + ": " + e.getMessage(), e);
    }
    process = p;
    RUNNING.add(this);
    try {
      await("redis-server on port " + port + " answering PING")
          .atMost(START_TIMEOUT)
          .pollInSameThread()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> !p.isAlive() || answersPing());
    } catch (ConditionTimeoutException e) {
      destroyNow();
      throw new IllegalStateException(
          "redis-server on port " + port + " did not answer PING within " + START_TIMEOUT);
    }
    if (!p.isAlive()) {
      process = null;
      RUNNING.remove(this);
      throw new IllegalStateException(
          "redis-server on port "
              + port
              + " exited with "
              + p.exitValue()
              + ": "
              + tail(dir.resolve("redis.log"))
              + tail(dir.resolve("stdout.log")));
    }
  }

  private boolean answersPing() {
    try (Jedis j = jedis(500)) {
      return "PONG".equals(j.ping());
    } catch (RuntimeException notYet) {
      return false;
    }
  }

  private void requireRunning() {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException(this + " is not running");
    }
  }

  private void signal(String sig) {
    Process running = Objects.requireNonNull(process, "the server is running");
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + sig, Long.toString(running.pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + sig + " " + running.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private synchronized void destroyNow() {
    if (process != null) {
      if (frozen) {
        try {
          signal("CONT");
        } catch (RuntimeException ignored) {
          // SIGKILL works on a stopped process too.
        }
      }
      process.destroyForcibly();
    }
  }

  private static void waitFor(Process p) {
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The {@code redis-server} executable on the PATH.
   *
   * @throws IllegalStateException saying how to install it when it is missing
   */
  public static String redisServerBinary() {
    return findOnPath("redis-server");
  }

  static String findOnPath(String name) {
    return findOnPath(
        name,
        "The Redis tests start real Redis servers: install them with `apt-get install"
            + " redis-server` (Debian/Ubuntu; it brings redis-cli), or `brew install redis` (macOS), then run the"
            + " tests again.");
  }

  static String findOnPath(String name, String installHint) {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(File.pathSeparator)) {
        Path candidate = Path.of(d, name);
        if (Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
    }
    throw new IllegalStateException(name + " was not found on the PATH. " + installHint);
  }

  /** A free port other than 6379; with {@code clusterBus}, one whose port + 10000 is free too. */
  static int freePort(boolean clusterBus) {
    for (int i = 0; i < 100; i++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = s.getLocalPort();
        if (port == 6379 || port == 26379) {
          continue;
        }
        if (clusterBus) {
          if (port + 10000 > 65535) {
            continue;
          }
          try (ServerSocket bus =
              new ServerSocket(port + 10000, 1, InetAddress.getLoopbackAddress())) {
            bus.getLocalPort();
          } catch (IOException taken) {
            continue;
          }
        }
        return port;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no free port found");
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size())) + "\n";
    } catch (IOException e) {
      return "";
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> paths = new ArrayList<>(walk.toList());
      Collections.sort(paths, Comparator.reverseOrder());
      for (Path p : paths) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A temp directory left behind is harmless.
    }
  }
}
