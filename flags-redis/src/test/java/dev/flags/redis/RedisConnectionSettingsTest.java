package dev.flags.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisConnectionSettingsTest {

  @Test
  void aUrlGivesHostPortUserPasswordDatabaseAndTls() {
    RedisConnectionSettings s =
        RedisConnectionSettings.standalone("rediss://app:p%40ss@redis.internal:6380/3");

    assertThat(s.mode()).isEqualTo(RedisConnectionSettings.Mode.STANDALONE);
    assertThat(s.nodes()).containsExactly("redis.internal:6380");
    assertThat(s.user()).contains("app");
    assertThat(s.password()).contains("p@ss");
    assertThat(s.ssl()).isTrue();
    assertThat(s.database()).isEqualTo(3);
    assertThat(s.timeout()).isEqualTo(RedisConnectionSettings.DEFAULT_TIMEOUT);
  }

  @Test
  void aUrlWithOnlyAPasswordAndNoPortUsesTheDefaults() {
    RedisConnectionSettings s = RedisConnectionSettings.standalone("redis://secret@localhost");

    assertThat(s.nodes()).containsExactly("localhost:6379");
    assertThat(s.user()).isEmpty();
    assertThat(s.password()).contains("secret");
    assertThat(s.ssl()).isFalse();
    assertThat(s.database()).isZero();
  }

  @Test
  void withMethodsReturnChangedCopies() {
    RedisConnectionSettings base = RedisConnectionSettings.standalone("redis://localhost:6379");

    RedisConnectionSettings s =
        base.withUser("u")
            .withPassword("p")
            .withSsl(true)
            .withDatabase(2)
            .withTimeout(Duration.ofMillis(500));

    assertThat(s)
        .isEqualTo(
            new RedisConnectionSettings(
                RedisConnectionSettings.Mode.STANDALONE,
                List.of("localhost:6379"),
                Optional.empty(),
                Optional.of("u"),
                Optional.of("p"),
                true,
                2,
                Duration.ofMillis(500)));
    assertThat(base.user()).isEmpty();
  }

  @Test
  void badValuesAreRejectedNamingTheOption() {
    assertThatThrownBy(() -> RedisConnectionSettings.standalone("http://localhost"))
        .hasMessageContaining("redis://");
    assertThatThrownBy(() -> RedisConnectionSettings.standalone("redis://localhost/x"))
        .hasMessageContaining("database");
    assertThatThrownBy(() -> RedisConnectionSettings.cluster(List.of("a:1")).withDatabase(1))
        .hasMessageContaining("database");
    assertThatThrownBy(() -> RedisConnectionSettings.sentinel("", List.of("a:1")))
        .hasMessageContaining("masterName");
    assertThatThrownBy(() -> RedisConnectionSettings.cluster(List.of("nohost")))
        .hasMessageContaining("host:port");
    assertThatThrownBy(() -> RedisConnectionSettings.cluster(List.of()))
        .hasMessageContaining("nodes");
    assertThatThrownBy(
            () -> RedisConnectionSettings.standalone("redis://h:1").withTimeout(Duration.ZERO))
        .hasMessageContaining("timeout");
    RedisConnectionSettings userOnly =
        RedisConnectionSettings.standalone("redis://h:1").withUser("u");
    assertThatThrownBy(() -> RedisFlagStore.builder(userOnly)).hasMessageContaining("password");
    assertThatThrownBy(() -> RedisFlagAdmin.builder(userOnly)).hasMessageContaining("password");
  }

  @Test
  void toStringMasksThePassword() {
    assertThat(RedisConnectionSettings.standalone("redis://app:topsecret@h:1").toString())
        .doesNotContain("topsecret")
        .contains("password=****", "user=app");
  }

  @Test
  void prefixesAreValidated() {
    RedisConnectionSettings standalone = RedisConnectionSettings.standalone("redis://h:1");

    assertThat(RedisFlagStore.builder(standalone).prefix("prod:checkout:").build().prefix())
        .isEqualTo("prod:checkout:");
    assertThatThrownBy(() -> RedisFlagStore.builder(standalone).prefix(""))
        .hasMessageContaining("prefix");
    assertThatThrownBy(() -> RedisFlagAdmin.builder(standalone).prefix("a#b"))
        .hasMessageContaining("prefix");
    assertThatThrownBy(() -> RedisFlagStore.builder(standalone).syncInterval(Duration.ZERO))
        .hasMessageContaining("syncInterval");
  }

  @Test
  void aTlsSocketFactoryTurnsTlsOnAndIsDroppedWithIt() throws Exception {
    javax.net.ssl.SSLSocketFactory factory =
        javax.net.ssl.SSLContext.getDefault().getSocketFactory();

    RedisConnectionSettings s =
        RedisConnectionSettings.standalone("redis://h:1").withSslSocketFactory(factory);

    assertThat(s.ssl()).isTrue();
    assertThat(s.sslSocketFactory()).containsSame(factory);
    assertThat(s.withPassword("p").withTimeout(Duration.ofSeconds(1)).sslSocketFactory())
        .containsSame(factory);
    assertThat(s.withSsl(false).sslSocketFactory()).isEmpty();
    assertThat(s.toString()).contains("sslSocketFactory=custom");
    assertThatThrownBy(
            () ->
                new RedisConnectionSettings(
                    RedisConnectionSettings.Mode.STANDALONE,
                    List.of("h:1"),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    false,
                    0,
                    Duration.ofSeconds(1),
                    Optional.of(factory)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sslSocketFactory");
  }

  @Test
  void sentinelCredentialsAreKeptApartFromTheMastersAndMasked() {
    RedisConnectionSettings s =
        RedisConnectionSettings.sentinel("mymaster", List.of("s1:26379"))
            .withUser("app")
            .withPassword("data-secret")
            .withSentinelUser("watcher")
            .withSentinelPassword("sentinel-secret");

    assertThat(s.user()).contains("app");
    assertThat(s.password()).contains("data-secret");
    assertThat(s.sentinelUser()).contains("watcher");
    assertThat(s.sentinelPassword()).contains("sentinel-secret");
    assertThat(s.withTimeout(Duration.ofSeconds(1)).withDatabase(2).sentinelPassword())
        .contains("sentinel-secret");
    assertThat(s.toString())
        .doesNotContain("data-secret", "sentinel-secret")
        .contains("sentinelUser=watcher", "sentinelPassword=****");
  }

  @Test
  void theOldConstructorsHaveNoSentinelCredentialsAndNoHostnameVerification() {
    RedisConnectionSettings s =
        new RedisConnectionSettings(
            RedisConnectionSettings.Mode.SENTINEL,
            List.of("s1:26379"),
            Optional.of("mymaster"),
            Optional.empty(),
            Optional.of("p"),
            false,
            0,
            Duration.ofSeconds(1));

    assertThat(s.sentinelUser()).isEmpty();
    assertThat(s.sentinelPassword()).isEmpty();
    assertThat(s.verifyHostname()).isFalse();
    assertThat(s)
        .isEqualTo(
            RedisConnectionSettings.sentinel("mymaster", List.of("s1:26379"))
                .withPassword("p")
                .withTimeout(Duration.ofSeconds(1)));
  }

  @Test
  void sentinelCredentialsAreRejectedOutsideSentinelAndASentinelUserNeedsAPassword() {
    assertThatThrownBy(
            () -> RedisConnectionSettings.standalone("redis://h:1").withSentinelPassword("p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sentinelPassword");
    assertThatThrownBy(() -> RedisConnectionSettings.cluster(List.of("h:1")).withSentinelUser("u"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sentinelUser");
    RedisConnectionSettings sentinel =
        RedisConnectionSettings.sentinel("mymaster", List.of("s1:26379"));
    assertThatThrownBy(() -> sentinel.withSentinelUser(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sentinelUser");
    RedisConnectionSettings userOnly = sentinel.withSentinelUser("watcher");
    assertThatThrownBy(() -> RedisFlagStore.builder(userOnly))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sentinelPassword");
  }

  @Test
  void hostnameVerificationNeedsTlsAndIsDroppedWithIt() {
    RedisConnectionSettings tls =
        RedisConnectionSettings.standalone("rediss://h:1").withVerifyHostname(true);

    assertThat(tls.verifyHostname()).isTrue();
    assertThat(tls.toString()).contains("verifyHostname=true");
    assertThat(tls.withSsl(false).verifyHostname()).isFalse();
    assertThatThrownBy(
            () -> RedisConnectionSettings.standalone("redis://h:1").withVerifyHostname(true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("verifyHostname");
  }

  @Test
  void aPasswordWithAnUnencodedSlashIsNeverEchoedInTheError() {
    // Regression: "redis://:hunt/er2@host" came back in clear in the "no host" message.
    for (String url :
        List.of(
            "redis://:hunt/er2@host",
            "redis://:hunt/er2@host:6379/0",
            "redis://app:hunt/er2@host",
            "redis://:hunt?er2@host",
            "redis://:hunt#er2@host",
            "redis://:hunt@er2@host/x",
            "rediss://:hunt/er2@@host")) {
      assertThatThrownBy(() -> RedisConnectionSettings.standalone(url))
          .as(url)
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunt", "er2"));
    }
  }

  @Test
  void theMaskHidesEverythingBetweenTheSchemeAndTheLastAt() {
    assertThat(RedisConnectionSettings.mask("redis://:hunt/er2@host:1/0"))
        .isEqualTo("redis://****@host:1/0");
    assertThat(RedisConnectionSettings.mask("redis://host:1")).isEqualTo("redis://host:1");
  }
}
