package dev.flags.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Profiles, environment variables and options, as kubectl contexts work; secrets never shown. */
class ProfilesIT {

  @TempDir Path tmp;
  Shell sh;
  Path config;

  @BeforeEach
  void setUp() throws Exception {
    sh = new Shell(tmp.resolve("shell"));
    sh.write("staging/flags.json", Fixtures.FLAGS);
    sh.write(
        "prod/flags.json",
        Fixtures.FLAGS.replace("\"new_ui_layout\": false", "\"new_ui_layout\": true"));
    config = Path.of(sh.env.get("FLAGCTL_CONFIG"));
    Files.createDirectories(config.getParent());
    Files.writeString(
        config,
        "# flagctl profiles\n"
            + "current-profile = staging\n\n"
            + "[staging]\n"
            + "file = "
            + sh.dir.resolve("staging/flags.json")
            + "\n"
            + "actor = staging-bot\n\n"
            + "[prod]\n"
            + "file = "
            + sh.dir.resolve("prod/flags.json")
            + "\n\n"
            + "[prod-redis]\n"
            + "redis = redis://flagctl:s3cr3t-in-url@10.0.0.5:6379\n"
            + "redis-password = s3cr3t-password\n"
            + "prefix = flags:\n\n"
            + "[app]\n"
            + "server = https://app.example/flags/api\n"
            + "token = s3cr3t-token\n");
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void theCurrentProfileIsUsedAndPrintedOnEveryWrite() throws Exception {
    Shell.Result r = sh.run("kill", "new_checkout_flow");
    assertThat(r.code()).as(r.both()).isZero();
    assertThat(r.err())
        .isEqualTo("flagctl: profile staging: file " + sh.dir.resolve("staging/flags.json") + "\n");
    assertThat(sh.run("audit").out()).contains("staging-bot");
    Shell.Result read = sh.run("get", "new_ui_layout");
    assertThat(read.err()).isEmpty();
  }

  @Test
  void profileOptionEnvironmentAndUseChooseTheProfile() throws Exception {
    assertThat(sh.run("get", "new_ui_layout", "--profile", "prod").out())
        .contains("on            true");
    assertThat(sh.with("FLAGCTL_PROFILE", "prod").run("get", "new_ui_layout").out())
        .contains("on            true");
    sh.without("FLAGCTL_PROFILE");
    Shell.Result use = sh.run("profile", "use", "prod");
    assertThat(use.code()).as(use.both()).isZero();
    assertThat(use.out())
        .isEqualTo("current profile: prod (file " + sh.dir.resolve("prod/flags.json") + ")\n");
    assertThat(Files.readString(config)).startsWith("# flagctl profiles\ncurrent-profile = prod\n");
    assertThat(Files.getPosixFilePermissions(config))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    Shell.Result list = sh.run("profile", "list");
    assertThat(list.out())
        .containsPattern("\\* +prod +file ")
        .containsPattern("\n +staging +file ")
        .containsPattern("prod-redis +redis redis://flagctl:\\*\\*\\*\\*@10.0.0.5:6379");
  }

  @Test
  void optionsAndEnvironmentNameAnotherStoreThanTheProfile() throws Exception {
    sh.write("other.json", "{\"flags\": {\"only_here\": true}}");
    Shell.Result opt = sh.run("list", "--file", "other.json");
    assertThat(opt.out()).contains("only_here").doesNotContain("new_checkout_flow");
    Shell.Result env =
        sh.with("FLAGCTL_FILE", sh.dir.resolve("other.json").toString()).run("kill", "only_here");
    assertThat(env.err())
        .isEqualTo(
            "flagctl: no profile: file " + sh.dir.resolve("other.json") + " (from FLAGCTL_FILE)\n");
    // The profile's actor still applies; its store does not.
    assertThat(sh.run("audit").out()).contains("staging-bot");
  }

  @Test
  void secretsAreNeverPrinted() throws Exception {
    Shell.Result show = sh.run("profile", "show", "prod-redis");
    assertThat(show.code()).as(show.both()).isZero();
    assertThat(show.out())
        .contains("redis-password  ****")
        .contains("redis://flagctl:****@10.0.0.5:6379")
        .doesNotContain("s3cr3t");
    Shell.Result active = sh.run("profile", "show", "--profile", "app", "--json");
    assertThat(active.out()).contains("\"token\"", "\"****\"").doesNotContain("s3cr3t");
    Shell.Result list = sh.run("profile", "list", "--json");
    assertThat(list.out()).doesNotContain("s3cr3t");
    // A write to an unreachable server names the store without its secrets either.
    Shell.Result write =
        sh.run("kill", "x", "--server", "http://127.0.0.1:9/flags/api", "--timeout", "2s");
    assertThat(write.code()).isEqualTo(Exit.UNREACHABLE);
    assertThat(write.err()).doesNotContain("s3cr3t");
  }

  @Test
  void profileShowSaysWhereEachSettingComesFrom() throws Exception {
    Shell.Result r = sh.with("FLAGCTL_TIMEOUT", "3s").run("profile", "show", "--prefix", "x:");
    assertThat(r.out())
        .startsWith("profile staging: file ")
        .containsPattern("actor +staging-bot +profile staging")
        .containsPattern("timeout +3s +FLAGCTL_TIMEOUT")
        .containsPattern("prefix +x: +--prefix");
  }

  @Test
  void aMissingProfileOrTwoStoresAreInvalidInput() throws Exception {
    Shell.Result missing = sh.run("list", "--profile", "prdo");
    assertThat(missing.code()).isEqualTo(Exit.INVALID);
    assertThat(missing.err())
        .isEqualTo(
            "flagctl: no profile \"prdo\" (from --profile) in "
                + config
                + " (did you mean \"prod\"?); flagctl profile list shows the profiles\n");
    Shell.Result two = sh.run("list", "--file", "a.json", "--redis", "redis://localhost:1");
    assertThat(two.code()).isEqualTo(Exit.INVALID);
    assertThat(two.err())
        .isEqualTo("flagctl: give one store, not --file and --redis: they name different stores\n");
    assertThat(sh.run("profile", "use", "nope").code()).isEqualTo(Exit.NOT_FOUND);
    Files.writeString(config, "[prod]\nrdis = redis://x\n");
    Shell.Result typo = sh.run("list");
    assertThat(typo.code()).isEqualTo(Exit.INVALID);
    assertThat(typo.err())
        .isEqualTo(
            "flagctl: "
                + config
                + ":2: unknown setting \"rdis\" in profile prod (did you mean \"redis\"?)\n");
  }

  @Test
  void noStoreAtAllSaysHowToNameOne() throws Exception {
    Files.delete(config);
    Shell.Result r = sh.run("list");
    assertThat(r.code()).isEqualTo(Exit.INVALID);
    assertThat(r.err())
        .isEqualTo(
            "flagctl: no store given: name one with --file, --redis, --sentinel-master, --cluster"
                + " or --server (or FLAGCTL_FILE, FLAGCTL_REDIS_URL, FLAGCTL_SERVER…), or choose a"
                + " profile with --profile; docs/flagctl.md says how\n");
    assertThat(sh.run("profile", "list").out()).contains("no profiles in " + config);
  }

  @Test
  void aProfilesFileOthersCanReadWithSecretsIsWarnedAbout() throws Exception {
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
    Shell.Result r = sh.run("get", "new_ui_layout");
    assertThat(r.code()).isZero();
    assertThat(r.err())
        .isEqualTo(
            "flagctl: warning: "
                + config
                + " holds secrets and other users can read it; run chmod 600 "
                + config
                + "\n");
  }
}
