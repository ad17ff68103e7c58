package dev.flags.integration.jdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import dev.flags.core.JsonValue;
import dev.flags.core.admin.Change;
import dev.flags.core.json.FlagCodec;
import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.FlagsSettings;
import dev.flags.integration.SettingsSource;
import dev.flags.integration.kit.Kit;
import dev.flags.integration.kit.KitOptions;
import dev.flags.testsupport.RedisServerProcess;
import dev.openfeature.contrib.providers.ofrep.OfrepProvider;
import dev.openfeature.contrib.providers.ofrep.OfrepProviderOptions;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Clients nobody here wrote evaluate our flags through OFREP and get the Java client's answers:
 * OpenFeature's JavaScript server SDK with {@code @openfeature/ofrep-provider} (run by Node, from
 * {@code src/test/node}) and OpenFeature's Java SDK with its OFREP provider ({@code
 * dev.openfeature.contrib.providers:ofrep}), for 1,000 users: the same canary users of a 25%
 * rollout, the same string and number values, and a kill switch thrown through {@link
 * dev.flags.core.admin.FlagAdmin} that all of them see within the store's poll interval.
 *
 * <p>Three processes' worth of parts share one real redis-server: a writer (an operator's {@code
 * FlagAdmin}), our Java client (another service), and the OFREP server (the JDK kit server with
 * OFREP on).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfrepClientsTest {

  private static final int USERS = 1000;
  private static final String TOKEN = "ofrep-clients-token-0123456789";

  /** flags.redis.sync-interval of every client: the longest a missed change goes unseen. */
  private static final Duration POLL_INTERVAL = Duration.ofSeconds(2);

  private static final Path NODE_SOURCES = Path.of("src/test/node");
  private static final Path NODE_DIR = Path.of("target/ofrep-node");

  private RedisServerProcess redis;
  private FlagsRuntime writer;
  private FlagsRuntime javaClient;
  private JdkKitApplication server;
  private Client ofrepJava;

  @BeforeAll
  void start() throws Exception {
    redis = RedisServerProcess.start();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("flags.redis.url", redis.uri());
    settings.put("flags.redis.sync-interval", POLL_INTERVAL.toMillis() + "ms");
    writer = FlagsRuntime.builder(FlagsSettings.from(SettingsSource.of(settings))).build();
    FlagCodec codec = FlagCodec.standard();
    Change change = Change.by("ofrep-clients-test");
    writer.admin().create(codec.decodeFlag("new_checkout", CANARY), change);
    writer.admin().create(codec.decodeFlag("theme", THEME), change);
    writer.admin().create(codec.decodeFlag("max_items", MAX_ITEMS), change);
    writer.admin().create(codec.decodeFlag("discount", DISCOUNT), change);

    javaClient = FlagsRuntime.builder(FlagsSettings.from(SettingsSource.of(settings))).build();
    Map<String, String> serverSettings = new LinkedHashMap<>(settings);
    serverSettings.put("flags.ofrep.enabled", "true");
    serverSettings.put("flags.ofrep.token", TOKEN);
    server = JdkKitApplication.start(KitOptions.of(serverSettings).withoutSecurity());

    OfrepProvider provider =
        OfrepProvider.constructProvider(
            OfrepProviderOptions.builder()
                .baseUrl(server.baseUri().toString())
                .headers(ImmutableMap.of("Authorization", ImmutableList.of("Bearer " + TOKEN)))
                .build());
    OpenFeatureAPI.getInstance().setProviderAndWait("ofrep-clients-test", provider);
    ofrepJava = OpenFeatureAPI.getInstance().getClient("ofrep-clients-test");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> javaClient.flags().flag("discount").isPresent());
  }

  @AfterAll
  void stop() {
    OpenFeatureAPI.getInstance().shutdown();
    if (server != null) {
      server.close();
    }
    if (javaClient != null) {
      javaClient.close();
    }
    if (writer != null) {
      writer.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  // ---------------------------------------------------------------- the flags

  private static final String CANARY =
      """
      {"on": true, "variations": [false, true],
       "fallthrough": {"rollout": {"weights": [
         {"variation": 1, "weight": 25000}, {"variation": 0, "weight": 75000}]}}}
      """;

  private static final String THEME =
      """
      {"on": true, "variations": ["blue", "green", "gold"],
       "rules": [{"id": "pro", "clauses": [{"attribute": "plan", "op": "in", "values": ["pro"]}],
                  "variation": 2}],
       "fallthrough": {"rollout": {"weights": [
         {"variation": 0, "weight": 50000}, {"variation": 1, "weight": 50000}]}}}
      """;

  private static final String MAX_ITEMS =
      """
      {"on": true, "variations": [10, 50],
       "rules": [{"clauses": [{"attribute": "seats", "op": "gt", "values": [500]}], "variation": 1}],
       "fallthrough": {"variation": 0}}
      """;

  private static final String DISCOUNT =
      """
      {"on": true, "variations": [0.1, 0.25],
       "fallthrough": {"rollout": {"weights": [
         {"variation": 0, "weight": 90000}, {"variation": 1, "weight": 10000}]}}}
      """;

  /** User i as our Java client sees it; the Node script and the Java provider send the same. */
  private static EvaluationContext user(int i) {
    return EvaluationContext.builder("user-" + i)
        .set("plan", i % 3 == 0 ? "pro" : "free")
        .set("seats", i)
        .build();
  }

  private static MutableContext openFeatureUser(int i) {
    MutableContext c = new MutableContext("user-" + i);
    c.add("plan", i % 3 == 0 ? "pro" : "free");
    c.add("seats", i);
    return c;
  }

  private static <T> List<T> forUsers(IntFunction<T> f) {
    List<T> out = new ArrayList<>(USERS);
    for (int i = 0; i < USERS; i++) {
      out.add(f.apply(i));
    }
    return out;
  }

  // ---------------------------------------------------------------- tests

  @Test
  void theJavaOfrepProviderGetsTheJavaClientsAnswers() {
    Flags flags = javaClient.flags();
    List<Boolean> canaries = forUsers(i -> flags.getBoolean("new_checkout", user(i), false));
    assertThat(canaries.stream().filter(b -> b).count())
        .as("a 25%% rollout of 1,000 users")
        .isBetween(200L, 300L);
    assertThat(forUsers(i -> booleanDetails("new_checkout", i))).isEqualTo(canaries);
    assertThat(forUsers(i -> ofrepJava.getStringValue("theme", "none", openFeatureUser(i))))
        .isEqualTo(forUsers(i -> flags.getString("theme", user(i), "none")));
    assertThat(forUsers(i -> ofrepJava.getIntegerValue("max_items", -1, openFeatureUser(i))))
        .isEqualTo(forUsers(i -> flags.getInt("max_items", user(i), -1)));
    assertThat(forUsers(i -> ofrepJava.getDoubleValue("discount", -1.0, openFeatureUser(i))))
        .isEqualTo(forUsers(i -> flags.getDouble("discount", user(i), -1.0)));
  }

  private boolean booleanDetails(String flag, int i) {
    FlagEvaluationDetails<Boolean> d = ofrepJava.getBooleanDetails(flag, false, openFeatureUser(i));
    assertThat(d.getErrorCode()).as(d.toString()).isNull();
    assertThat(d.getReason()).isEqualTo("SPLIT");
    return d.getValue();
  }

  /**
   * Regression: OpenFeature's Java provider reads {@code metadata} from every answer and failed
   * (NullPointerException, reported as GENERAL) on an error answer without it.
   */
  @Test
  void theJavaOfrepProviderSeesOurErrorCodesBecauseEveryAnswerHasMetadata() {
    FlagEvaluationDetails<Boolean> missing =
        ofrepJava.getBooleanDetails("no_such_flag", true, openFeatureUser(1));
    assertThat(missing.getValue()).isTrue();
    assertThat(missing.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    FlagEvaluationDetails<Boolean> noKey =
        ofrepJava.getBooleanDetails("new_checkout", true, new MutableContext());
    assertThat(noKey.getErrorCode()).as(noKey.toString()).isEqualTo(ErrorCode.INVALID_CONTEXT);
  }

  @Test
  void theNodeOfrepProviderGetsTheJavaClientsAnswers() throws Exception {
    Flags flags = javaClient.flags();
    JsonValue node = runNode();
    assertThat(Kit.at(node, "errors")).isEqualTo(new JsonValue.Arr(List.of()));
    assertThat(Kit.at(node, "values.new_checkout"))
        .isEqualTo(JsonValue.from(forUsers(i -> flags.getBoolean("new_checkout", user(i), false))));
    assertThat(Kit.at(node, "values.theme"))
        .isEqualTo(JsonValue.from(forUsers(i -> flags.getString("theme", user(i), "none"))));
    assertThat(Kit.at(node, "values.max_items"))
        .isEqualTo(JsonValue.from(forUsers(i -> flags.getInt("max_items", user(i), -1))));
    assertThat(Kit.at(node, "values.discount"))
        .isEqualTo(
            JsonValue.from(forUsers(i -> flags.getJson("discount", user(i), JsonValue.NULL))));
  }

  @Test
  void aKillSwitchIsSeenByEveryClientWithinThePollInterval() throws Exception {
    writer.admin().create(FlagCodec.standard().decodeFlag("kill_me", CANARY), Change.by("test"));
    await()
        .atMost(POLL_INTERVAL.plusSeconds(5))
        .until(() -> javaClient.flags().flag("kill_me").isPresent());
    // The time it takes a change to reach each client is measured on one canary user (one request
    // per poll); then every user's answer is checked, however long 1,000 requests take.
    int canary =
        forUsers(i -> i).stream()
            .filter(i -> javaClient.flags().getBoolean("kill_me", user(i), false))
            .findFirst()
            .orElseThrow();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ofrepJava.getBooleanValue("kill_me", false, openFeatureUser(canary)));

    writer.admin().setOn("kill_me", false, Change.by("on-call").because("INC-1"));
    long killed = System.nanoTime();
    await()
        .atMost(POLL_INTERVAL)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !javaClient.flags().getBoolean("kill_me", user(canary), true));
    await()
        .atMost(POLL_INTERVAL)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !ofrepJava.getBooleanValue("kill_me", true, openFeatureUser(canary)));
    assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(POLL_INTERVAL);
    assertThat(forUsers(i -> javaClient.flags().getBoolean("kill_me", user(i), true)))
        .containsOnly(false);
    assertThat(forUsers(i -> ofrepJava.getBooleanValue("kill_me", true, openFeatureUser(i))))
        .containsOnly(false);
    // Node's provider has no cache: every evaluation asks the server, which has seen the kill.
    JsonValue node = runNode("kill_me");
    assertThat(Kit.at(node, "values.kill_me")).isEqualTo(JsonValue.from(forUsers(i -> false)));
  }

  // ---------------------------------------------------------------- Node

  private JsonValue runNode(String... onlyBoolean) throws Exception {
    installNodePackages();
    List<Object> flagList = new ArrayList<>();
    if (onlyBoolean.length > 0) {
      for (String f : onlyBoolean) {
        flagList.add(Map.of("key", f, "type", "boolean", "default", true));
      }
    } else {
      flagList.add(Map.of("key", "new_checkout", "type", "boolean", "default", false));
      flagList.add(Map.of("key", "theme", "type", "string", "default", "none"));
      flagList.add(Map.of("key", "max_items", "type", "number", "default", -1));
      flagList.add(Map.of("key", "discount", "type", "number", "default", -1));
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("baseUrl", server.baseUri().toString());
    config.put("token", TOKEN);
    config.put("users", USERS);
    config.put("flags", flagList);
    String out =
        run(
            NODE_DIR,
            Duration.ofMinutes(2),
            "node",
            "ofrep-client.mjs",
            FlagCodec.standard().write(JsonValue.from(config)));
    return FlagCodec.standard().parse(out.strip());
  }

  /** {@code npm ci} in target/ofrep-node, from npm's cache when it has the packages. */
  private static synchronized void installNodePackages() throws Exception {
    for (String tool : List.of("node", "npm")) {
      try {
        run(Path.of("."), Duration.ofSeconds(30), tool, "--version");
      } catch (IOException e) {
        throw new AssertionError(
            tool
                + " is not installed: OfrepClientsTest runs OpenFeature's JavaScript SDK with"
                + " Node. Install it with: apt-get install -y nodejs npm (.ci/run does)",
            e);
      }
    }
    if (Files.isDirectory(NODE_DIR.resolve("node_modules/@openfeature/ofrep-provider"))
        && Files.mismatch(
                NODE_SOURCES.resolve("package-lock.json"), NODE_DIR.resolve("package-lock.json"))
            == -1) {
      copy("ofrep-client.mjs");
      return;
    }
    Files.createDirectories(NODE_DIR);
    copy("package.json");
    copy("package-lock.json");
    copy("ofrep-client.mjs");
    run(
        NODE_DIR,
        Duration.ofMinutes(5),
        "npm",
        "ci",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts");
  }

  private static void copy(String name) throws IOException {
    Files.copy(
        NODE_SOURCES.resolve(name), NODE_DIR.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  /** Runs a command; its standard output, or an AssertionError with everything it said. */
  private static String run(Path dir, Duration timeout, String... command) throws Exception {
    Path err = Files.createTempFile("ofrep-node", ".err");
    Path out = Files.createTempFile("ofrep-node", ".out");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(
            String.join(" ", command.length > 2 ? List.of(command).subList(0, 2) : List.of(command))
                + " took longer than "
                + timeout);
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new AssertionError(
            command[0]
                + " "
                + command[1]
                + " exited with "
                + p.exitValue()
                + ":\n"
                + stdout
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      return stdout;
    } finally {
      Files.deleteIfExists(err);
      Files.deleteIfExists(out);
    }
  }
}
