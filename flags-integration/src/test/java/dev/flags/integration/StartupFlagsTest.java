package dev.flags.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.JsonValue;
import dev.flags.testsupport.RedisServerProcess;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What start-up conditions of every framework decide on, read before any client exists. */
class StartupFlagsTest {

  private static StartupFlags of(Map<String, String> settings) {
    return StartupFlags.of(FlagsSettings.from(SettingsSource.of(settings)));
  }

  @Test
  void thePropertiesStoreAnswersFromTheStaticFlags() {
    try (StartupFlags flags = of(Map.of("flags.static.a", "on", "flags.static.n", "3"))) {
      assertThat(flags.lookup("a").value()).contains(JsonValue.TRUE);
      assertThat(StartupFlags.text(flags.lookup("n").value().orElseThrow())).isEqualTo("3");
      assertThat(flags.lookup("b").value()).isEmpty();
      assertThat(flags.storeReads()).isEqualTo(1);
    }
  }

  @Test
  void theFileIsReadOnceAndWins(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("f.json"), "{\"flags\": {\"a\": false}}");
    try (StartupFlags flags =
        of(Map.of("flags.file.path", file.toString(), "flags.static.a", "on"))) {
      assertThat(flags.lookup("a").value()).contains(JsonValue.FALSE);
      assertThat(flags.lookup("missing").value()).isEmpty();
      assertThat(flags.storeReads()).isEqualTo(1);
    }
  }

  @Test
  void anUnreadableStoreFallsBackToTheStaticFlags(@TempDir Path dir) throws Exception {
    // Issue 12, difference 3, for conditions: what the client serves until the first load.
    Path file = Files.writeString(dir.resolve("f.json"), "{\"flags\": ");
    try (StartupFlags flags =
        of(Map.of("flags.file.path", file.toString(), "flags.static.a", "on"))) {
      assertThat(flags.lookup("a").value()).contains(JsonValue.TRUE);
      assertThat(flags.lookup("b").value()).isEmpty();
      assertThat(flags.lookup("b").why()).contains("could not be read");
    }
  }

  @Test
  void redisIsReadKeyByKeyAndWhenDownTheStaticFlagsCount() {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      try (var jedis = redis.jedis()) {
        jedis.set("feature:raw", "true");
      }
      try (StartupFlags flags = of(Map.of("flags.redis.url", redis.uri()))) {
        assertThat(flags.lookup("raw").value()).contains(JsonValue.TRUE);
        assertThat(flags.lookup("absent").value()).isEmpty();
      }
      String uri = redis.uri();
      redis.kill9();
      try (StartupFlags flags =
          of(Map.of("flags.redis.url", uri, "flags.static.banner", "Hello"))) {
        assertThat(flags.lookup("banner").value()).contains(JsonValue.of("Hello"));
        assertThat(flags.lookup("other").value()).isEmpty();
      }
    }
  }

  @Test
  void textIsWhatHavingValueIsComparedWith() {
    assertThat(StartupFlags.text(JsonValue.of("v2"))).isEqualTo("v2");
    assertThat(StartupFlags.text(new JsonValue.Num(new BigDecimal("2.50")))).isEqualTo("2.5");
    assertThat(StartupFlags.text(new JsonValue.Num(new BigDecimal("3.0")))).isEqualTo("3");
    assertThat(StartupFlags.text(JsonValue.TRUE)).isEqualTo("true");
  }

  @Test
  void disabledFlagsAreAllMissing() {
    try (StartupFlags flags = of(Map.of("flags.enabled", "false", "flags.static.a", "on"))) {
      assertThat(flags.lookup("a").value()).isEmpty();
    }
  }
}
