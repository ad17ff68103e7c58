package dev.flags.micronaut;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
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
      FlagsConfiguration config = context.getBean(FlagsConfiguration.class);
      EvaluationContext user = EvaluationContext.of("user-1");

      assertThat(config.getStatic())
          .containsOnlyKeys("new_checkout_flow", "dark_mode", "banner_text", "max_items");
      assertThat(flags.isEnabled("new_checkout_flow", user)).isTrue();
      assertThat(flags.isEnabled("dark_mode", user)).isFalse();
      assertThat(flags.getString("banner_text", user, "none")).isEqualTo("Summer sale");
      assertThat(flags.getInt("max_items", user, 0)).isEqualTo(3);
      assertThat(config.getContext().getHeader()).isEqualTo("X-Customer-Id");
      assertThat(config.getContext().getAnonymousCookie().getName()).isEqualTo("visitor");
      assertThat(config.getContext().getAnonymousCookie().getMaxAge())
          .isEqualTo(Duration.ofDays(30));
      assertThat(config.getWeb().getGuardStatus()).isEqualTo(403);
    }
  }
}
