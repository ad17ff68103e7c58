package dev.flags.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;

/**
 * Every command a server runs, as {@code MONITOR} reports it, from {@link
 * RedisServerProcess#monitor()} until {@link #close()} or until the server stops: lets a test prove
 * not only that a command was never used ({@link RedisServerProcess#commandCalls} does that) but
 * with which arguments it was, such as every {@code SCAN} naming a {@code MATCH} pattern.
 *
 * <p>Thread-safe.
 */
public final class CommandLog implements AutoCloseable {

  private final Jedis connection;
  private final Thread thread;
  private final List<List<String>> commands = new CopyOnWriteArrayList<>();

  CommandLog(Jedis connection) {
    this.connection = connection;
    this.thread =
        new Thread(
            () -> {
              try {
                connection.monitor(
                    new JedisMonitor() {
                      @Override
                      public void onCommand(String line) {
                        List<String> parsed = parse(line);
                        if (!parsed.isEmpty()) {
                          commands.add(parsed);
                        }
                      }
                    });
              } catch (RuntimeException stopped) {
                // The connection was closed (close(), or the server stopped): nothing more to log.
              }
            },
            "redis-command-log");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The commands named {@code name} (any letter case) seen so far, each as its arguments after the
   * name.
   */
  public List<List<String>> commands(String name) {
    List<List<String>> out = new ArrayList<>();
    for (List<String> c : commands) {
      if (c.get(0).equalsIgnoreCase(name)) {
        out.add(c.subList(1, c.size()));
      }
    }
    return out;
  }

  /** Stops listening. Idempotent. */
  @Override
  public void close() {
    try {
      connection.close();
    } catch (RuntimeException e) {
      // Already gone with the server.
    }
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code 1700000000.123456 [0 127.0.0.1:1234] "SCAN" "0" "MATCH" "feature:*"} → arguments. */
  static List<String> parse(String line) {
    int at = line.indexOf("] ");
    List<String> args = new ArrayList<>();
    if (at < 0) {
      return args;
    }
    StringBuilder current = null;
    for (int i = at + 2; i < line.length(); i++) {
      char c = line.charAt(i);
      if (current == null) {
        if (c == '"') {
          current = new StringBuilder();
        }
      } else if (c == '\\' && i + 1 < line.length()) {
        char next = line.charAt(++i);
        if (next == 'x' && i + 2 < line.length()) {
          current.append((char) Integer.parseInt(line.substring(i + 1, i + 3), 16));
          i += 2;
        } else {
          current.append(
              switch (next) {
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                default -> next;
              });
        }
      } else if (c == '"') {
        args.add(current.toString());
        current = null;
      } else {
        current.append(c);
      }
    }
    if (!args.isEmpty()) {
      args.set(0, args.get(0).toUpperCase(Locale.ROOT));
    }
    return args;
  }
}
