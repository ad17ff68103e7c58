package dev.flags.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisConnectionSettings.Mode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** How {@code flags.redis.*} and {@code spring.data.redis.*} combine into connection settings. */
class RedisSettingsResolverTest {

  @Test
  void springDataRedisUrlIsUsedWithItsOwnCredentialsAndDatabase() {
    RedisConnectionSettings settings =
        resolve(
            "spring.data.redis.url",
            "redis://app:pw@h:7000/2",
            "spring.data.redis.username",
            "other",
            "spring.data.redis.database",
            "5");
    assertThat(settings.mode()).isEqualTo(Mode.STANDALONE);
    assertThat(settings.nodes()).containsExactly("h:7000");
    assertThat(settings.user()).contains("app");
    assertThat(settings.password()).contains("pw");
    assertThat(settings.database()).isEqualTo(2);
    assertThat(settings.ssl()).isFalse();
  }

  @Test
  void flagsCredentialsAndSslWinOverASpringDataRedisUrl() {
    RedisConnectionSettings settings =
        resolve(
            "spring.data.redis.url",
            "redis://app:pw@h:7000",
            "flags.redis.username",
            "flags-user",
            "flags.redis.password",
            "flags-pw",
            "flags.redis.ssl",
            "true");
    assertThat(settings.user()).contains("flags-user");
    assertThat(settings.password()).contains("flags-pw");
    assertThat(settings.ssl()).isTrue();
  }

  @Test
  void flagsSslFalseWinsOverARedissUrl() {
    assertThat(
            resolve("spring.data.redis.url", "rediss://h:7000", "flags.redis.ssl", "false").ssl())
        .isFalse();
  }

  @Test
  void springDataRedisSslEnabledAppliesToAUrl() {
    assertThat(
            resolve(
                    "spring.data.redis.url",
                    "redis://h:7000",
                    "spring.data.redis.ssl.enabled",
                    "true")
                .ssl())
        .isTrue();
  }

  @Test
  void springDataRedisDatabaseAppliesToAUrlWithoutOneAndToSentinel() {
    assertThat(
            resolve("spring.data.redis.url", "redis://h:7000", "spring.data.redis.database", "4")
                .database())
        .isEqualTo(4);
    assertThat(
            resolve(
                    "spring.data.redis.sentinel.master",
                    "mymaster",
                    "spring.data.redis.sentinel.nodes",
                    "s1:26379",
                    "spring.data.redis.database",
                    "5")
                .database())
        .isEqualTo(5);
    assertThat(resolve("spring.data.redis.host", "h", "spring.data.redis.database", "6").database())
        .isEqualTo(6);
  }

  @Test
  void springDataRedisClusterNodesAreUsedWithDatabaseZero() {
    RedisConnectionSettings settings =
        resolve(
            "spring.data.redis.cluster.nodes",
            "c1:7000,c2:7001",
            "spring.data.redis.database",
            "3",
            "spring.data.redis.password",
            "pw");
    assertThat(settings.mode()).isEqualTo(Mode.CLUSTER);
    assertThat(settings.nodes()).containsExactly("c1:7000", "c2:7001");
    assertThat(settings.database()).isZero();
    assertThat(settings.password()).contains("pw");
  }

  @Test
  void aFlagsRedisUrlIsCompleteWithoutSpringDataRedis() {
    RedisConnectionSettings settings =
        resolve(
            "flags.redis.url",
            "redis://h:7000",
            "spring.data.redis.database",
            "3",
            "spring.data.redis.ssl.enabled",
            "true",
            "spring.data.redis.username",
            "app",
            "spring.data.redis.password",
            "pw");
    assertThat(settings.database()).isZero();
    assertThat(settings.ssl()).isFalse();
    assertThat(settings.user()).isEmpty();
    assertThat(settings.password()).isEmpty();
  }

