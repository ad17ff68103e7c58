package dev.flags.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** Bad configuration fails start-up, and the failure analysis names the property and the fix. */
class ConfigurationErrorsTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(FlagsAutoConfiguration.class));

  @Test
  void unknownStore() {
    runner
        .withPropertyValues("flags.store=zookeeper")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis = analyze(context.getStartupFailure());
              assertThat(analysis.getDescription()).contains("flags.store").contains("zookeeper");
              assertThat(analysis.getAction()).contains("properties, file or redis");
            });
  }

  @Test
  void badRedisUrl() {
    runner
        .withPropertyValues(
            "flags.store=redis", "flags.redis.url=http://user:hunter2@localhost:6379")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis = analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains("flags.redis.url")
                  .contains("scheme")
                  .doesNotContain("hunter2");
              assertThat(analysis.getAction()).contains("redis://");
            });
  }

  @Test
  void badSpringDataRedisUrlNamesThatProperty() {
    runner
        .withPropertyValues("flags.store=redis", "spring.data.redis.url=localhost:6379")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(analyze(context.getStartupFailure()).getDescription())
                  .contains("spring.data.redis.url");
            });
  }

  @Test
  void badStaticFlagKey() {
    runner
        .withPropertyValues("flags.static.[new ui!]=true")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis = analyze(context.getStartupFailure());
              assertThat(analysis.getDescription()).contains("flags.static.new ui!");
              assertThat(analysis.getAction()).contains("flag key");
            });
  }

  @Test
  void badDurationIsABindingErrorNamingTheProperty() {
    runner
        .withPropertyValues("flags.file.path=flags.json", "flags.file.poll-interval=soon")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis = analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains("flags.file.poll-interval")
                  .contains("soon");
              assertThat(analysis.getAction()).contains("duration");
            });
  }

  @Test
  void guardStatusMustBeAnErrorStatus() {
    runner
        .withPropertyValues("flags.web.guard-status=200")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis = analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains("flags.web.guard-status")
                  .contains("200")
                  .contains("4xx or 5xx");
              assertThat(analysis.getAction()).contains("404");
            });
  }

  @Test
  void conditionTimeoutMustBePositive() {
    runner
        .withPropertyValues("flags.redis.condition-timeout=0ms")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis = analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains("flags.redis.condition-timeout")
                  .contains("positive");
              assertThat(analysis.getAction()).contains("500ms");
            });
  }

  @Test
  void anonymousCookieMaxAgeMustNotBeNegative() {
    runner
        .withPropertyValues("flags.context.anonymous-cookie.max-age=-1s")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis = analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains("flags.context.anonymous-cookie.max-age")
                  .contains("negative");
              assertThat(analysis.getAction()).contains("anonymous-cookie.enabled=false");
            });
  }

  @Test
  void redisStoreWithoutJedisSaysWhatToAdd() {
    runner
        .withClassLoader(new FilteredClassLoader("redis.clients.jedis"))
        .withPropertyValues("flags.store=redis")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis = analyze(context.getStartupFailure());
              assertThat(analysis.getDescription()).contains("flags.store").contains("redis");
              assertThat(analysis.getAction()).contains("dev.flags:flags-redis");
            });
  }

  @Test
  void withoutJedisTheOtherStoresStillWork() {
    runner
        .withClassLoader(new FilteredClassLoader("redis.clients.jedis", "dev.flags.redis"))
        .withPropertyValues("flags.static.a=true")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(InMemoryFlagStore.class);
              assertThat(context.getBean(Flags.class).flag("a")).isPresent();
            });
  }

  @Test
  void writeEnabledWithAReadOnlyStoreIsExplained() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                FlagsAutoConfiguration.class,
                dev.flags.spring.actuate.FlagsActuatorAutoConfiguration.class))
        .withPropertyValues(
            "flags.file.path=flags.json",
            "flags.actuator.write-enabled=true",
            "management.endpoints.web.exposure.include=flags")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(analyze(context.getStartupFailure()).getDescription())
                  .contains("flags.actuator.write-enabled");
            });
  }

  @Test
  void failFastOnAStoreThatDoesNotLoad(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    runner
        .withPropertyValues(
            "flags.file.path=" + dir.resolve("absent.json"), "flags.fail-fast-timeout=300ms")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis = analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains("flags.fail-fast-timeout")
                  .contains("300ms");
              assertThat(analysis.getAction()).contains("reachable");
            });
  }

  @Test
  void failureAnalyzerIsRegisteredForSpringBoot() {
    // Other analyzers need a bean factory to be built; only ours matters here.
    SpringFactoriesLoader.FailureHandler ignore = (type, name, failure) -> {};
    assertThat(
            SpringFactoriesLoader.forDefaultResourceLocation().load(FailureAnalyzer.class, ignore))
        .hasAtLeastOneElementOfType(FlagsFailureAnalyzer.class);
  }

  private static FailureAnalysis analyze(Throwable failure) {
    FailureAnalysis analysis = new FlagsFailureAnalyzer().analyze(failure);
    assertThat(analysis).as("analysis of %s", failure).isNotNull();
    return analysis;
  }
}
