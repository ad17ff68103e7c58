package dev.flags.integration.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.integration.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/settings.md and the configuration metadata are generated from the table of {@link Setting}:
 * these tests fail when a checked-in copy differs. To rewrite both from the table, run
 *
 * <pre>
 * ./mvnw -pl flags-integration -am test -Dtest=SettingsDocsTest -Dsurefire.failIfNoSpecifiedTests=false -Dflags.regenerate=true
 * </pre>
 */
class SettingsDocsTest {

  static final Path SETTINGS_MD = Path.of("../docs/settings.md");
  static final Path METADATA = Path.of("src/main/resources/META-INF/flags/settings-metadata.json");
  private static final boolean REGENERATE = Boolean.getBoolean("flags.regenerate");

  @Test
  void settingsMdHasTheTable() throws IOException {
    String md = Files.readString(SETTINGS_MD);
    int begin = md.indexOf(SettingsTable.BEGIN);
    int end = md.indexOf(SettingsTable.END);
    assertThat(begin).as("docs/settings.md marks its generated table").isNotNegative();
    assertThat(end).isGreaterThan(begin);
    String current = md.substring(begin, end + SettingsTable.END.length() + 1);
    if (REGENERATE && !current.equals(SettingsTable.markdown())) {
      Files.writeString(SETTINGS_MD, md.replace(current, SettingsTable.markdown()));
      return;
    }
    assertThat(current)
        .as("docs/settings.md is generated from Setting; regenerate it (see this test's javadoc)")
        .isEqualTo(SettingsTable.markdown());
  }

  @Test
  void theMetadataIsTheTable() throws IOException {
    if (REGENERATE) {
      Files.createDirectories(METADATA.getParent());
      Files.writeString(METADATA, SettingsTable.springMetadata());
    }
    assertThat(Files.readString(METADATA))
        .as(
            "settings-metadata.json is generated from Setting; regenerate it (see this test's javadoc)")
        .isEqualTo(SettingsTable.springMetadata());
  }
}
