package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.LatencyHistogram;
import dev.flags.core.spi.OutcomeCounts;
import dev.flags.testsupport.RedisServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Outcomes of several clients meet in Redis, in few commands and keys that expire. */
class OutcomeSinkTest {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  @Test
  void outcomesOfSeveralInstancesAddUpPerVariationInExpiringHashes() {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      String redisUrl = redis.uri();
      Flag half = Flag.builder("checkout").percentageRollout(50).build();
      Instant start = Instant.now();
      int servedNew = 0;
      long shaBefore = redis.commandCalls("evalsha");
      for (int instance = 0; instance < 3; instance++) {
        FlagStore store = InMemoryFlagStore.of(half);
        // @start region="sink"
        // @replace substring="redisUrl" replacement='"redis://localhost:6379"':
        RedisConnectionSettings connection = RedisConnectionSettings.standalone(redisUrl);
        Flags flags =
            Flags.builder()
                // @replace regex="\(store\)" replacement="(redisStore)":
                .store(store)
                .outcomeSink(RedisOutcomeSink.builder(connection).build())
                .build();
        // @end
        try (flags) {
          for (int i = 0; i < 200; i++) {
            EvaluationContext c = EvaluationContext.of("user-" + instance + "-" + i);
            boolean isNew = flags.isEnabled("checkout", c);
            servedNew += isNew ? 1 : 0;
            flags.recordOutcome("checkout", c, !isNew || i % 2 == 0, Duration.ofMillis(7));
          }
        } // closing flushes
      }
      // one script per flush and instance (the first EVALSHA meets NOSCRIPT and loads it by EVAL)
      assertThat(redis.commandCalls("evalsha") - shaBefore).isEqualTo(3);
      assertThat(redis.commandCalls("eval")).isEqualTo(1);
      assertThat(redis.commandCalls("hincrby"))
          .as("only non-zero counters")
          .isLessThanOrEqualTo(3 * 6);
      try (RedisOutcomeSink.OutcomeStore store =
          new RedisOutcomeSink.OutcomeStore(
              () ->
                  RedisConnections.open(RedisConnectionSettings.standalone(redisUrl), "t", 1, true),
              new RedisLayout("feature:"),
              RedisOutcomeSink.DEFAULT_RETENTION)) {
        Map<Integer, OutcomeCounts> w =
            store.window("checkout", start.minusSeconds(60), Instant.now().plusSeconds(60));
        assertThat(w.get(0).requests() + w.get(1).requests()).isEqualTo(600);
        assertThat(w.get(1).requests()).isEqualTo(servedNew);
        assertThat(w.get(0).errors()).isZero();
        assertThat(w.get(1).errors()).isPositive().isLessThan(servedNew);
        assertThat(w.get(1).latency().count(LatencyHistogram.bucketOf(7_000_000)))
            .isEqualTo(servedNew);
        // a window without the bucket sees nothing
        assertThat(store.window("checkout", start.plusSeconds(20), start.plusSeconds(60)))
            .isEmpty();
      }
      try (Jedis j = redis.jedis()) {
        for (String key : j.keys("feature:#outcomes:*")) { // one or two buckets
          assertThat(key).startsWith("feature:#outcomes:checkout:");
          assertThat(j.ttl(key)).isBetween(3000L, 3600L);
        }
      }
    }
  }

  @Test
  void aFlushWhileRedisIsDownIsDeliveredByTheNextOne() {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      RedisConnectionSettings connection =
          RedisConnectionSettings.standalone(redis.uri()).withTimeout(Duration.ofMillis(500));
      Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
      try (Flags flags =
          Flags.builder()
              .store(InMemoryFlagStore.of(Flag.simple("f", true)))
              .outcomeSink(RedisOutcomeSink.builder(connection).build())
              .clock(clock)
              .build()) {
        flags.recordOutcome("f", EvaluationContext.of("u"), false);
        redis.freeze();
        try {
          assertThat(flags.flushOutcomes()).isFalse();
        } finally {
          redis.thaw();
        }
        flags.recordOutcome("f", EvaluationContext.of("u"), true);
        assertThat(flags.flushOutcomes()).isTrue();
      }
      try (Jedis j = redis.jedis()) {
        String key = "feature:#outcomes:f:" + T0.toEpochMilli() / 10_000;
        assertThat(j.hgetAll(key)).containsEntry("1:err", "1").containsEntry("1:ok", "1");
      }
    }
  }

  /**
   * Regression: a flush that timed out after Redis had applied it (its reply late, not lost) was
   * sent again by the next flush, as the client is told to: its counts were counted twice, and a
   * guarded rollout saw twice the errors. A proxy holds Redis's replies back to make the reply
   * late.
   */
  @Test
  void aFlushWhoseReplyCameTooLateIsNotCountedTwice() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.start();
        ReplyHoldingProxy proxy = new ReplyHoldingProxy(redis.port());
        Jedis j = redis.jedis()) {
      RedisConnectionSettings connection =
          RedisConnectionSettings.standalone("redis://127.0.0.1:" + proxy.port())
              .withTimeout(Duration.ofMillis(500));
      String key = "feature:#outcomes:f:" + T0.toEpochMilli() / 10_000;
      try (Flags flags =
          Flags.builder()
              .store(InMemoryFlagStore.of(Flag.simple("f", true)))
              .outcomeSink(RedisOutcomeSink.builder(connection).build())
              .clock(Clock.fixed(T0, ZoneOffset.UTC))
              .build()) {
        flags.recordOutcome("f", EvaluationContext.of("u"), true);
        assertThat(flags.flushOutcomes()).isTrue(); // connected, the script loaded
        flags.recordOutcome("f", EvaluationContext.of("u"), false);
        proxy.holdRepliesFromTheNextScript(); // not the pool's PING before it
        try {
          assertThat(flags.flushOutcomes()).isFalse(); // applied, but no reply in time
          assertThat(j.hget(key, "1:err")).isEqualTo("1");
        } finally {
          proxy.release();
        }
        flags.recordOutcome("f", EvaluationContext.of("u"), true);
        assertThat(flags.flushOutcomes()).isTrue();
      }
      assertThat(j.hgetAll(key)).containsEntry("1:err", "1").containsEntry("1:ok", "2");
    }
  }

  /** A TCP proxy to Redis that can hold the server's replies back (a slow network, one way). */
  private static final class ReplyHoldingProxy implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private boolean armed; // guarded by lock
    private boolean holding; // guarded by lock

    ReplyHoldingProxy(int redisPort) throws IOException {
      Thread accept =
          new Thread(
              () -> {
                try {
                  while (true) {
                    Socket client = server.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), redisPort);
                    sockets.add(client);
                    sockets.add(upstream);
                    pump(client, upstream, false);
                    pump(upstream, client, true);
                  }
                } catch (IOException closed) {
                  // the proxy is closed
                }
              });
      accept.setDaemon(true);
      accept.start();
    }

    int port() {
      return server.getLocalPort();
    }

    /** From the next script the client sends on, the server's replies are held back. */
    void holdRepliesFromTheNextScript() {
      synchronized (lock) {
        armed = true;
      }
    }

    void release() {
      synchronized (lock) {
        armed = false;
        holding = false;
        lock.notifyAll();
      }
    }

    private void pump(Socket from, Socket to, boolean replies) {
      Thread t =
          new Thread(
              () -> {
                byte[] buffer = new byte[8192];
                try (from;
                    to) {
                  InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream();
                  int n;
                  while ((n = in.read(buffer)) > 0) {
                    if (!replies
                        && new String(buffer, 0, n, StandardCharsets.ISO_8859_1)
                            .contains("EVALSHA")) {
                      synchronized (lock) {
                        holding |= armed;
                      }
                    }
                    if (replies) {
                      synchronized (lock) {
                        while (holding) {
                          lock.wait();
                        }
                      }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                  }
                } catch (IOException | InterruptedException gone) {
                  // either side closed: so is the other
                }
              });
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  @Test
  void retentionOutsideItsRangeIsRefusedByName() {
    RedisOutcomeSink.Builder b =
        RedisOutcomeSink.builder(RedisConnectionSettings.standalone("redis://localhost:1"));
    assertThatThrownBy(() -> b.retention(Duration.ofSeconds(5))).hasMessageContaining("retention");
    assertThatThrownBy(() -> b.retention(Duration.ofDays(8))).hasMessageContaining("retention");
  }
}
