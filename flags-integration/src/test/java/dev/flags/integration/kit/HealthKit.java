package dev.flags.integration.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.JsonValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flags' health in the framework's own health output: the same UP/DOWN rule and the same
 * details (HealthReport) in every framework, and the same as the admin API's {@code /status}.
 */
public abstract class HealthKit extends KitBase {

  /** The details, in order. */
  public static final List<String> DETAILS =
      List.of("status", "detail", "initialized", "store", "flags", "malformed", "pastKillDate");

  @TempDir Path dir;

  @Test
  void aHealthyStoreIsUpWithTheFixedDetails() throws Exception {
    KitApplication app =
        startForTest(
            Map.of(
                "flags.static.a", "true",
                "flags.static.b", "off",
                "flags.admin.enabled", "true"));
    KitHealth health = app.health();
    assertThat(health.up()).isTrue();
    assertThat(health.details().members().keySet()).containsExactlyElementsOf(DETAILS);
    assertThat(detail(health, "status")).isEqualTo(JsonValue.of("OK"));
    assertThat(detail(health, "initialized")).isEqualTo(JsonValue.TRUE);
    assertThat(detail(health, "store"))
        .isEqualTo(JsonValue.of("properties (flags.static.*, in memory)"));
    assertThat(Kit.number(detail(health, "flags"))).isEqualByComparingTo("2");
    assertThat(Kit.number(detail(health, "malformed"))).isEqualByComparingTo("0");
    assertThat(Kit.number(detail(health, "pastKillDate"))).isEqualByComparingTo("0");
    KitResponse status = KitBase.get(app, KitUser.VIEWER, "/status");
    assertThat(status.at("details")).isEqualTo(health.details());
  }

  @Test
  void flagsPastTheirKillDateAreCounted() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(
        file,
        "{\"flags\": {\"old\": {\"variations\": [false, true], \"killDate\": \"2020-01-01T00:00:00Z\"},"
            + " \"new\": true}}");
    KitApplication app =
        startForTest(Map.of("flags.file.path", file.toString(), "flags.fail-fast-timeout", "10s"));
    KitHealth health = app.health();
    assertThat(health.up()).isTrue();
    assertThat(Kit.number(detail(health, "pastKillDate"))).isEqualByComparingTo("1");
    assertThat(detail(health, "store")).isEqualTo(JsonValue.of("file " + file));
  }

  @Test
  void anUnavailableStoreIsUpByDefault() throws Exception {
    KitApplication app = startForTest(Map.of("flags.file.path", broken().toString()));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> detail(app.health(), "status").equals(JsonValue.of("UNAVAILABLE")));
    KitHealth health = app.health();
    assertThat(health.up()).isTrue();
    assertThat(Kit.text(detail(health, "detail"))).contains("flags.json");
    assertThat(detail(health, "initialized")).isEqualTo(JsonValue.FALSE);
  }

  @Test
  void anUnavailableStoreIsDownWhenAskedTo() throws Exception {
    KitApplication app =
        startForTest(
            Map.of(
                "flags.file.path",
                broken().toString(),
                "flags.health.fail-on-unavailable",
                "true"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> detail(app.health(), "status").equals(JsonValue.of("UNAVAILABLE")));
    assertThat(app.health().up()).isFalse();
  }

  @Test
  void aStaleStoreStaysUpEvenWhenAskedToFail() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, "{\"flags\": {\"a\": true}}");
    KitApplication app =
        startForTest(
            Map.of(
                "flags.file.path", file.toString(),
                "flags.file.poll-interval", "50ms",
                "flags.health.fail-on-unavailable", "true",
                "flags.fail-fast-timeout", "10s"));
    assertThat(detail(app.health(), "status")).isEqualTo(JsonValue.of("OK"));
    Files.writeString(file, "{\"flags\": {\"a\": tru");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> detail(app.health(), "status").equals(JsonValue.of("STALE")));
    KitHealth health = app.health();
    assertThat(health.up()).isTrue();
    assertThat(Kit.number(detail(health, "flags"))).isEqualByComparingTo("1");
  }

  private Path broken() throws IOException {
    return Files.writeString(dir.resolve("flags.json"), "{\"flags\": ");
  }

  private static JsonValue detail(KitHealth health, String name) {
    return KitApplication.detail(health, name);
  }
}
