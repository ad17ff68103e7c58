package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flags.core.Flag;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.StoreUnavailableException;
import dev.flags.testsupport.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * Writes while Redis is down, frozen or not answering: each fails within its own timeout with
 * {@link StoreUnavailableException}, saying truthfully whether it may have been applied, logs one
 * line, and is never sent twice.
 */
class RedisWriteTimeoutTest {

  private static final String ADMIN_LOGGER = RedisFlagAdmin.class.getName();
  private RedisServerProcess redis;
  private FlagAdmin admin;

  @BeforeEach
  void start() {
    redis = RedisServerProcess.start();
    admin = RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri())).build();
    admin.create(Flag.simple("alpha", true), Change.by("setup"));
  }

  @AfterEach
  void stop() {
    admin.close();
    redis.close();
  }

  @Test
  void aWriteToAFrozenServerFailsAfterOneTimeoutNotTwo() {
    // Regression: a frozen server made a write with a 2 s timeout fail after 4 s (the pool's
    // check of the connection, then the command, each waited the whole timeout).
    redis.freeze();
    try {
      long t0 = System.nanoTime();
      assertThatThrownBy(
              () ->
                  admin.create(
                      Flag.simple("beta", true), Change.by("alice").ifVersion(0))) // no read first
          .isInstanceOfSatisfying(
              StoreUnavailableException.class,
              e -> assertThat(e.mayHaveBeenApplied()).as("never sent").isFalse())
          .hasMessageContaining("did not answer within 2000 ms")
          .hasMessageContaining("flag beta was not applied");
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofMillis(3500));
    } finally {
      redis.thaw();
    }
    assertThat(admin.find("beta")).isEmpty();
  }

  @Test
  void anEditOfAFrozenServerFailsWithinItsTimeoutToo() {
    redis.freeze();
    try {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> admin.setOn("alpha", false, Change.by("alice")))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("did not answer within");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(3500));
    } finally {
      redis.thaw();
    }
    assertThat(admin.get("alpha").orElseThrow().flag().on()).isTrue();
  }

  @Test
  void aWriteSentButNotAnsweredMayHaveBeenAppliedAndIsNeverAppliedTwice() throws Exception {
    // CLIENT PAUSE WRITE: the server answers PING but holds scripts until the pause ends, so the
    // write leaves and no answer comes within its timeout. Whether it then runs is the server's
    // business (Redis drops a held command whose client went away): the admin cannot know, says
    // so, and does not send it again.
    try (FlagAdmin quick =
            RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri()))
                .writeTimeout(Duration.ofMillis(500))
                .build();
        Jedis j = redis.jedis()) {
      j.sendCommand(Protocol.Command.CLIENT, "PAUSE", "1500", "WRITE");
      long t0 = System.nanoTime();
      assertThatThrownBy(
              () -> quick.create(Flag.simple("beta", true), Change.by("alice").ifVersion(0)))
          .isInstanceOfSatisfying(
              StoreUnavailableException.class, e -> assertThat(e.mayHaveBeenApplied()).isTrue())
          .hasMessageContaining("did not answer within 500 ms")
          .hasMessageContaining("was sent and may have been applied: read it before retrying");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1400));

      await()
          .atMost(Duration.ofSeconds(5))
          .ignoreException(StoreUnavailableException.class)
          .until(() -> quick.get("alpha").isPresent());
      List<AuditEntry> entries = admin.audit(AuditQuery.flag("beta"));
      assertThat(entries).as("applied at most once").hasSizeLessThanOrEqualTo(1);
      assertThat(admin.find("beta").isPresent()).isEqualTo(entries.size() == 1);
    }
  }

  @Test
  void aWriteWhileRedisIsDownFailsAtOnceSayingItWasNotApplied() {
    redis.kill9();

    long t0 = System.nanoTime();
    assertThatThrownBy(
            () -> admin.create(Flag.simple("beta", true), Change.by("alice").ifVersion(0)))
        .isInstanceOfSatisfying(
            StoreUnavailableException.class, e -> assertThat(e.mayHaveBeenApplied()).isFalse())
        .hasMessageContaining("cannot be reached")
        .hasMessageContaining("was not applied");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2500));
  }

  @Test
  void aFailedWriteLogsOneWarningLineWithTheStackTraceOnlyAtDebug() {
    redis.kill9();
    try (LogCapture log = LogCapture.of(ADMIN_LOGGER, Level.INFO)) {
      assertThatThrownBy(() -> admin.setOn("alpha", false, Change.by("alice")))
          .isInstanceOf(StoreUnavailableException.class);

      List<LogRecord> lines = log.records();
      assertThat(lines)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.getLevel()).isEqualTo(Level.WARNING);
                assertThat(r.getThrown()).isNull();
                assertThat(r.getMessage()).contains("cannot be reached");
              });
    }
    try (LogCapture log = LogCapture.of(ADMIN_LOGGER, Level.FINE)) {
      assertThatThrownBy(() -> admin.setOn("alpha", false, Change.by("alice")))
          .isInstanceOf(StoreUnavailableException.class);

      assertThat(log.records())
          .singleElement()
          .satisfies(r -> assertThat(r.getThrown()).isNotNull());
    }
  }

  @Test
  void writesWorkOnceTheServerIsBackThoughThePooledConnectionsDied() {
    admin.setOn("alpha", false, Change.by("alice")); // the pool holds a connection now
    redis.kill9();
    redis.restart(); // empty: no persistence

    admin.create(Flag.simple("alpha", true), Change.by("alice").ifVersion(0)); // a write first

    assertThat(admin.get("alpha").orElseThrow().flag().on()).isTrue();
  }

  @Test
  void theWriteTimeoutIsValidatedNamingTheOption() {
    RedisFlagAdmin.Builder b =
        RedisFlagAdmin.builder(RedisConnectionSettings.standalone(redis.uri()));
    assertThatThrownBy(() -> b.writeTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("writeTimeout");
    assertThatThrownBy(() -> b.writeTimeout(Duration.ofMinutes(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("writeTimeout");
  }
}
