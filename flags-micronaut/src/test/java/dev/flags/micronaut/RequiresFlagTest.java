package dev.flags.micronaut;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each form of {@link RequiresFlag}, present and absent, decided from configuration at start-up.
 */
class RequiresFlagTest {

  static final String SPEC = "RequiresFlagTest";

  @Singleton
  @Requires(property = "spec.name", value = SPEC)
  @RequiresFlag("new_checkout_flow")
  static class NewCheckout {}

  @Singleton
  @Requires(property = "spec.name", value = SPEC)
  @RequiresFlag(value = "new_checkout_flow", havingValue = "false")
  static class LegacyCheckout {}

  @Singleton
  @Requires(property = "spec.name", value = SPEC)
  @RequiresFlag(value = "search_engine", havingValue = "v2")
  static class SearchV2 {}

  @Singleton
  @Requires(property = "spec.name", value = SPEC)
  @RequiresFlag(value = "recommendations", matchIfMissing = true)
  static class Recommendations {}

  record Banner(String text) {}

  @Factory
  @Requires(property = "spec.name", value = SPEC)
  static class BannerFactory {
    @Bean
    @Singleton
    @RequiresFlag("banner")
    Banner banner() {
      return new Banner("hello");
    }
  }

  private static ApplicationContext run(Map<String, Object> properties) {
    Map<String, Object> all = new HashMap<>(properties);
    all.put("spec.name", SPEC);
    return ApplicationContext.run(all);
  }

  @Test
  void createsTheBeanWhenTheStaticFlagIsOn() {
    try (ApplicationContext context = run(Map.of("flags.static.new_checkout_flow", "true"))) {
      assertThat(context.containsBean(NewCheckout.class)).isTrue();
      assertThat(context.containsBean(LegacyCheckout.class)).isFalse();
    }
  }

  @Test
  void leavesTheBeanOutWhenTheStaticFlagIsOff() {
    try (ApplicationContext context = run(Map.of("flags.static.new_checkout_flow", "false"))) {
      assertThat(context.containsBean(NewCheckout.class)).isFalse();
      assertThat(context.containsBean(LegacyCheckout.class)).isTrue();
    }
  }

  @Test
  void leavesTheBeanOutWhenTheFlagIsUnknown() {
    try (ApplicationContext context = run(Map.of())) {
      assertThat(context.containsBean(NewCheckout.class)).isFalse();
      assertThat(context.containsBean(LegacyCheckout.class)).isFalse();
    }
  }

  @Test
  void matchIfMissingCreatesTheBeanWhenTheFlagIsUnknown() {
    try (ApplicationContext context = run(Map.of())) {
      assertThat(context.containsBean(Recommendations.class)).isTrue();
    }
  }

  @Test
  void matchIfMissingDoesNotOverrideAFlagThatIsOff() {
    try (ApplicationContext context = run(Map.of("flags.static.recommendations", "false"))) {
      assertThat(context.containsBean(Recommendations.class)).isFalse();
    }
  }

  @Test
  void havingValueComparesStringFlags() {
    try (ApplicationContext context = run(Map.of("flags.static.search_engine", "v2"))) {
      assertThat(context.containsBean(SearchV2.class)).isTrue();
    }
    try (ApplicationContext context = run(Map.of("flags.static.search_engine", "v1"))) {
      assertThat(context.containsBean(SearchV2.class)).isFalse();
    }
  }

  @Test
  void worksOnFactoryMethods() {
    try (ApplicationContext context = run(Map.of("flags.static.banner", "true"))) {
      assertThat(context.getBean(Banner.class).text()).isEqualTo("hello");
    }
    try (ApplicationContext context = run(Map.of("flags.static.banner", "false"))) {
      assertThat(context.containsBean(Banner.class)).isFalse();
    }
  }

  @Test
  void readsTheFileStoreAtStartUp(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, "{\"flags\": {\"new_checkout_flow\": true, \"banner\": false}}");
    try (ApplicationContext context =
        run(Map.of("flags.store", "file", "flags.file.path", file.toString()))) {
      assertThat(context.containsBean(NewCheckout.class)).isTrue();
      assertThat(context.containsBean(Banner.class)).isFalse();
    }
  }

  @Test
  void evaluatesRulesForTheApplicationContext(@TempDir Path dir) throws Exception {
    // On only for the context key "checkout-service": an application can be targeted by name.
    Path file = dir.resolve("flags.json");
    Files.writeString(
        file,
        """
        {"flags": {"new_checkout_flow": {
          "on": true, "variations": [false, true], "offVariation": 0,
          "fallthrough": {"variation": 0},
          "targets": [{"variation": 1, "values": ["checkout-service"]}]}}}
        """);
    Map<String, Object> properties =
        Map.of("flags.store", "file", "flags.file.path", file.toString());
    try (ApplicationContext context = run(properties)) {
      assertThat(context.containsBean(NewCheckout.class)).isFalse();
    }
    Map<String, Object> named = new HashMap<>(properties);
    named.put("flags.condition.context-key", "checkout-service");
    try (ApplicationContext context = run(named)) {
      assertThat(context.containsBean(NewCheckout.class)).isTrue();
    }
  }

  @Test
  void anUnreachableStoreFallsBackToMatchIfMissing() {
    // Nothing listens on port 1: the Redis store cannot load; the wait is cut short.
    Map<String, Object> properties =
        Map.of(
            "flags.store",
            "redis",
            "flags.redis.url",
            "redis://127.0.0.1:1",
            "flags.redis.condition-timeout",
            "300ms");
    try (ApplicationContext context = run(properties)) {
      assertThat(context.containsBean(NewCheckout.class)).isFalse();
      assertThat(context.containsBean(Recommendations.class)).isTrue();
    }
  }

  @Test
  void staticFlagsStillDecideWhenTheStoreIsUnreachable() {
    Map<String, Object> properties =
        Map.of(
            "flags.store",
            "redis",
            "flags.redis.url",
            "redis://127.0.0.1:1",
            "flags.redis.condition-timeout",
            "300ms",
            "flags.static.new_checkout_flow",
            "true");
    try (ApplicationContext context = run(properties)) {
      assertThat(context.containsBean(NewCheckout.class)).isTrue();
    }
  }

  @Test
  void withFlagsDisabledEveryFlagIsMissing() {
    try (ApplicationContext context =
        run(Map.of("flags.enabled", "false", "flags.static.new_checkout_flow", "true"))) {
      assertThat(context.containsBean(NewCheckout.class)).isFalse();
      assertThat(context.containsBean(Recommendations.class)).isTrue();
    }
  }
}
