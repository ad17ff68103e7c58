package dev.flags.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.integration.kit.SettingsTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The IDE completion of {@code flags.*} keys is the table of settings: the starter ships {@code
 * META-INF/additional-spring-configuration-metadata.json} as flags-integration generates it (the
 * configuration processor merges it into {@code spring-configuration-metadata.json}). To refresh
 * it, copy {@code flags-integration/src/main/resources/META-INF/flags/settings-metadata.json}.
 */
class ConfigurationMetadataTest {

  @Test
  void theShippedMetadataIsTheTableOfSettings() throws IOException {
    assertThat(read("META-INF/additional-spring-configuration-metadata.json"))
        .as("copy flags-integration's META-INF/flags/settings-metadata.json here")
        .isEqualTo(SettingsTable.springMetadata());
  }

  @Test
  void everySettingIsInTheMetadataIdesRead() throws IOException {
    String merged = read("META-INF/spring-configuration-metadata.json");
    dev.flags.integration.Setting.all()
        .forEach(s -> assertThat(merged).contains("\"name\": \"" + s.key() + "\""));
  }

  private static String read(String resource) throws IOException {
    try (InputStream in =
        ConfigurationMetadataTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
