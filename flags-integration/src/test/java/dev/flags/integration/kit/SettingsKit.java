package dev.flags.integration.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.integration.FlagsConfigurationException;
import dev.flags.integration.FlagsSettings;
import dev.flags.integration.Setting;
import dev.flags.integration.SettingsSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings table, through the framework's own configuration: every setting, set to a value
 * other than its default, binds to what the neutral binder makes of the same keys; lists written
 * either way; map entries with dots in their keys; errors name the property.
 */
public abstract class SettingsKit extends KitBase {

  @TempDir Path dir;

  /**
   * Samples that together give every setting a value other than its default; each one starts (the
   * store stays the properties store, so no server is needed).
   */
  protected List<Map<String, String>> samples() throws IOException {
    Path file = Files.writeString(dir.resolve("flags.json"), "{\"flags\": {}}");
    Map<String, String> common = new LinkedHashMap<>();
    common.put("flags.enabled", "true");
    common.put("flags.store", "properties");
    common.put("flags.static.kit_on", "on");
    common.put("flags.static.kit_number", "42");
    common.put("flags.static.kit_text", "Hello, kit");
    common.put("flags.static.kit.dotted", "no");
    common.put("flags.fail-fast-timeout", "9s");
    common.put("flags.file.path", file.toString());
    common.put("flags.file.watch", "false");
    common.put("flags.file.poll-interval", "250ms");
    common.put("flags.redis.url", "rediss://kit-user:kit-url-secret@redis.kit:6380/2");
    common.put("flags.redis.username", "kit-user");
    common.put("flags.redis.password", "kit-secret");
    common.put("flags.redis.ssl", "true");
    common.put("flags.redis.verify-hostname", "true");
    common.put("flags.redis.timeout", "3s");
    common.put("flags.redis.prefix", "kit:");
    common.put("flags.redis.sync-interval", "45s");
    common.put("flags.redis.keyspace-notifications", "true");
    common.put("flags.redis.snapshot-file", dir.resolve("snapshot.json").toString());
    common.put("flags.redis.condition-timeout", "750ms");
    common.put("flags.redis.write-timeout", "4s");
    common.put("flags.redis.adopt-raw-keys", "false");
    common.put("flags.redis.warm-up-change-path", "false");
    common.put("flags.redis.restore-on-data-loss", "false");
    common.put("flags.redis.instance-name", "kit-instance");
    common.put("flags.context.header", "X-Kit-User");
    common.put("flags.context.trusted-proxies", "10.0.0.0/8,192.168.1.7,::1/128");
    common.put("flags.context.anonymous-cookie.enabled", "false");
    common.put("flags.context.anonymous-cookie.name", "kit_visitor");
    common.put("flags.context.anonymous-cookie.max-age", "30d");
    common.put("flags.context.anonymous-cookie.secret", "kit-secret-0123456789abcdef");
    common.put("flags.condition.context-key", "kit-app");
    common.put("flags.web.guard-status", "410");
    common.put("flags.health.fail-on-unavailable", "true");
    common.put("flags.metrics.enabled", "false");
    common.put("flags.admin.enabled", "true");
    common.put("flags.admin.path", "/kit/admin");
    common.put("flags.admin.write-enabled", "true");
    common.put("flags.admin.viewer-role", "FLAGS_VIEWER");
    common.put("flags.admin.editor-role", "FLAGS_EDITOR");
    common.put("flags.admin.insecure-local-development", "true");
    common.put("flags.dashboard.enabled", "true");
    common.put("flags.dashboard.path", "/kit/dashboard");
    common.put("flags.dashboard.environment", "kit");
    common.put("flags.dashboard.csrf-secret", "kit-csrf-secret-0123456789");
    common.put("flags.dashboard.insecure-local-development", "true");
    common.put("flags.ofrep.enabled", "true");
    common.put("flags.ofrep.path", "/kit/ofrep");
    common.put("flags.ofrep.token", "kit-ofrep-token-0123456789");
    common.put("flags.ofrep.role", "FLAGS_VIEWER");
    // Off (true needs the Redis store, and the samples start without a server); the others bind
    // all the same.
    common.put("flags.guarded-rollouts.enabled", "false");
    common.put("flags.guarded-rollouts.request-outcomes", "false");
    common.put("flags.guarded-rollouts.controller", "false");
    common.put("flags.guarded-rollouts.check-interval", "2s");
    common.put("flags.guarded-rollouts.outcome-flush-interval", "5s");
    // flags-server's own: the neutral layer lists them (so they are known keys), binds nothing.
    common.put(
        "flags.server.users.kit-editor",
        "editor:$2a$10$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012");
    common.put("flags.server.oidc.role-claim", "kit_roles");
    common.put("flags.server.oidc.editor-values", "kit-editors,kit-admins");
    common.put("flags.server.oidc.viewer-values", "kit-viewers");

    Map<String, String> sentinel = new LinkedHashMap<>(common);
    sentinel.remove("flags.redis.url");
    sentinel.put("flags.redis.sentinel.master", "kit-master");
    sentinel.put("flags.redis.sentinel.nodes", "s1.kit:26379,s2.kit:26380");
    sentinel.put("flags.redis.sentinel.username", "kit-watcher");
    sentinel.put("flags.redis.sentinel.password", "kit-sentinel-secret");

    Map<String, String> cluster = new LinkedHashMap<>(common);
    cluster.remove("flags.redis.url");
    cluster.put("flags.redis.cluster.nodes[0]", "c1.kit:7000");
    cluster.put("flags.redis.cluster.nodes[1]", "c2.kit:7001");
    return List.of(common, sentinel, cluster);
  }

