package dev.flags.micronaut;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.StoreStatus;
import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.FlagsSettings;
import dev.flags.integration.StoreKind;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

@MicronautTest(startApplication = false)
@Property(name = "flags.static.new_checkout_flow", value = "true")
@Property(name = "flags.static.dark_mode", value = "false")
@Property(name = "flags.static.banner_text", value = "Hello")
class FlagsInjectionTest {

  @Inject Flags flags;
  @Inject FlagsRuntime runtime;
  @Inject FlagsSettings settings;

  @Test
  void injectsAClientServingTheStaticFlags() {
    EvaluationContext user = EvaluationContext.of("user-1");
    assertThat(flags.isEnabled("new_checkout_flow", user)).isTrue();
    assertThat(flags.isEnabled("dark_mode", user)).isFalse();
    assertThat(flags.getString("banner_text", user, "none")).isEqualTo("Hello");
    assertThat(flags.status()).isEqualTo(StoreStatus.OK);
  }

  @Test
  void theDefaultStoreIsThePropertiesStore() {
    assertThat(settings.store()).isEqualTo(StoreKind.PROPERTIES);
    assertThat(runtime.store()).isInstanceOf(InMemoryFlagStore.class);
    assertThat(settings.staticValues())
        .containsOnlyKeys("new_checkout_flow", "dark_mode", "banner_text");
  }

  @Test
  void theClientIsClosedWithTheContext() {
    Flags closed;
    try (ApplicationContext context = ApplicationContext.run(Map.of("flags.static.a", "true"))) {
      closed = context.getBean(Flags.class);
      assertThat(closed.isEnabled("a", EvaluationContext.of("u"))).isTrue();
    }
    // A closed client serves the caller's default.
    assertThat(closed.getBoolean("a", EvaluationContext.of("u"), false)).isFalse();
  }

  @Test
  void yamlStyleTypedValuesBecomeFlags() {
    try (ApplicationContext context =
        ApplicationContext.run(
            Map.of("flags.static.on", true, "flags.static.limit", 42, "flags.static.ratio", 0.5))) {
      Flags f = context.getBean(Flags.class);
      EvaluationContext u = EvaluationContext.of("u");
      assertThat(f.isEnabled("on", u)).isTrue();
      assertThat(f.getInt("limit", u, 0)).isEqualTo(42);
      assertThat(f.getDouble("ratio", u, 0)).isEqualTo(0.5);
    }
  }

  @Test
  void flagsEnabledFalseCreatesNoClient() {
    try (ApplicationContext context = ApplicationContext.run(Map.of("flags.enabled", "false"))) {
      assertThat(context.containsBean(Flags.class)).isFalse();
    }
  }

  @Test
  void flagsEnabledFalseInUpperCaseCreatesNoClientEither() {
    // The settings binder and Spring Boot read FALSE as false; Micronaut's @Requires(notEquals =
    // "false") did not, and created the client.
    try (ApplicationContext context =
        ApplicationContext.run(
            Map.of("flags.enabled", "FALSE", "flags.metrics.enabled", "False"))) {
      assertThat(context.containsBean(Flags.class)).isFalse();
    }
  }

  @Test
  void staticValuesReadTheSameInEveryFramework() {
    // Issue 12, difference 2: on/off/yes/no and numbers, as flags-integration reads them.
    try (ApplicationContext context =
        ApplicationContext.run(
            Map.of(
                "flags.static.a", "on",
                "flags.static.b", "NO",
                "flags.static.c", "2.5",
                "flags.static.d", "007"))) {
      Flags f = context.getBean(Flags.class);
      EvaluationContext u = EvaluationContext.of("u");
      assertThat(f.isEnabled("a", u)).isTrue();
      assertThat(f.getBoolean("b", u, true)).isFalse();
      assertThat(f.getDouble("c", u, 0)).isEqualTo(2.5);
      assertThat(f.getString("d", u, "")).isEqualTo("007");
    }
  }

  @Test
  void aUserFlagStoreIsReadInsteadOfTheConfiguredOne() {
    try (ApplicationContext context =
        ApplicationContext.builder()
            .singletons(InMemoryFlagStore.of(dev.flags.core.Flag.simple("mine", true)))
            .start()) {
      assertThat(context.getBean(Flags.class).isEnabled("mine", EvaluationContext.of("u")))
          .isTrue();
      assertThat(context.getBean(FlagsRuntime.class).storeDescription())
          .contains("the application's own store");
    }
  }

  @Test
  void logLinesGoThroughSlf4jNotPlainJavaUtilLogging() {
    // Issue 12: the SDK's System.Logger lines reach the application's logging.
    assertThat(System.getLogger("dev.flags.test").getClass().getName()).contains("slf4j");
  }

  @Test
  void staticFlagKeysMayContainDots() {
    try (ApplicationContext context =
        ApplicationContext.run(Map.of("flags.static.checkout.v2", "true"))) {
      assertThat(context.getBean(Flags.class).isEnabled("checkout.v2", EvaluationContext.of("u")))
          .isTrue();
    }
  }

  @Test
  void theFileStoreReadsAClasspathResource() {
    try (ApplicationContext context =
        ApplicationContext.run(
            Map.of(
                "flags.store", "file", "flags.file.path", "classpath:micronaut-test-flags.json"))) {
      Flags f = context.getBean(Flags.class);
      assertThat(f.awaitInitialization(java.time.Duration.ofSeconds(10))).isTrue();
      assertThat(f.isEnabled("from_classpath", EvaluationContext.of("u"))).isTrue();
      assertThat(f.getString("checkout.v2", EvaluationContext.of("u"), "none")).isEqualTo("blue");
    }
  }
}
