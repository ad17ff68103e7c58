package dev.flags.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Flag;
import dev.flags.core.JsonValue;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlagsSettingsTest {

  @TempDir Path dir;

  static FlagsSettings bind(String... keyValues) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return FlagsSettings.from(SettingsSource.of(m));
  }

  static FlagsConfigurationException error(String... keyValues) {
    try {
      bind(keyValues);
    } catch (FlagsConfigurationException e) {
      return e;
    }
    throw new AssertionError("no error for " + List.of(keyValues));
  }

  @Test
  void defaultsAreTheTablesDefaults() {
    FlagsSettings s = FlagsSettings.defaults();
    assertThat(s.enabled()).isTrue();
    assertThat(s.store()).isEqualTo(StoreKind.PROPERTIES);
    assertThat(s.staticFlags().flags()).isEmpty();
    assertThat(s.failFastTimeout()).isEmpty();
    assertThat(s.file())
        .isEqualTo(new FlagsSettings.File(Optional.empty(), true, Duration.ofSeconds(1)));
    assertThat(s.redis().timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.redis().syncInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.redis().conditionTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.redis().writeTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.redis().adoptRawKeys()).isTrue();
    assertThat(s.redis().warmUpChangePath()).isTrue();
    assertThat(s.redis().restoreOnDataLoss()).isTrue();
    assertThat(s.redis().keyspaceNotifications()).isFalse();
    assertThat(s.redis().verifyHostname()).isFalse();
    assertThat(s.redis().instanceName()).endsWith("-" + ProcessHandle.current().pid());
    assertThat(s.context().header()).isEmpty();
    assertThat(s.context().trustedProxies()).containsExactly("127.0.0.1/32", "::1/128");
    assertThat(s.context().anonymousCookie())
        .isEqualTo(
            new FlagsSettings.AnonymousCookie(
                true, "flags_visitor", Duration.ofDays(365), Optional.empty()));
    assertThat(s.conditionContextKey()).isEqualTo("application");
    assertThat(s.webGuardStatus()).isEqualTo(404);
    assertThat(s.healthFailOnUnavailable()).isFalse();
    assertThat(s.metricsEnabled()).isTrue();
    assertThat(s.admin())
        .isEqualTo(
            new FlagsSettings.Admin(
                false, "/flags/api", false, "FLAGS_VIEWER", "FLAGS_EDITOR", false));
    assertThat(s.warnings()).isEmpty();
  }

  @Test
  void writingEveryDefaultOutChangesNothing() {
    Map<String, String> m = new HashMap<>();
    for (Setting setting : Setting.all()) {
      if (!setting.defaultValue().isEmpty()) {
        m.put(setting.key(), setting.defaultValue());
      }
    }
    assertThat(FlagsSettings.from(SettingsSource.of(m))).isEqualTo(FlagsSettings.defaults());
  }

  @Test
  void storeIsInferredFromWhatIsConfigured() throws IOException {
    Path file = Files.writeString(dir.resolve("flags.json"), "{\"flags\": {}}");
    assertThat(bind("flags.file.path", file.toString()).store()).isEqualTo(StoreKind.FILE);
    assertThat(bind("flags.redis.url", "redis://localhost:6379").store())
        .isEqualTo(StoreKind.REDIS);
    assertThat(
            bind("flags.redis.sentinel.master", "m", "flags.redis.sentinel.nodes", "h:26379")
                .store())
        .isEqualTo(StoreKind.REDIS);
    assertThat(bind("flags.redis.cluster.nodes", "a:7000,b:7000").store())
        .isEqualTo(StoreKind.REDIS);
    assertThat(bind().store()).isEqualTo(StoreKind.PROPERTIES);
    assertThat(bind("flags.store", "Properties", "flags.redis.url", "redis://h:1").store())
        .isEqualTo(StoreKind.PROPERTIES);
  }

  @Test
  void staticValuesReadTheSameWordsEverywhere() {
    FlagsSettings s =
        bind(
            "flags.static.a", "true",
            "flags.static.b", "ON",
            "flags.static.c", "yes",
            "flags.static.d", "False",
            "flags.static.e", "off",
            "flags.static.f", "NO",
            "flags.static.g", "42",
            "flags.static.h", "-0.5",
            "flags.static.i", "007",
            "flags.static.j", "Hello, world",
            "flags.static.checkout.v2", "true");
    Map<String, Flag> f = s.staticFlags().flags();
    assertThat(f.get("a")).isEqualTo(Flag.simple("a", true));
    assertThat(f.get("b")).isEqualTo(Flag.simple("b", true));
    assertThat(f.get("c")).isEqualTo(Flag.simple("c", true));
    assertThat(f.get("d")).isEqualTo(Flag.simple("d", false));
    assertThat(f.get("e")).isEqualTo(Flag.simple("e", false));
    assertThat(f.get("f")).isEqualTo(Flag.simple("f", false));
    assertThat(f.get("g").variations()).containsExactly(JsonValue.of(42));
    assertThat(f.get("h").variations()).containsExactly(new JsonValue.Num(new BigDecimal("-0.5")));
    assertThat(f.get("i").variations()).containsExactly(JsonValue.of("007"));
    assertThat(f.get("j").variations()).containsExactly(JsonValue.of("Hello, world"));
    assertThat(f.get("checkout.v2")).isEqualTo(Flag.simple("checkout.v2", true));
  }

  @Test
  void badStaticEntriesNameTheirProperty() {
    FlagsConfigurationException empty = error("flags.static.x", " ");
    assertThat(empty.property()).isEqualTo("flags.static.x");
    assertThat(empty.problem()).isEqualTo("has no value");
    FlagsConfigurationException badKey = error("flags.static.bad key", "true");
    assertThat(badKey.property()).isEqualTo("flags.static.bad key");
    assertThat(badKey.getMessage()).contains("is not a valid flag");
  }

  @Test
  void badValuesNameThePropertyAndTheValue() {
    assertError(
        error("flags.enabled", "yes please"),
        "flags.enabled",
        "yes please",
        "is not true or false");
    assertError(
        error("flags.file.poll-interval", "soon"),
        "flags.file.poll-interval",
        "soon",
        "is not a duration");
    assertError(
        error("flags.file.poll-interval", "5ms"),
        "flags.file.poll-interval",
        "5ms",
        "must be at least 10ms");
    assertError(error("flags.store", "mongo"), "flags.store", "mongo", "names no store");
    assertError(
        error("flags.web.guard-status", "200"),
        "flags.web.guard-status",
        "200",
        "is not an HTTP error status");
    assertError(
        error("flags.web.guard-status", "four"),
        "flags.web.guard-status",
        "four",
        "is not a whole number");
    assertError(
        error("flags.context.anonymous-cookie.name", "a b"),
        "flags.context.anonymous-cookie.name",
        "a b",
        "is not a valid name: character ' ' at 1");
    assertError(
        error("flags.admin.path", "flags"),
        "flags.admin.path",
        "flags",
        "is not a path of one or more segments");
    assertError(
        error("flags.context.trusted-proxies", "10.0.0.0/8,proxy.internal"),
        "flags.context.trusted-proxies",
        "10.0.0.0/8,proxy.internal",
        "holds proxy.internal, which is not a CIDR");
    assertError(
        error("flags.context.trusted-proxies", "10.0.0.0/33"),
        "flags.context.trusted-proxies",
        "10.0.0.0/33",
        "holds 10.0.0.0/33, which is not a CIDR: \"/33\" is not a prefix length from 0 to 32");
    // An empty value counts as unset: the default, as in a properties file's "key=".
    assertThat(bind("flags.condition.context-key", " ").conditionContextKey())
        .isEqualTo("application");
  }

  @Test
  void anExplicitFilePathMustExist() {
    FlagsConfigurationException e =
        error("flags.file.path", dir.resolve("missing.json").toString());
    assertThat(e.property()).isEqualTo("flags.file.path");
    assertThat(e.problem()).isEqualTo("does not exist");
    assertThat(error("flags.store", "file").problem()).isEqualTo("is required by flags.store=file");
    assertThat(
            bind("flags.file.path", "classpath:dev/flags/integration/kit/kit-flags.json")
                .file()
                .isClasspath())
        .isTrue();
    FlagsConfigurationException resource = error("flags.file.path", "classpath:no/such/flags.json");
    assertThat(resource.property()).isEqualTo("flags.file.path");
    assertThat(resource.problem()).isEqualTo("names a resource that is not on the classpath");
  }

  @Test
  void redisIsReachedOneWayOnly() {
    FlagsConfigurationException e =
        error("flags.redis.url", "redis://h:6379", "flags.redis.cluster.nodes", "a:7000");
    assertThat(e.property()).isEqualTo("flags.redis.cluster.nodes");
    assertThat(e.problem()).contains("flags.redis.url");
    FlagsConfigurationException s =
        error("flags.redis.url", "redis://h:6379", "flags.redis.sentinel.master", "m");
    assertThat(s.property()).isEqualTo("flags.redis.sentinel.master");
    assertThat(s.problem()).contains("flags.redis.url");
  }

  @Test
  void redisCombinationsAreChecked() {
    assertThat(error("flags.store", "redis").property()).isEqualTo("flags.redis.url");
    assertThat(error("flags.redis.sentinel.nodes", "h:1").property())
        .isEqualTo("flags.redis.sentinel.master");
    assertThat(error("flags.redis.sentinel.master", "m").property())
        .isEqualTo("flags.redis.sentinel.nodes");
    assertError(
        error("flags.redis.cluster.nodes", "a:7000,b"),
        "flags.redis.cluster.nodes",
        "a:7000,b",
        "holds \"b\", which is not host:port");
    assertThat(
            error("flags.redis.url", "redis://h:1", "flags.redis.verify-hostname", "true")
                .property())
        .isEqualTo("flags.redis.verify-hostname");
    assertThat(
            bind("flags.redis.url", "rediss://h:1", "flags.redis.verify-hostname", "true")
                .redis()
                .verifyHostname())
        .isTrue();
    assertThat(error("flags.redis.url", "redis://h:1", "flags.redis.username", "app").property())
        .isEqualTo("flags.redis.username");
    assertThat(
            bind("flags.redis.url", "redis://app:pw@h:1", "flags.redis.username", "app")
                .redis()
                .username())
        .contains("app");
    FlagsConfigurationException sentinelUser =
        error(
            "flags.redis.sentinel.master", "m",
            "flags.redis.sentinel.nodes", "h:26379",
            "flags.redis.sentinel.username", "watcher");
    assertThat(sentinelUser.property()).isEqualTo("flags.redis.sentinel.username");
  }

  @Test
  void aBadUrlIsReportedWithoutItsPassword() {
    FlagsConfigurationException e = error("flags.redis.url", "http://user:s3cret@host:6379");
    assertThat(e.property()).isEqualTo("flags.redis.url");
    assertThat(e.value()).isEqualTo("http://****@host:6379");
    assertThat(e.getMessage()).doesNotContain("s3cret");
  }

  @Test
  void secretsAreNeverShown() {
    FlagsSettings s =
        bind(
            "flags.redis.url", "redis://app:url-secret@h:6379",
            "flags.redis.password", "pw-secret",
            "flags.context.anonymous-cookie.secret", "cookie-secret-0123456789");
    assertThat(s.toString())
        .doesNotContain("url-secret", "pw-secret", "cookie-secret")
        .contains("redis://****@h:6379", "password=****", "secret=****");
    FlagsSettings sentinel =
        bind(
            "flags.redis.sentinel.master", "m",
            "flags.redis.sentinel.nodes", "h:26379",
            "flags.redis.sentinel.password", "sentinel-secret");
    assertThat(sentinel.toString()).doesNotContain("sentinel-secret");
    FlagsConfigurationException shortSecret =
        error("flags.context.anonymous-cookie.secret", "short-secret");
    assertThat(shortSecret.property()).isEqualTo("flags.context.anonymous-cookie.secret");
    assertThat(shortSecret.getMessage()).doesNotContain("short-secret");
    assertThat(shortSecret.value()).isEqualTo("****");
  }

  @Test
  void removedKeysNameTheirReplacement() {
    FlagsConfigurationException actuator = error("flags.actuator.write-enabled", "true");
    assertThat(actuator.property()).isEqualTo("flags.actuator.write-enabled");
    assertThat(actuator.problem()).contains("flags.admin.write-enabled replaces it");
    FlagsConfigurationException endpoint = error("flags.endpoint.write-enabled", "false");
    assertThat(endpoint.property()).isEqualTo("flags.endpoint.write-enabled");
    assertThat(endpoint.fix()).contains("flags.admin.write-enabled");
  }

  @Test
  void unknownKeysWarnWithTheClosestKnownKey() {
    FlagsSettings s =
        bind(
            "flags.redis.sync-intervall", "10s",
            "flags.admin.writeEnabled", "true",
            "flags.static.anything.goes", "true",
            "flags.redis.cluster.nodes[0]", "a:7000");
    assertThat(s.warnings())
        .containsExactly(
            "flags.admin.writeEnabled is not a flags setting and is ignored; did you mean"
                + " flags.admin.write-enabled?",
            "flags.redis.sync-intervall is not a flags setting and is ignored; did you mean"
                + " flags.redis.sync-interval?");
  }

  @Test
  void theEntriesOfEveryMapSettingAreKnownNotOnlyThoseOfStatic() {
    // flags-server warned "flags.server.users.alice is not a flags setting" for each of its users.
    FlagsSettings s =
        bind(
            "flags.server.users.alice", "editor:$2a$10$x",
            "flags.server.users.victor", "viewer:$2a$10$y",
            "flags.server.user.bob", "editor:$2a$10$z");
    assertThat(s.warnings())
        .containsExactly(
            "flags.server.user.bob is not a flags setting and is ignored; did you mean"
                + " flags.server.users?");
  }

  @Test
  void listsAreCommaSeparatedOrIndexed() {
    assertThat(bind("flags.redis.cluster.nodes", " a:7000 , b:7001,").redis().clusterNodes())
        .containsExactly("a:7000", "b:7001");
    assertThat(
            bind("flags.redis.cluster.nodes[0]", "a:7000", "flags.redis.cluster.nodes[1]", "b:7001")
                .redis()
                .clusterNodes())
        .containsExactly("a:7000", "b:7001");
  }

  @Test
  void durationsReadEveryUsualForm() {
    assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
    assertThat(Durations.parse("250")).contains(Duration.ofMillis(250));
    assertThat(Durations.parse("30s")).contains(Duration.ofSeconds(30));
    assertThat(Durations.parse("5M")).contains(Duration.ofMinutes(5));
    assertThat(Durations.parse("2h")).contains(Duration.ofHours(2));
    assertThat(Durations.parse("365d")).contains(Duration.ofDays(365));
    assertThat(Durations.parse("10us")).contains(Duration.ofNanos(10_000));
    assertThat(Durations.parse("PT1.5S")).contains(Duration.ofMillis(1500));
    assertThat(Durations.parse("P2D")).contains(Duration.ofDays(2));
    assertThat(Durations.parse("1.5s")).isEmpty();
    assertThat(Durations.parse("5 weeks")).isEmpty();
    assertThat(Durations.format(Duration.ofDays(365))).isEqualTo("365d");
    assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
  }

  @Test
  void guardedRolloutsAreOffByDefaultAndCountRequestsAndLeadWhenOn() {
    assertThat(FlagsSettings.defaults().guardedRollouts())
        .isEqualTo(
            new FlagsSettings.GuardedRollouts(
                false, true, true, Duration.ofSeconds(5), Duration.ofSeconds(10)));
    FlagsSettings on =
        bind(
            "flags.redis.url", "redis://localhost:6379",
            "flags.guarded-rollouts.enabled", "true",
            "flags.guarded-rollouts.controller", "false",
            "flags.guarded-rollouts.check-interval", "250ms",
            "flags.guarded-rollouts.outcome-flush-interval", "1s");
    assertThat(on.guardedRollouts())
        .isEqualTo(
            new FlagsSettings.GuardedRollouts(
                true, true, false, Duration.ofMillis(250), Duration.ofSeconds(1)));
  }

  @Test
  void guardedRolloutsOnAnotherStoreThanRedisFailWithTheReason() throws IOException {
    // Doing nothing would be worse: the team would believe its canary guarded.
    FlagsConfigurationException properties = error("flags.guarded-rollouts.enabled", "true");
    assertError(properties, "flags.guarded-rollouts.enabled", "true", "needs the Redis store");
    assertThat(properties.problem()).contains("the store is properties");
    assertThat(properties.fix()).contains("flags.redis.url");

    Path file = Files.writeString(dir.resolve("flags.json"), "{\"flags\": {}}");
    FlagsConfigurationException onFile =
        error("flags.file.path", file.toString(), "flags.guarded-rollouts.enabled", "true");
    assertThat(onFile.problem()).contains("the store is file");

    // Switched off, the other guarded-rollouts settings are harmless on any store.
    assertThat(
            bind(
                    "flags.guarded-rollouts.enabled",
                    "false",
                    "flags.guarded-rollouts.controller",
                    "false")
                .guardedRollouts()
                .enabled())
        .isFalse();
  }

  @Test
  void guardedRolloutIntervalsLongerThanABucketFailNamingTheProperty() {
    assertError(
        error("flags.guarded-rollouts.check-interval", "30s"),
        "flags.guarded-rollouts.check-interval",
        "30s",
        "must be at most 10s");
    assertError(
        error("flags.guarded-rollouts.outcome-flush-interval", "1m"),
        "flags.guarded-rollouts.outcome-flush-interval",
        "1m",
        "must be at most 10s");
    assertError(
        error("flags.guarded-rollouts.outcome-flush-interval", "1ms"),
        "flags.guarded-rollouts.outcome-flush-interval",
        "1ms",
        "must be at least 10ms");
  }

  @Test
  void adminPathLosesItsTrailingSlash() {
    assertThat(bind("flags.admin.path", "/ops/flags/").admin().path()).isEqualTo("/ops/flags");
  }

  @Test
  void everySettingIsDescribedBySentenceStartingWithAVerbOrWhether() {
    for (Setting s : Setting.all()) {
      String first = s.description().split(" ")[0];
      assertThat(first).as(s.key()).matches("Whether|[A-Z][a-z]+s");
      assertThat(s.description()).as(s.key()).endsWith(".");
    }
  }

  private static void assertError(
      FlagsConfigurationException e, String property, String value, String problem) {
    assertThat(e.property()).isEqualTo(property);
    assertThat(e.value()).isEqualTo(value);
    assertThat(e.problem()).startsWith(problem);
  }
}
