package dev.flags.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import dev.flags.core.StoreStatus;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.FlagsSettings;
import dev.flags.integration.StoreKind;
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
import org.springframework.context.ApplicationContext;

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
              assertThat(context).hasSingleBean(FlagAdmin.class);
              assertThat(context.getBean(FlagsRuntime.class).store())
                  .isInstanceOf(RedisFlagStore.class);
              assertThat(redisSettings(context).url()).contains("redis://" + redis.hostAndPort());
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
              assertThat(redisSettings(context).url()).contains(redis.uri());
              Flags flags = context.getBean(Flags.class);
              await()
                  .atMost(Duration.ofSeconds(10))
                  .until(() -> flags.isEnabled("from_default_prefix", EvaluationContext.of("u")));
            });
  }

  @Test
  void springDataRedisIsNotReadUnlessTheStoreIsRedis() {
    // An application that uses Redis for itself keeps its flags where flags.* says.
    runner
        .withPropertyValues("spring.data.redis.url=" + redis.uri())
        .run(
            context -> {
              assertThat(context.getBean(FlagsSettings.class).store())
                  .isEqualTo(StoreKind.PROPERTIES);
              assertThat(redisSettings(context).url()).isEmpty();
            });
  }

  @Test
  void flagsRedisPropertiesOverrideSpringDataRedis() {
    runner
        .withPropertyValues(
            "flags.store=redis",
            "spring.data.redis.host=unreachable.invalid",
            "spring.data.redis.port=1",
            "flags.redis.url=" + redis.uri(),
            "flags.redis.prefix=app1:")
        .run(
            context -> {
              assertThat(redisSettings(context).url()).contains(redis.uri());
              Flags flags = context.getBean(Flags.class);
              await()
                  .atMost(Duration.ofSeconds(10))
                  .until(() -> flags.isEnabled("from_custom_prefix", EvaluationContext.of("u")));
              assertThat(flags.flag("from_default_prefix")).isEmpty();
            });
  }

  @Test
  void springDataRedisCredentialsDatabaseTlsAndTimeoutApply() {
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
              FlagsSettings.Redis settings = redisSettings(context);
              assertThat(settings.url()).contains("redis://h:7000/3");
              assertThat(settings.username()).contains("app");
              assertThat(settings.password()).contains("pw");
              assertThat(settings.ssl()).contains(true);
              assertThat(settings.timeout()).isEqualTo(Duration.ofMillis(750));
              assertThat(settings.toString()).doesNotContain("pw");
            });
  }

  @Test
  void flagsRedisCredentialsWinOverSpringDataRedisOnes() {
    runner
        .withPropertyValues(
            "flags.store=redis",
            "spring.data.redis.username=app",
            "spring.data.redis.password=pw",
            "flags.redis.username=flags",
            "flags.redis.password=flags-pw")
        .run(
            context -> {
              FlagsSettings.Redis settings = redisSettings(context);
              assertThat(settings.url()).contains("redis://localhost:6379");
              assertThat(settings.username()).contains("flags");
              assertThat(settings.password()).contains("flags-pw");
            });
  }

  @Test
  void sentinelAndClusterPropertiesAreRead() {
    runner
        .withPropertyValues(
            "flags.store=redis",
            "spring.data.redis.sentinel.master=mymaster",
            "spring.data.redis.sentinel.nodes=s1:26379,s2:26379",
            "spring.data.redis.sentinel.password=spw",
            "flags.redis.password=pw")
        .run(
            context -> {
              FlagsSettings.Redis settings = redisSettings(context);
              assertThat(settings.sentinel().master()).contains("mymaster");
              assertThat(settings.sentinel().nodes()).containsExactly("s1:26379", "s2:26379");
              assertThat(settings.sentinel().password()).contains("spw");
              assertThat(settings.password()).contains("pw");
            });
    runner
        .withPropertyValues("flags.store=redis", "spring.data.redis.cluster.nodes=c1:7000,c2:7000")
        .run(
            context ->
                assertThat(redisSettings(context).clusterNodes())
                    .containsExactly("c1:7000", "c2:7000"));
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

  private static FlagsSettings.Redis redisSettings(ApplicationContext context) {
    return context.getBean(FlagsSettings.class).redis();
  }
}
