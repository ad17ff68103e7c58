package dev.flags.micronaut;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.integration.FlagsConfigurationException;
import dev.flags.integration.kit.KitStart;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A bad {@code flags.*} setting stops start-up with flags-integration's error naming the property
 * (the parity kit's SettingsKit checks the same through HTTP applications).
 */
class ConfigurationErrorsTest {

  private static FlagsConfigurationException failure(Map<String, Object> properties) {
    Throwable t =
        KitStart.failure(
            () -> {
              ApplicationContext.run(properties).close();
              throw new AssertionError("the application started; it should have failed");
            });
    return KitStart.configurationError(t);
  }

  @Test
  void theRemovedEndpointWriteSwitchNamesItsReplacement() {
    FlagsConfigurationException e = failure(Map.of("flags.endpoint.write-enabled", "true"));
    assertThat(e.property()).isEqualTo("flags.endpoint.write-enabled");
    assertThat(e.getMessage()).contains("flags.admin.write-enabled");
  }

  @Test
  void moreThanOneRedisAddressNamesBoth() {
    // Issue 12, difference 4: the same rule as Spring (flags-integration decides).
    FlagsConfigurationException e =
        failure(
            Map.of(
                "flags.redis.url", "redis://localhost:6379",
                "flags.redis.cluster.nodes", "c1:7000,c2:7000"));
    assertThat(e.property()).isEqualTo("flags.redis.cluster.nodes");
    assertThat(e.problem()).contains("flags.redis.url");
  }

  @Test
  void anExplicitFlagFileThatDoesNotExistNamesTheProperty() {
    FlagsConfigurationException e = failure(Map.of("flags.file.path", "no-such-dir/flags.json"));
    assertThat(e.property()).isEqualTo("flags.file.path");
    assertThat(e.problem()).isEqualTo("does not exist");
  }

  @Test
  void theAdminApiWithoutSecurityDoesNotStart() {
    FlagsConfigurationException e = failure(Map.of("flags.admin.enabled", "true"));
    assertThat(e.property()).isEqualTo("flags.admin.enabled");
  }
}
