package dev.flags.micronaut;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import dev.flags.integration.FlagsSettings;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A context started from a real {@code application.yml} ({@code src/test/resources/yaml-binding/}):
 * {@code flags.static.*} with YAML-typed values and nested options bind as the properties form
 * does. Its own context, from its own configuration location, so no other test reads that file.
 */
class YamlConfigurationTest {

  @Test
  void anApplicationYmlBindsStaticFlagsAndNestedOptions() {
    try (ApplicationContext context =
        ApplicationContext.builder().overrideConfigLocations("classpath:yaml-binding/").start()) {
      Flags flags = context.getBean(Flags.class);
      FlagsSettings settings = context.getBean(FlagsSettings.class);
      EvaluationContext user = EvaluationContext.of("user-1");

      assertThat(settings.staticValues())
          .containsOnlyKeys("new_checkout_flow", "dark_mode", "banner_text", "max_items");
      assertThat(flags.isEnabled("new_checkout_flow", user)).isTrue();
      assertThat(flags.isEnabled("dark_mode", user)).isFalse();
      assertThat(flags.getString("banner_text", user, "none")).isEqualTo("Summer sale");
      assertThat(flags.getInt("max_items", user, 0)).isEqualTo(3);
      assertThat(settings.context().header()).contains("X-Customer-Id");
      assertThat(settings.context().anonymousCookie().name()).isEqualTo("visitor");
      assertThat(settings.context().anonymousCookie().maxAge()).isEqualTo(Duration.ofDays(30));
      assertThat(settings.webGuardStatus()).isEqualTo(403);
    }
  }
}
