package dev.flags.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.testsupport.RedisServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.stereotype.Component;

class ConditionalOnFlagTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withUserConfiguration(Beans.class);

  @Test
  void matchesWhenTheStaticFlagIsOn() {
    runner
        .withPropertyValues("flags.static.new_checkout_flow=true")
        .run(context -> assertThat(context).hasBean("newCheckout").doesNotHaveBean("oldCheckout"));
  }

  @Test
  void doesNotMatchWhenTheStaticFlagIsOff() {
    runner
        .withPropertyValues("flags.static.new_checkout_flow=false")
        .run(context -> assertThat(context).doesNotHaveBean("newCheckout").hasBean("oldCheckout"));
  }

  @Test
  void missingFlagUsesMatchIfMissing() {
    runner.run(
        context ->
            assertThat(context)
                .doesNotHaveBean("newCheckout")
                .doesNotHaveBean("oldCheckout")
                .hasBean("onUnlessTurnedOff"));
  }

  @Test
  void havingValueComparesStringAndNumberFlags() {
    runner
        .withPropertyValues("flags.static.checkout_variant=v2", "flags.static.max_items=3")
        .run(context -> assertThat(context).hasBean("variantTwo").hasBean("threeItems"));
    runner
        .withPropertyValues("flags.static.checkout_variant=v1", "flags.static.max_items=4")
        .run(
            context ->
                assertThat(context).doesNotHaveBean("variantTwo").doesNotHaveBean("threeItems"));
  }

  @Test
  void worksOnConfigurationClasses() {
    new ApplicationContextRunner()
        .withUserConfiguration(GuardedConfiguration.class)
        .withPropertyValues("flags.static.beta_config=true")
        .run(context -> assertThat(context).hasBean("fromBetaConfig"));
    new ApplicationContextRunner()
        .withUserConfiguration(GuardedConfiguration.class)
        .run(context -> assertThat(context).doesNotHaveBean("fromBetaConfig"));
  }

  @Test
  void worksOnComponentsImportedByAUserConfiguration() {
    ApplicationContextRunner importing =
        new ApplicationContextRunner().withUserConfiguration(ImportsBetaComponent.class);
    importing
        .withPropertyValues("flags.static.beta_component=true")
        .run(context -> assertThat(context).hasSingleBean(BetaComponent.class));
    importing
        .withPropertyValues("flags.static.beta_component=false")
        .run(context -> assertThat(context).doesNotHaveBean(BetaComponent.class));
  }

  @Configuration(proxyBeanMethods = false)
  @Import(BetaComponent.class)
  static class ImportsBetaComponent {}

  @Component
  @ConditionalOnFlag("beta_component")
  static class BetaComponent {}

  @Test
  void readsTheFileStoreOnce(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("flags.json"),
            "{\"flags\": {\"new_checkout_flow\": true, \"keep_on\": false}}");
    runner
        .withPropertyValues("flags.file.path=" + file)
        .run(
            context ->
                assertThat(context).hasBean("newCheckout").doesNotHaveBean("onUnlessTurnedOff"));
  }

  @Test
  void unreadableFileMeansMissing(@TempDir Path dir) {
    runner
        .withPropertyValues("flags.file.path=" + dir.resolve("absent.json"))
        .run(
            context ->
                assertThat(context).doesNotHaveBean("newCheckout").hasBean("onUnlessTurnedOff"));
  }

  @Test
  void readsTheFlagFromRedis() {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      try (var jedis = redis.jedis()) {
        jedis.set("feature:new_checkout_flow", "true");
        jedis.set("feature:keep_on", "false");
      }
      runner
          .withPropertyValues("flags.store=redis", "flags.redis.url=" + redis.uri())
          .run(
              context ->
                  assertThat(context).hasBean("newCheckout").doesNotHaveBean("onUnlessTurnedOff"));
    }
  }

  @Test
  void readsRedisThroughSpringDataRedisProperties() {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      try (var jedis = redis.jedis()) {
        jedis.set("feature:new_checkout_flow", "true");
      }
      runner
          .withPropertyValues(
              "flags.store=redis",
              "spring.data.redis.host=" + redis.host(),
              "spring.data.redis.port=" + redis.port())
          .run(context -> assertThat(context).hasBean("newCheckout"));
    }
  }

  @Test
  void unreachableRedisMeansMissing() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    runner
        .withPropertyValues(
            "flags.store=redis",
            "flags.redis.url=redis://127.0.0.1:" + closedPort,
            "flags.redis.condition-timeout=200ms")
        .run(
            context ->
                assertThat(context)
                    .doesNotHaveBean("newCheckout")
                    .doesNotHaveBean("oldCheckout")
                    .hasBean("onUnlessTurnedOff"));
  }

  @Test
  void readsTheStoreOncePerContextForEveryKeyAndPhase(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("flags.json"),
            "{\"flags\": {\"new_checkout_flow\": true, \"keep_on\": false, \"beta_config\": true}}");
    new ApplicationContextRunner()
        .withUserConfiguration(Beans.class, GuardedConfiguration.class)
        .withPropertyValues("flags.file.path=" + file)
        .run(
            context -> {
              ConditionSnapshot snapshot =
                  context.getBean(ConditionSnapshot.BEAN_NAME, ConditionSnapshot.class);
              assertThat(context)
                  .hasBean("newCheckout")
                  .doesNotHaveBean("onUnlessTurnedOff")
                  .hasBean("fromBetaConfig");
              assertThat(snapshot.storeReads()).isEqualTo(1);
            });
  }

  @Test
  void eachContextReadsTheStoreAgain() {
    runner
        .withPropertyValues("flags.static.new_checkout_flow=true")
        .run(context -> assertThat(context).hasBean("newCheckout"));
    runner
        .withPropertyValues("flags.static.new_checkout_flow=false")
        .run(context -> assertThat(context).doesNotHaveBean("newCheckout").hasBean("oldCheckout"));
  }

  @Test
  void allConditionsOfAContextSeeTheSameSnapshot(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(dir.resolve("flags.json"), "{\"flags\": {\"beta_config\": true}}");
    TurnBetaConfigOffInTheFile.file = file;
    // First is parsed (its condition reads the file), then its import rewrites the file: Second
    // and First's bean methods are decided later, and must still see the flag on.
    new ApplicationContextRunner()
        .withUserConfiguration(First.class, Second.class)
        .withPropertyValues("flags.file.path=" + file)
        .run(
            context -> {
              assertThat(Files.readString(file)).contains("false");
              assertThat(context).hasBean("first").hasBean("second");
            });
  }

  @Test
  void opensOneRedisConnectionPerContext() {
    try (RedisServerProcess redis = RedisServerProcess.start();
        var jedis = redis.jedis()) {
      jedis.set("feature:new_checkout_flow", "true");
      jedis.set("feature:beta_config", "true");
      long before = connectionsReceived(jedis.info("stats"));
      new ApplicationContextRunner()
          .withUserConfiguration(Beans.class, GuardedConfiguration.class)
          .withPropertyValues("flags.store=redis", "flags.redis.url=" + redis.uri())
          .run(context -> assertThat(context).hasBean("newCheckout").hasBean("fromBetaConfig"));
      assertThat(connectionsReceived(jedis.info("stats")) - before).isEqualTo(1);
    }
  }

  @Test
  void unreachableRedisCostsOneTimeoutPerContext() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    new ApplicationContextRunner()
        .withUserConfiguration(Beans.class, GuardedConfiguration.class)
        .withPropertyValues(
            "flags.store=redis",
            "flags.redis.url=redis://127.0.0.1:" + closedPort,
            "flags.redis.condition-timeout=200ms")
        .run(
            context -> {
              assertThat(context).hasBean("onUnlessTurnedOff").doesNotHaveBean("fromBetaConfig");
              assertThat(
                      context
                          .getBean(ConditionSnapshot.BEAN_NAME, ConditionSnapshot.class)
                          .storeReads())
                  .isEqualTo(1);
            });
  }

  private static long connectionsReceived(String stats) {
    return stats
        .lines()
        .filter(line -> line.startsWith("total_connections_received:"))
        .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim()))
        .findFirst()
        .orElseThrow();
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnFlag("beta_config")
  @Import(TurnBetaConfigOffInTheFile.class)
  static class First {
    @Bean
    @ConditionalOnFlag("beta_config")
    String first() {
      return "first";
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnFlag("beta_config")
  static class Second {
    @Bean
    String second() {
      return "second";
    }
  }

  /** Changes the store while the configuration classes are being parsed. */
  static class TurnBetaConfigOffInTheFile implements ImportSelector {
    static Path file;

    @Override
    public String[] selectImports(AnnotationMetadata metadata) {
      try {
        Files.writeString(file, "{\"flags\": {\"beta_config\": false}}");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new String[0];
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Beans {
    @Bean
    @ConditionalOnFlag("new_checkout_flow")
    String newCheckout() {
      return "new";
    }

    @Bean
    @ConditionalOnFlag(value = "new_checkout_flow", havingValue = "false")
    String oldCheckout() {
      return "old";
    }

    @Bean
    @ConditionalOnFlag(value = "keep_on", matchIfMissing = true)
    String onUnlessTurnedOff() {
      return "on";
    }

    @Bean
    @ConditionalOnFlag(value = "checkout_variant", havingValue = "v2")
    String variantTwo() {
      return "v2";
    }

    @Bean
    @ConditionalOnFlag(value = "max_items", havingValue = "3")
    String threeItems() {
      return "3";
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnFlag("beta_config")
  static class GuardedConfiguration {
    @Bean
    String fromBetaConfig() {
      return "beta";
    }
  }
}
