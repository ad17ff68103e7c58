package dev.flags.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.redis.RedisConnectionSettings;
import dev.flags.redis.RedisFlagStore;
import dev.flags.testsupport.RedisServerProcess;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Redis store's wiring against a real redis-server. */
class RedisStoreAutoConfigurationTest {

  static RedisServerProcess redis;

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(FlagsAutoConfiguration.class));

  @BeforeAll
  static void start() {
    redis = RedisServerProcess.start();
    try (var jedis = redis.jedis()) {
      jedis.set("feature:from_default_prefix", "true");
      jedis.set("app1:from_custom_prefix", "true");
    }
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @Test
  void springDataRedisPropertiesAreReused() {
    runner
        .withPropertyValues(
            "flags.store=redis",
            "spring.data.redis.host=" + redis.host(),
            "spring.data.redis.port=" + redis.port())
        .run(
            context -> {
              assertThat(context)
                  .hasSingleBean(RedisFlagStore.class)
                  .hasSingleBean(FlagAdmin.class)
                  .hasSingleBean(FlagEditor.class);
              assertThat(context.getBean(RedisConnectionSettings.class).nodes())
                  .containsExactly(redis.hostAndPort());
              Flags flags = context.getBean(Flags.class);
              await().atMost(Duration.ofSeconds(10)).until(() -> flags.status() == StoreStatus.OK);
              await()
                  .atMost(Duration.ofSeconds(10))
                  .until(() -> flags.isEnabled("from_default_prefix", EvaluationContext.of("u")));
            });
  }

  @Test
  void springDataRedisUrlIsReused() {
    runner
        .withPropertyValues("flags.store=redis", "spring.data.redis.url=" + redis.uri())
        .run(
            context -> {
              assertThat(context.getBean(RedisConnectionSettings.class).nodes())
                  .containsExactly(redis.hostAndPort());
              Flags flags = context.getBean(Flags.class);
              await()
                  .atMost(Duration.ofSeconds(10))
                  .until(() -> flags.isEnabled("from_default_prefix", EvaluationContext.of("u")));
            });
  }

  @Test
  void flagsRedisPropertiesOverrideSpringDataRedis() {
    runner
        .withPropertyValues(
            "spring.data.redis.host=unreachable.invalid",
            "spring.data.redis.port=1",
            "flags.redis.url=" + redis.uri(),
            "flags.redis.prefix=app1:")
        .run(
            context -> {
              assertThat(context).hasSingleBean(RedisFlagStore.class);
              assertThat(context.getBean(RedisConnectionSettings.class).nodes())
                  .containsExactly(redis.hostAndPort());
              Flags flags = context.getBean(Flags.class);
              await()
                  .atMost(Duration.ofSeconds(10))
                  .until(() -> flags.isEnabled("from_custom_prefix", EvaluationContext.of("u")));
              assertThat(flags.flag("from_default_prefix")).isEmpty();
            });
  }

  @Test
  void springDataRedisCredentialsAndDatabaseApply() {
    runner
        .withPropertyValues(
            "flags.store=redis",
            "spring.data.redis.host=h",
            "spring.data.redis.port=7000",
            "spring.data.redis.database=3",
            "spring.data.redis.username=app",
            "spring.data.redis.password=pw",
            "spring.data.redis.ssl.enabled=true",
            "spring.data.redis.timeout=750ms")
        .run(
            context -> {
              RedisConnectionSettings settings = context.getBean(RedisConnectionSettings.class);
              assertThat(settings.nodes()).containsExactly("h:7000");
              assertThat(settings.database()).isEqualTo(3);
              assertThat(settings.user()).contains("app");
              assertThat(settings.password()).contains("pw");
              assertThat(settings.ssl()).isTrue();
              assertThat(settings.timeout()).isEqualTo(Duration.ofMillis(750));
            });
  }

  @Test
  void sentinelAndClusterPropertiesAreRead() {
    runner
        .withPropertyValues(
            "flags.store=redis",
            "spring.data.redis.sentinel.master=mymaster",
            "spring.data.redis.sentinel.nodes=s1:26379,s2:26379",
            "flags.redis.password=pw")
        .run(
            context -> {
              RedisConnectionSettings settings = context.getBean(RedisConnectionSettings.class);
              assertThat(settings.mode()).isEqualTo(RedisConnectionSettings.Mode.SENTINEL);
              assertThat(settings.masterName()).contains("mymaster");
              assertThat(settings.nodes()).containsExactly("s1:26379", "s2:26379");
              assertThat(settings.password()).contains("pw");
            });
    runner
        .withPropertyValues("flags.redis.cluster.nodes=c1:7000,c2:7000")
        .run(
            context ->
                assertThat(context.getBean(RedisConnectionSettings.class).mode())
                    .isEqualTo(RedisConnectionSettings.Mode.CLUSTER));
  }

  @Test
  void userConnectionSettingsWin() {
    runner
        .withPropertyValues("flags.store=redis", "flags.redis.url=redis://ignored:1")
        .withUserConfiguration(UserSettings.class)
        .run(
            context ->
                assertThat(context.getBean(RedisConnectionSettings.class).nodes())
                    .containsExactly(redis.hostAndPort()));
  }

  @Test
  void closingTheContextStopsTheStoresThreads() {
    // Other tests' contexts (cached by the Spring test framework) may run stores too: only the
    // threads this context started count.
    Set<Thread> before = storeThreads();
    Set<Thread> started = new HashSet<>();
    runner
        .withPropertyValues("flags.redis.url=" + redis.uri())
        .run(
            context -> {
              Flags flags = context.getBean(Flags.class);
              await().atMost(Duration.ofSeconds(10)).until(() -> flags.status() == StoreStatus.OK);
              started.addAll(storeThreads());
              started.removeAll(before);
              assertThat(started)
                  .extracting(Thread::getName)
                  .contains("flags-redis-subscriber", "flags-redis-store");
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> started.stream().noneMatch(Thread::isAlive));
  }

  private static Set<Thread> storeThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("flags-redis-") && t.isAlive())
        .collect(Collectors.toSet());
  }

  @Configuration(proxyBeanMethods = false)
  static class UserSettings {
    @Bean
    RedisConnectionSettings mySettings() {
      return RedisConnectionSettings.standalone(redis.uri());
    }
  }
}
