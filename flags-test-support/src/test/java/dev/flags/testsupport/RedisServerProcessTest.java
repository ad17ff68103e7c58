package dev.flags.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

class RedisServerProcessTest {

  @Test
  void startsOnAFreePortOtherThanTheSystemOne() {
    try (RedisServerProcess redis = RedisServerProcess.start();
        Jedis j = redis.jedis()) {
      assertThat(redis.port()).isNotEqualTo(6379);
      assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
      assertThat(j.ping()).isEqualTo("PONG");
      assertThat(j.configGet("save").get("save")).isEmpty();
      assertThat(j.configGet("appendonly").get("appendonly")).isEqualTo("no");
    }
  }

  @Test
  void passesExtraOptions() {
    try (RedisServerProcess redis = RedisServerProcess.start("--notify-keyspace-events", "K$g");
        Jedis j = redis.jedis()) {
      assertThat(j.configGet("notify-keyspace-events").get("notify-keyspace-events"))
          .contains("K", "$", "g");
    }
  }

  @Test
  void kill9StopsTheServerAndRestartBringsItBackOnTheSamePortEmpty() {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      int port = redis.port();
      try (Jedis j = redis.jedis()) {
        j.set("k", "v");
      }
      redis.kill9();
      assertThat(redis.isRunning()).isFalse();
      assertThatThrownBy(
              () -> {
                try (Jedis j = redis.jedis()) {
                  j.ping();
                }
              })
          .isInstanceOf(RuntimeException.class);
      redis.restart();
      assertThat(redis.port()).isEqualTo(port);
      try (Jedis j = redis.jedis()) {
        assertThat(j.get("k")).isNull();
      }
    }
  }

  @Test
  void freezeMakesTheServerUnresponsiveUntilThawed() {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      redis.freeze();
      assertThatThrownBy(
              () -> {
                try (Jedis j = new Jedis(redis.host(), redis.port(), 300)) {
                  j.ping();
                }
              })
          .isInstanceOf(RuntimeException.class);
      redis.thaw();
      try (Jedis j = redis.jedis()) {
        assertThat(j.ping()).isEqualTo("PONG");
      }
    }
  }

  @Test
  void commandCallsCountsWhatTheServerRanSinceItStarted() {
    try (RedisServerProcess redis = RedisServerProcess.start();
        Jedis j = redis.jedis()) {
      j.set("a", "1");
      j.keys("*");

      assertThat(redis.commandCalls("KEYS")).isEqualTo(1);
      assertThat(redis.commandCalls("set")).isEqualTo(1);
      assertThat(redis.commandCalls("scan")).isZero();
    }
  }

  @Test
  void closeStopsTheProcess() {
    RedisServerProcess redis = RedisServerProcess.start();
    long pid = redis.pid();
    redis.close();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    redis.close(); // idempotent
  }

  @Test
  void aMissingBinaryIsReportedWithTheInstallCommand() {
    assertThatThrownBy(() -> RedisServerProcess.findOnPath("redis-server-that-does-not-exist"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apt-get install redis-server");
  }
}
