package dev.flags.redis;

import static org.awaitility.Awaitility.await;

import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.FlagAdminContractTest;
import dev.flags.testsupport.RedisClusterSetup;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/**
 * The shared admin contract on a Redis Cluster of three masters. Each test has its own prefix and
 * so its own hash tag, {@code {t<n>}:}: every key of a test shares one slot, and the tests spread
 * over the masters. A store runs beside the admin, as in production.
 */
class RedisClusterFlagAdminContractTest extends FlagAdminContractTest {

  private static final AtomicInteger TESTS = new AtomicInteger();
  private static RedisClusterSetup cluster;
  private static JedisCluster raw;
  private RedisConnectionSettings settings;
  private String prefix;
  private Flags flags;

  @BeforeAll
  static void startCluster() {
    cluster = RedisClusterSetup.start("--notify-keyspace-events", "K$g");
    Set<HostAndPort> seeds =
        cluster.nodes().stream().map(RedisConnections::hostAndPort).collect(Collectors.toSet());
    raw = new JedisCluster(seeds);
  }

  @AfterAll
  static void stopCluster() {
    raw.close();
    cluster.close();
  }

  @Override
  protected FlagAdmin createAdmin() {
    prefix = "{t" + TESTS.incrementAndGet() + "}:";
    settings = RedisConnectionSettings.cluster(cluster.nodes());
    flags = Flags.builder().store(RedisFlagStore.builder(settings).prefix(prefix).build()).build();
    await().atMost(Duration.ofSeconds(30)).until(() -> flags.status() == StoreStatus.OK);
    return RedisFlagAdmin.builder(settings).prefix(prefix).build();
  }

  /** A plain SET; the running store indexes a new key when it hears it. */
  @Override
  protected void writeRaw(String flagKey, String value) {
    raw.set(prefix + flagKey, value);
    await().atMost(Duration.ofSeconds(5)).until(() -> raw.sismember(prefix + "#index", flagKey));
  }

  @Override
  protected void closeStore() {
    flags.close();
  }
}
