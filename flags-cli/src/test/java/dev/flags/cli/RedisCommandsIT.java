package dev.flags.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.testsupport.RedisServerProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * flagctl against a real redis-server (flags-test-support), through the launcher: every command, a
 * stale write between two shells, watch seeing a raw redis-cli SET, adopt indexing raw keys, and an
 * unreachable Redis.
 *
 * <p>Needs flags-redis's RedisFlagAdmin that returns flags-core's FlagAdmin (branch redis-admin)
 * and the store's adoption of raw keys (branch redis-store); flags-cli's pom leaves this class out
 * of failsafe until both are on main (see RedisStores).
 */
class RedisCommandsIT {

  static RedisServerProcess redis;

  @TempDir Path tmp;
  Shell sh;

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start("--notify-keyspace-events", "K$g");
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void seed() throws Exception {
    redisCli("FLUSHALL");
    sh = new Shell(tmp.resolve("shell")).with("FLAGCTL_REDIS_URL", redis.uri());
    sh.write("seed.json", Fixtures.FLAGS);
    Shell.Result r = sh.run("import", "seed.json", "--yes", "--reason", "seed");
    assertThat(r.code()).as(r.both()).isZero();
  }

  /** Runs redis-cli against the test's server, as an operator would. */
  static String redisCli(String... args) throws IOException, InterruptedException {
    List<String> command =
        new java.util.ArrayList<>(List.of("redis-cli", "-p", Integer.toString(redis.port())));
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("redis-cli is needed (Debian: apt-get install redis-tools)", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out.strip();
  }

  @Test
  void readsAndWritesGoThroughRedisWithTheBannerNamingIt() throws Exception {
    Shell.Result list = sh.run("list");
    assertThat(list.code()).as(list.both()).isZero();
    assertThat(list.out())
        .containsPattern("new_checkout_flow +on +25% md5-percent-compat by tenantId +2 +1")
        .contains("3 flags in ");
    Shell.Result kill = sh.run("kill", "new_checkout_flow", "--reason", "INC-7");
    assertThat(kill.code()).as(kill.both()).isZero();
    assertThat(kill.err())
        .isEqualTo("flagctl: no profile: redis " + redis.uri() + " (from FLAGCTL_REDIS_URL)\n");
    assertThat(kill.out())
        .contains(
            "undo: flagctl on new_checkout_flow   or   flagctl restore new_checkout_flow --to v");
    assertThat(sh.run("get", "new_checkout_flow").out()).contains("on            false");
    Shell.Result restore = sh.run("restore", "new_checkout_flow");
    assertThat(restore.out()).contains("on: false -> true");
    Shell.Result ramp = sh.run("rollout", "new_checkout_flow", "40%");
    assertThat(ramp.out())
        .contains("15% of users", "md5-percent-compat, salt checkout-salt, bucketBy tenantId kept");
    assertThat(sh.run("rollout", "new_checkout_flow", "10%").code()).isEqualTo(Exit.REFUSED);
    assertThat(sh.run("rollout", "new_checkout_flow", "120%").code()).isEqualTo(Exit.INVALID);
    assertThat(sh.run("target", "add", "new_checkout_flow", "carol").out())
        .contains("targets: +carol");
    assertThat(sh.run("explain", "new_checkout_flow", "--user", "carol").out())
        .contains("TARGET_MATCH");
    assertThat(sh.run("audit", "new_checkout_flow").out())
        .contains("alice", "\"INC-7\"", "\"seed\"");
    assertThat(sh.run("stale").out()).contains("new_checkout_flow");
    assertThat(sh.run("export").out()).contains("\"new_checkout_flow\"", "\"beta-testers\"");
    assertThat(sh.run("diff", "seed.json").out()).contains("update  flag  new_checkout_flow");
    assertThat(sh.run("get", "nope").code()).isEqualTo(Exit.NOT_FOUND);
  }

  @Test
  void aStaleWriteFromAnotherShellIsRefusedWithWhoChangedIt() throws Exception {
    Shell bob =
        new Shell(tmp.resolve("bob")).with("FLAGCTL_REDIS_URL", redis.uri()).with("USER", "bob");
    String version =
        sh.run("get", "new_ui_layout")
            .out()
            .lines()
            .findFirst()
            .orElseThrow()
            .replaceAll(".*version ", "");
    assertThat(bob.run("on", "new_ui_layout", "--reason", "launch").code()).isZero();
    Shell.Result stale = sh.run("on", "new_ui_layout", "--if-version", version);
    assertThat(stale.code()).isEqualTo(Exit.CONFLICT);
    assertThat(stale.errorLine())
        .matches(
            "flagctl: flag \"new_ui_layout\" was changed meanwhile: you read version "
                + version
                + ", it is now version \\d+ \\(changed by bob \\d+ s ago: launch\\); review it and"
                + " retry; nothing was written \\(flagctl get new_ui_layout shows it; --force writes"
                + " over it\\)");
  }

  @Test
  void watchSeesARawRedisCliSet() throws Exception {
    try (Watcher w = new Watcher(sh)) {
      assertThat(redisCli("SET", "feature:new_ui_layout", "true")).isEqualTo("OK");
      String raw = w.awaitLine(l -> l.contains("new_ui_layout"));
      assertThat(raw).contains("unknown (raw edit)", "on: false -> true");
      sh.run("kill", "new_ui_layout", "--reason", "again");
      w.awaitLine(l -> l.contains("alice") && l.contains("\"again\""));
    }
  }

  @Test
  void aRawKillSwitchIsRestoredWithItsDefinition() throws Exception {
    assertThat(redisCli("SET", "feature:new_checkout_flow", "false")).isEqualTo("OK");
    assertThat(sh.run("list").out()).containsPattern("new_checkout_flow +off \\(raw\\)");
    Shell.Result r = sh.run("restore", "new_checkout_flow");
    assertThat(r.code()).as(r.both()).isZero();
    assertThat(sh.run("get", "new_checkout_flow").out())
        .contains("rollout true 25%, false 75% (md5-percent-compat, by tenantId)");
  }

  @Test
  void anUnreachableRedisIsExit4InOneLine() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Shell.Result r =
        sh.run(
            "kill", "new_checkout_flow", "--redis", "redis://127.0.0.1:" + port, "--timeout", "1s");
    assertThat(r.code()).isEqualTo(Exit.UNREACHABLE);
    assertThat(r.errorLine())
        .matches(
            "flagctl: Redis \\(standalone 127\\.0\\.0\\.1:"
                + port
                + " prefix feature:\\) cannot be reached: Failed to connect to 127\\.0\\.0\\.1:"
                + port
                + "\\.; cannot read flag new_checkout_flow; check the address and that it is up"
                + " \\(flagctl profile show says where the settings come from\\); nothing was"
                + " written");
    assertThat(r.errorLine().lines()).hasSize(1);
  }
}
