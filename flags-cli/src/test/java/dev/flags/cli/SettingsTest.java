package dev.flags.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  @TempDir Path tmp;

  private ConfigFile config(String text) throws Exception {
    Path p = tmp.resolve("config");
    Files.writeString(p, text);
    return ConfigFile.read(p);
  }

  @Test
  void theFirstPlaceNamingAStoreDecidesAndLaterPlacesGiveNoCredentials() throws Exception {
    ConfigFile c =
        config(
            "current-profile = prod\n[prod]\nredis = redis://h:6379\nredis-password = p\nactor = bob\n");
    Settings fromProfile = Settings.resolve(Map.of(), Map.of(), c, Optional.empty());
    assertThat(fromProfile.kind()).isEqualTo(Settings.Kind.REDIS);
    assertThat(fromProfile.get(Key.REDIS_PASSWORD)).hasValue("p");
    assertThat(fromProfile.profile()).hasValue("prod");
    assertThat(fromProfile.banner()).isEqualTo("profile prod: redis redis://h:6379");

    Settings fromEnv =
        Settings.resolve(
            Map.of(), Map.of("FLAGCTL_REDIS_URL", "redis://other:6379"), c, Optional.empty());
    assertThat(fromEnv.get(Key.REDIS)).hasValue("redis://other:6379");
    assertThat(fromEnv.get(Key.REDIS_PASSWORD)).as("never sent to another server").isEmpty();
    assertThat(fromEnv.get(Key.ACTOR)).hasValue("bob");
    assertThat(fromEnv.profile()).isEmpty();
    assertThat(fromEnv.banner())
        .isEqualTo("no profile: redis redis://other:6379 (from FLAGCTL_REDIS_URL)");

    Settings fromOption =
        Settings.resolve(
            Map.of(Key.FILE, "f.json", Key.PREFIX, "x:"),
            Map.of("FLAGCTL_REDIS_URL", "redis://other:6379", "FLAGCTL_TIMEOUT", "3s"),
            c,
            Optional.empty());
    assertThat(fromOption.kind()).isEqualTo(Settings.Kind.FILE);
    assertThat(fromOption.get(Key.TIMEOUT)).hasValue("3s");
    assertThat(fromOption.sources().get(Key.TIMEOUT)).isEqualTo("FLAGCTL_TIMEOUT");
    assertThat(fromOption.sources().get(Key.PREFIX)).isEqualTo("--prefix");
  }

  @Test
  void aRelativeFileInAProfileIsRelativeToTheConfigFile() throws Exception {
    ConfigFile c = config("[local]\nfile = flags/dev.json\n");
    assertThat(c.profiles().get("local").get(Key.FILE))
        .isEqualTo(tmp.resolve("flags/dev.json").toString());
  }

  @Test
  void badConfigLinesNameTheLine() throws Exception {
    assertThatThrownBy(() -> config("redis = x\n"))
        .hasMessageEndingWith(
            ":1: \"redis\" outside a profile: only current-profile goes before the first [name]");
    assertThatThrownBy(() -> config("[a b]\n"))
        .hasMessageEndingWith(
            ":1: profile name \"a b\": use 1 to 64 letters, digits, '.', '_' or '-'");
    assertThatThrownBy(() -> config("[a]\n[a]\n"))
        .hasMessageEndingWith(":2: profile a is defined twice; remove one");
    assertThatThrownBy(() -> config("[a]\njust text\n"))
        .hasMessageEndingWith(":2: expected name = value; fix the line");
  }

  @Test
  void useRewritesOnlyTheCurrentProfileLine() throws Exception {
    ConfigFile c = config("# mine\n[a]\nfile = x\n\n[b]\nfile = y\n");
    c.writeCurrent("b");
    assertThat(Files.readString(tmp.resolve("config")))
        .isEqualTo("current-profile = b\n# mine\n[a]\nfile = x\n\n[b]\nfile = y\n");
    ConfigFile.read(tmp.resolve("config")).writeCurrent("a");
    assertThat(Files.readString(tmp.resolve("config"))).startsWith("current-profile = a\n# mine\n");
  }

  @Test
  void urlsAreMaskedWhateverThePasswordHoldsAndSecretsAlways() {
    assertThat(Mask.url("redis://user:p@ss/w#rd@host:6379/0"))
        .isEqualTo("redis://user:****@host:6379/0");
    assertThat(Mask.url("rediss://secret@host")).isEqualTo("rediss://****@host");
    assertThat(Mask.url("https://app/flags/api")).isEqualTo("https://app/flags/api");
    assertThat(Mask.value(Key.TOKEN, "abc")).isEqualTo("****");
  }

  @Test
  void environmentVariablesAreNamedAfterTheSettings() {
    assertThat(Key.REDIS.env()).isEqualTo("FLAGCTL_REDIS_URL");
    assertThat(Key.SENTINEL_NODES.env()).isEqualTo("FLAGCTL_SENTINEL_NODES");
    assertThat(Key.SERVER_PASSWORD.env()).isEqualTo("FLAGCTL_SERVER_PASSWORD");
    assertThat(Key.TOKEN.option()).as("secrets have no command-line option").isEmpty();
  }
}