  @Test
  void springDataRedisSentinelCredentialsAreTheSentinelsOwn() {
    RedisConnectionSettings settings =
        resolve(
            "spring.data.redis.sentinel.master",
            "mymaster",
            "spring.data.redis.sentinel.nodes",
            "s1:26379,s2:26379",
            "spring.data.redis.password",
            "data-pw",
            "spring.data.redis.sentinel.username",
            "watcher",
            "spring.data.redis.sentinel.password",
            "sentinel-pw");
    assertThat(settings.mode()).isEqualTo(Mode.SENTINEL);
    assertThat(settings.password()).contains("data-pw");
    assertThat(settings.sentinelUser()).contains("watcher");
    assertThat(settings.sentinelPassword()).contains("sentinel-pw");
  }

  @Test
  void flagsRedisSentinelCredentialsWinOverSpringDataRedisSentinelOnes() {
    RedisConnectionSettings settings =
        resolve(
            "flags.redis.sentinel.master",
            "mymaster",
            "flags.redis.sentinel.nodes",
            "s1:26379",
            "flags.redis.sentinel.username",
            "flags-watcher",
            "flags.redis.sentinel.password",
            "flags-sentinel-pw",
            "spring.data.redis.sentinel.username",
            "watcher",
            "spring.data.redis.sentinel.password",
            "sentinel-pw");
    assertThat(settings.sentinelUser()).contains("flags-watcher");
    assertThat(settings.sentinelPassword()).contains("flags-sentinel-pw");
    assertThat(settings.password()).isEmpty();
  }

  @Test
  void aSentinelPasswordAloneIsUsedWithoutAUser() {
    RedisConnectionSettings settings =
        resolve(
            "spring.data.redis.sentinel.master",
            "mymaster",
            "spring.data.redis.sentinel.nodes",
            "s1:26379",
            "flags.redis.sentinel.password",
            "sentinel-pw");
    assertThat(settings.sentinelUser()).isEmpty();
    assertThat(settings.sentinelPassword()).contains("sentinel-pw");
  }

  @Test
  void sentinelCredentialsAreIgnoredWhenRedisIsNotBehindSentinel() {
    RedisConnectionSettings settings =
        resolve(
            "spring.data.redis.url",
            "redis://h:7000",
            "spring.data.redis.sentinel.password",
            "sentinel-pw",
            "flags.redis.sentinel.username",
            "watcher");
    assertThat(settings.mode()).isEqualTo(Mode.STANDALONE);
    assertThat(settings.sentinelUser()).isEmpty();
    assertThat(settings.sentinelPassword()).isEmpty();
  }

  @Test
  void aSentinelUserWithoutASentinelPasswordIsRejectedNamingTheProperty() {
    assertThatThrownBy(
            () ->
                resolve(
                    "flags.redis.sentinel.master",
                    "mymaster",
                    "flags.redis.sentinel.nodes",
                    "s1:26379",
                    "flags.redis.sentinel.username",
                    "watcher",
                    "flags.redis.password",
                    "data-pw"))
        .isInstanceOf(FlagsConfigurationException.class)
        .hasMessageContaining("flags.redis.sentinel.username")
        .hasMessageContaining("flags.redis.sentinel.password");
  }

  @Test
  void verifyHostnameTurnsOnTheCertificateNameCheckOfATlsConnection() {
    assertThat(resolve("flags.redis.url", "rediss://h:7000").verifyHostname()).isFalse();
    assertThat(
            resolve("flags.redis.url", "rediss://h:7000", "flags.redis.verify-hostname", "true")
                .verifyHostname())
        .isTrue();
    assertThat(
            resolve(
                    "spring.data.redis.host",
                    "h",
                    "spring.data.redis.ssl.enabled",
                    "true",
                    "flags.redis.verify-hostname",
                    "true")
                .verifyHostname())
        .isTrue();
  }

  @Test
  void verifyHostnameWithoutTlsIsAConfigurationErrorNamingTheProperty() {
    assertThatThrownBy(
            () ->
                resolve("flags.redis.url", "redis://h:7000", "flags.redis.verify-hostname", "true"))
        .isInstanceOf(FlagsConfigurationException.class)
        .hasMessageContaining("flags.redis.verify-hostname")
        .hasMessageContaining("needs TLS");
  }

  private static RedisConnectionSettings resolve(String... keysAndValues) {
    Map<String, String> properties = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      properties.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return RedisSettingsResolver.resolve(
        new Binder(new MapConfigurationPropertySource(properties)));
  }
}