  @Test
  void theSamplesSetEverySetting() throws IOException {
    Set<String> set = new HashSet<>();
    for (Map<String, String> sample : samples()) {
      sample.keySet().forEach(k -> set.add(k.replaceAll("\\[\\d+]$", "")));
    }
    for (Setting s : Setting.all()) {
      boolean covered =
          s.type() == Setting.Type.MAP
              ? set.stream().anyMatch(k -> k.startsWith(s.key() + "."))
              : set.contains(s.key());
      assertThat(covered).as(s.key()).isTrue();
    }
  }

  @Test
  void everySettingBindsAsTheNeutralBinderBindsIt() throws Exception {
    for (Map<String, String> sample : samples()) {
      FlagsSettings expected = FlagsSettings.from(SettingsSource.of(sample));
      KitApplication app = startForTest(sample);
      assertThat(app.boundSettings()).as(sample.toString()).isEqualTo(expected);
      assertThat(app.boundSettings().staticFlags()).isEqualTo(expected.staticFlags());
    }
  }

  @Test
  void aRemovedSettingFailsStartNamingItsReplacement() {
    FlagsConfigurationException e =
        KitStart.configurationError(
            KitStart.failure(
                () -> start(KitOptions.of(Map.of("flags.actuator.write-enabled", "true")))));
    assertThat(e.property()).isEqualTo("flags.actuator.write-enabled");
    assertThat(e.getMessage()).contains("flags.admin.write-enabled");
  }

  @Test
  void aBadValueFailsStartNamingTheProperty() {
    FlagsConfigurationException e =
        KitStart.configurationError(
            KitStart.failure(() -> start(KitOptions.of(Map.of("flags.redis.timeout", "soon")))));
    assertThat(e.property()).isEqualTo("flags.redis.timeout");
    assertThat(e.value()).isEqualTo("soon");
  }

  @Test
  void aMissingFileFailsStartNamingTheProperty() {
    String missing = dir.resolve("missing.json").toString();
    FlagsConfigurationException e =
        KitStart.configurationError(
            KitStart.failure(() -> start(KitOptions.of(Map.of("flags.file.path", missing)))));
    assertThat(e.property()).isEqualTo("flags.file.path");
    assertThat(e.problem()).isEqualTo("does not exist");
  }

  @Test
  void aSecretIsNeverInTheError() {
    FlagsConfigurationException e =
        KitStart.configurationError(
            KitStart.failure(
                () ->
                    start(
                        KitOptions.of(
                            Map.of("flags.redis.url", "http://kit:kit-url-secret@host:1")))));
    assertThat(e.property()).isEqualTo("flags.redis.url");
    assertThat(e.getMessage()).doesNotContain("kit-url-secret");
  }
}
