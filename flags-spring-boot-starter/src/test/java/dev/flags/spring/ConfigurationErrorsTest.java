package dev.flags.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.integration.FlagsRuntime;
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
    assertFailure("flags.store", "zookeeper", "properties, file or redis", "flags.store=zookeeper");
  }

  @Test
  void badRedisUrlNeverShowsItsPassword() {
    FailureAnalysis analysis =
        assertFailure(
            "flags.redis.url",
            "redis://",
            "redis://",
            "flags.store=redis",
            "flags.redis.url=http://user:hunter2@localhost:6379");
    assertThat(analysis.getDescription()).doesNotContain("hunter2");
    assertThat(analysis.getCause().toString()).doesNotContain("hunter2");
  }

  @Test
  void aSpringDataRedisUrlIsCheckedAsTheFlagsRedisUrl() {
    FailureAnalysis analysis =
        assertFailure(
            "flags.redis.url",
            "localhost:6379",
            "redis://",
            "flags.store=redis",
            "spring.data.redis.url=localhost:6379");
    assertThat(analysis.getDescription()).contains("spring.data.redis.url");
  }

  @Test
  void badStaticFlagKey() {
    assertFailure("flags.static.new ui!", "true", "flag key", "flags.static.[new ui!]=true");
  }

  @Test
  void badDurationNamesTheProperty() {
    assertFailure(
        "flags.file.poll-interval",
        "soon",
        "duration",
        "flags.store=properties",
        "flags.file.poll-interval=soon");
  }

  @Test
  void guardStatusMustBeAnErrorStatus() {
    assertFailure("flags.web.guard-status", "200", "404", "flags.web.guard-status=200");
  }

  @Test
  void conditionTimeoutMustBePositive() {
    assertFailure(
        "flags.redis.condition-timeout", "0ms", "duration", "flags.redis.condition-timeout=0ms");
  }

  @Test
  void aRemovedSettingNamesItsReplacement() {
    assertFailure(
        "flags.actuator.write-enabled",
        "true",
        "flags.admin.write-enabled",
        "flags.actuator.write-enabled=true");
  }

  @Test
  void anExplicitFlagFileThatDoesNotExistNamesTheProperty(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    assertFailure(
        "flags.file.path",
        "absent.json",
        "Create the file",
        "flags.file.path=" + dir.resolve("absent.json"));
  }

  @Test
  void failFastOnAStoreThatDoesNotLoad(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    java.nio.file.Path broken =
        java.nio.file.Files.writeString(dir.resolve("broken.json"), "{\"flags\": ");
    assertFailure(
        "flags.fail-fast-timeout",
        "300ms",
        "reachable",
        "flags.file.path=" + broken,
        "flags.fail-fast-timeout=300ms");
  }

  @Test
  void withoutJedisTheOtherStoresStillWork() {
    runner
        .withClassLoader(new FilteredClassLoader("redis.clients.jedis", "dev.flags.redis"))
        .withPropertyValues("flags.static.a=true")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(FlagsRuntime.class).store())
                  .isInstanceOf(InMemoryFlagStore.class);
              assertThat(context.getBean(Flags.class).flag("a")).isPresent();
            });
  }

  /** Start-up fails, and the analysis names the property, its value and a fix. */
  private FailureAnalysis assertFailure(
      String property, String value, String fix, String... properties) {
    FailureAnalysis[] analysis = new FailureAnalysis[1];
    runner
        .withPropertyValues(properties)
        .run(
            context -> {
              assertThat(context).hasFailed();
              analysis[0] = analyze(context.getStartupFailure());
              assertThat(analysis[0].getDescription())
                  .contains("Property: " + property)
                  .contains(value);
              assertThat(analysis[0].getAction()).contains(fix);
            });
    return analysis[0];
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
