package dev.flags.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster of three masters (no replicas) for tests, created with {@code redis-cli --cluster
 * create}; every node is a real process on a free port whose cluster-bus port (+10000) is free too.
 *
 * {@snippet :
 * try (RedisClusterSetup cluster = RedisClusterSetup.start()) {
 *   List<String> nodes = cluster.nodes(); // ["127.0.0.1:p1", "127.0.0.1:p2", "127.0.0.1:p3"]
 * }
 * }
 *
 * <p>Thread-safe.
 */
public final class RedisClusterSetup implements AutoCloseable {

  private final List<RedisServerProcess> masters;

  private RedisClusterSetup(List<RedisServerProcess> masters) {
    this.masters = List.copyOf(masters);
  }

  /**
   * Starts three nodes, creates the cluster and waits until every node reports {@code
   * cluster_state:ok}.
   */
  public static RedisClusterSetup start(String... serverOptions) {
    String cli = RedisServerProcess.findOnPath("redis-cli");
    List<RedisServerProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        List<String> extra = List.of(serverOptions);
        nodes.add(
            RedisServerProcess.startWithConfig(
                true,
                Optional.empty(),
                (port, dir) ->
                    String.join(
                            "\n",
                            "port " + port,
                            "bind 127.0.0.1",
                            "protected-mode no",
                            "dir " + dir,
                            "logfile " + dir.resolve("redis.log"),
                            "save \"\"",
                            "appendonly no",
                            "cluster-enabled yes",
                            "cluster-config-file nodes.conf",
                            "cluster-node-timeout 2000",
                            "")
                        + "\n"
                        + toConfig(extra)));
      }
      List<String> cmd = new ArrayList<>(List.of(cli, "--cluster", "create"));
      nodes.forEach(n -> cmd.add(n.hostAndPort()));
      cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("redis-cli --cluster create failed: " + out);
      }
      for (RedisServerProcess n : nodes) {
        RedisSentinelSetup.waitUntil(
            "cluster_state:ok on " + n,
            () -> {
              try (var j = n.jedis()) {
                return j.clusterInfo().contains("cluster_state:ok");
              }
            });
      }
      return new RedisClusterSetup(nodes);
    } catch (IOException e) {
      nodes.forEach(RedisServerProcess::close);
      throw new IllegalStateException("cannot run redis-cli: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      nodes.forEach(RedisServerProcess::close);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (RuntimeException e) {
      nodes.forEach(RedisServerProcess::close);
      throw e;
    }
  }

  private static String toConfig(List<String> options) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i + 1 < options.size(); i += 2) {
      sb.append(options.get(i).replaceFirst("^--", ""))
          .append(' ')
          .append(options.get(i + 1))
          .append('\n');
    }
    return sb.toString();
  }

  /** {@code 127.0.0.1:<port>} of each master. */
  public List<String> nodes() {
    return masters.stream().map(RedisServerProcess::hostAndPort).toList();
  }

  /** The master processes. */
  public List<RedisServerProcess> masters() {
    return masters;
  }

  /** Stops every node. Idempotent. */
  @Override
  public void close() {
    masters.forEach(RedisServerProcess::close);
  }
}
