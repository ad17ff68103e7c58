package dev.flags.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.EvaluationContext;
import dev.flags.core.FileFlagStore;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.spi.FlagStore;
import dev.flags.integration.FlagsRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans the starter makes from the {@code flags.*} settings, and how they back off. */
class FlagsAutoConfigurationTest {

  private static final EvaluationContext USER = EvaluationContext.of("user-1");

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(FlagsAutoConfiguration.class));

  @Test
  void defaultsToThePropertiesStoreWithNoFlags() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(Flags.class).hasSingleBean(FlagsRuntime.class);
          assertThat(store(context)).isInstanceOf(InMemoryFlagStore.class);
          assertThat(context.getBean(Flags.class).allFlags()).isEmpty();
        });
  }

  @Test
  void servesStaticFlagsWrittenInProperties() {
    runner
        .withPropertyValues(
            "flags.static.new_ui_layout=true",
            "flags.static.old-banner=false",
            "flags.static.checkout.variant=v2",
            "flags.static.max_items=42")
        .run(
            context -> {
              Flags flags = context.getBean(Flags.class);
              assertThat(flags.isEnabled("new_ui_layout", USER)).isTrue();
              assertThat(flags.isEnabled("old-banner", USER)).isFalse();
              assertThat(flags.flag("old-banner")).isPresent();
              assertThat(flags.getString("checkout.variant", USER, "v1")).isEqualTo("v2");
              assertThat(flags.getInt("max_items", USER, 0)).isEqualTo(42);
            });
  }

  @Test
  void choosesTheFileStoreWhenAPathIsSet(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(dir.resolve("flags.json"), "{\"flags\": {\"new_ui_layout\": true}}");
    runner
        .withPropertyValues("flags.file.path=" + file)
        .run(context -> assertThat(store(context)).isInstanceOf(FileFlagStore.class));
  }

  @Test
  void explicitStoreWinsOverDeduction(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("x.json"), "{\"flags\": {}}");
    runner
        .withPropertyValues("flags.store=properties", "flags.file.path=" + file)
        .run(context -> assertThat(store(context)).isInstanceOf(InMemoryFlagStore.class));
  }

  @Test
  void userStoreMakesTheDefaultOneBackOff() {
    runner
        .withUserConfiguration(UserStore.class)
        .run(
            context -> {
              assertThat(store(context)).isSameAs(context.getBean(FlagStore.class));
              assertThat(context.getBean(Flags.class).isEnabled("from_user_store", USER)).isTrue();
            });
  }

  @Test
  void userClientMakesTheDefaultOneBackOff() {
    runner
        .withUserConfiguration(UserClient.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(Flags.class);
              assertThat(context.getBean(Flags.class))
                  .isSameAs(context.getBean(UserClient.class).flags);
            });
  }

  @Test
  void disabledByProperty() {
    runner
        .withPropertyValues("flags.enabled=false")
        .run(
            context ->
                assertThat(context)
                    .doesNotHaveBean(Flags.class)
                    .doesNotHaveBean(FlagsRuntime.class)
                    .doesNotHaveBean(FlagAdmin.class));
  }

  @Test
  void closesTheClientWithTheContext() {
    Flags[] seen = new Flags[1];
    runner
        .withPropertyValues("flags.static.a=true")
        .run(context -> seen[0] = context.getBean(Flags.class));
    // A closed client serves the caller's default.
    assertThat(seen[0].getBoolean("a", USER, false)).isFalse();
  }

  @Test
  void thePropertiesStoreIsWrittenThroughItsAdmin() {
    runner
        .withPropertyValues("flags.static.a=false")
        .run(
            context -> {
              context.getBean(FlagAdmin.class).setOn("a", true, Change.by("test").because("why"));
              assertThat(context.getBean(Flags.class).isEnabled("a", USER)).isTrue();
            });
  }

  @Test
  void staticFlagsAreServedUntilTheFileLoads(@TempDir Path dir) throws Exception {
    // Issue 12, difference 3: static flags are the bootstrap of the file and Redis stores too.
    Path file = Files.writeString(dir.resolve("flags.json"), "{\"flags\": ");
    runner
        .withPropertyValues("flags.file.path=" + file, "flags.static.banner=on")
        .run(
            context -> {
              Flags flags = context.getBean(Flags.class);
              assertThat(flags.isInitialized()).isFalse();
              assertThat(flags.isEnabled("banner", USER)).isTrue();
            });
  }

  @Test
  void staticValuesReadTheSameInEveryFramework() {
    // Issue 12, difference 2: on/off/yes/no and numbers, as flags-integration reads them.
    runner
        .withPropertyValues(
            "flags.static.a=on", "flags.static.b=NO", "flags.static.c=2.5", "flags.static.d=007")
        .run(
            context -> {
              Flags flags = context.getBean(Flags.class);
              assertThat(flags.isEnabled("a", USER)).isTrue();
              assertThat(flags.flag("b")).isPresent();
              assertThat(flags.getBoolean("b", USER, true)).isFalse();
              assertThat(flags.getDouble("c", USER, 0)).isEqualTo(2.5);
              assertThat(flags.getString("d", USER, "")).isEqualTo("007");
            });
  }

  @Test
  void startsWithNoOptionalLibraryOnTheClasspath() {
    new org.springframework.boot.test.context.runner.WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                FlagsAutoConfiguration.class,
                FlagsMetricsAutoConfiguration.class,
                dev.flags.spring.web.FlagsWebMvcAutoConfiguration.class,
                dev.flags.spring.actuate.FlagsActuatorAutoConfiguration.class))
        .withClassLoader(
            new org.springframework.boot.test.context.FilteredClassLoader(
                "redis.clients",
                "dev.flags.redis",
                "dev.flags.micrometer",
                "io.micrometer",
                "org.springframework.boot.actuate",
                "org.springframework.boot.health",
                "org.springframework.security",
                "org.springframework.web.servlet"))
        .withPropertyValues("flags.static.a=true")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(Flags.class);
              assertThat(context)
                  .doesNotHaveBean("flagGuardWebMvcConfigurer")
                  .doesNotHaveBean("flagsHealthIndicator");
              assertThat(context.getBean(Flags.class).isEnabled("a", USER)).isTrue();
            });
  }

  private static FlagStore store(org.springframework.context.ApplicationContext context) {
    return context.getBean(FlagsRuntime.class).store();
  }

  @Configuration(proxyBeanMethods = false)
  static class UserStore {
    @Bean
    FlagStore myStore() {
      return InMemoryFlagStore.of(Flag.simple("from_user_store", true));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserClient {
    final Flags flags = Flags.builder().store(InMemoryFlagStore.empty()).build();

    @Bean
    Flags myFlags() {
      return flags;
    }
  }
}
