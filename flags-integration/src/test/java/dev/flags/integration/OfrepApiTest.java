package dev.flags.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flags.core.JsonValue;
import dev.flags.core.json.FlagCodec;
import dev.flags.core.spi.StoreSnapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The OFREP handler in-process: what the parity kit (OfrepKit) cannot reach over loopback HTTP — a
 * store that has not loaded, a malformed stored flag, the token in logs, bodies too large — and the
 * settings' checks.
 */
class OfrepApiTest {

  private static final String TOKEN = "unit-ofrep-token-0123456789";
  private static final String BODY = "{\"context\": {\"targetingKey\": \"u\"}}";

  private FlagsRuntime runtime;

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.close();
    }
  }

  private static Map<String, String> settings(String... keyValues) {
    Map<String, String> m = new HashMap<>();
    m.put("flags.ofrep.enabled", "true");
    m.put("flags.ofrep.token", TOKEN);
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  private OfrepApi api(FlagsRuntime.Builder builder) {
    runtime = builder.build();
    return OfrepApi.builder(runtime).securityAvailable(false).build();
  }

  private static FlagsHttpResponse post(OfrepApi api, String path, String body, String... headers) {
    Map<String, List<String>> h = new HashMap<>();
    h.put("Authorization", List.of("Bearer " + TOKEN));
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], List.of(headers[i + 1]));
    }
    return api.handle(
        new FlagsHttpRequest("POST", path, Map.of(), h, body, Optional.empty(), "127.0.0.1"));
  }

  private static JsonValue member(FlagsHttpResponse r, String name) {
    return ((JsonValue.Obj) FlagCodec.standard().parse(r.body())).members().get(name);
  }

  @Test
  void aStoreThatHasNotLoadedIsUnavailableNotAnError() {
    ControlledStore store = new ControlledStore();
    OfrepApi api =
        api(FlagsRuntime.builder(FlagsSettings.from(SettingsSource.of(settings()))).store(store));
    FlagsHttpResponse single = post(api, "/v1/evaluate/flags/anything", BODY);
    assertThat(single.status()).as(single.body()).isEqualTo(503);
    assertThat(single.header("Retry-After")).contains("1");
    assertThat(member(single, "errorCode")).isEqualTo(JsonValue.of("GENERAL"));
    FlagsHttpResponse bulk = post(api, "/v1/evaluate/flags", BODY);
    assertThat(bulk.status()).as(bulk.body()).isEqualTo(503);
    store.load(StoreSnapshot.EMPTY);
    assertThat(post(api, "/v1/evaluate/flags", BODY).status()).isEqualTo(200);
  }

  @Test
  void aMalformedStoredFlagIsAParseError() {
    ControlledStore store = new ControlledStore();
    OfrepApi api =
        api(FlagsRuntime.builder(FlagsSettings.from(SettingsSource.of(settings()))).store(store));
    store.load(StoreSnapshot.EMPTY);
    store.malformed("broken", "offVariation: no variation 9");
    FlagsHttpResponse r = post(api, "/v1/evaluate/flags/broken", BODY);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(member(r, "errorCode")).isEqualTo(JsonValue.of("PARSE_ERROR"));
    assertThat(member(r, "key")).isEqualTo(JsonValue.of("broken"));
  }

  @Test
  void theTokenIsNeverLoggedNorEchoed() {
    OfrepApi api =
        api(
            FlagsRuntime.builder(
                FlagsSettings.from(SettingsSource.of(settings("flags.static.on", "true")))));
    try (LogCapture log = LogCapture.of(OfrepApi.class)) {
      FlagsHttpResponse wrong =
          post(api, "/v1/evaluate/flags/on", BODY, "Authorization", "Bearer " + TOKEN + "-not");
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.body()).doesNotContain(TOKEN);
      assertThat(post(api, "/v1/evaluate/flags/on", BODY).status()).isEqualTo(200);
      assertThat(log.records()).allSatisfy(r -> assertThat(r.getMessage()).doesNotContain(TOKEN));
    }
    assertThat(runtime.settings().toString()).doesNotContain(TOKEN).contains("token=****");
  }

  @Test
  void ifNoneMatchStarMatchesAnyAnswer() {
    OfrepApi api =
        api(
            FlagsRuntime.builder(
                FlagsSettings.from(SettingsSource.of(settings("flags.static.on", "true")))));
    FlagsHttpResponse r = post(api, "/v1/evaluate/flags", BODY, "If-None-Match", "*");
    assertThat(r.status()).isEqualTo(304);
    assertThat(r.body()).isEmpty();
    assertThat(r.header("ETag")).isPresent();
  }

  @Test
  void aBodyOverOneMebibyteIsTooLarge() {
    OfrepApi api =
        api(
            FlagsRuntime.builder(
                FlagsSettings.from(SettingsSource.of(settings("flags.static.on", "true")))));
    String big =
        "{\"context\": {\"targetingKey\": \"u\", \"pad\": \""
            + "x".repeat(OfrepApi.MAX_BODY_BYTES)
            + "\"}}";
    FlagsHttpResponse r = post(api, "/v1/evaluate/flags/on", big);
    assertThat(r.status()).isEqualTo(413);
    assertThat(member(r, "metadata")).isEqualTo(new JsonValue.Obj(Map.of()));
  }

  @Test
  void tooManyAttributesAreAnInvalidContext() {
    OfrepApi api =
        api(
            FlagsRuntime.builder(
                FlagsSettings.from(SettingsSource.of(settings("flags.static.on", "true")))));
    StringBuilder body = new StringBuilder("{\"context\": {\"targetingKey\": \"u\"");
    for (int i = 0; i < OfrepApi.MAX_CONTEXT_ATTRIBUTES; i++) {
      body.append(", \"a").append(i).append("\": ").append(i);
    }
    FlagsHttpResponse r = post(api, "/v1/evaluate/flags/on", body.append("}}").toString());
    assertThat(r.status()).isEqualTo(400);
    assertThat(member(r, "errorCode")).isEqualTo(JsonValue.of("INVALID_CONTEXT"));
  }

  @Test
  void thePathMustEndWithOfrepAndTheTokenBeLong() {
    assertThatThrownBy(
            () -> FlagsSettings.from(SettingsSource.of(settings("flags.ofrep.path", "/api/eval"))))
        .isInstanceOf(FlagsConfigurationException.class)
        .hasMessageContaining("flags.ofrep.path")
        .hasMessageContaining("/ofrep");
    assertThat(
            FlagsSettings.from(SettingsSource.of(settings("flags.ofrep.path", "/flags/ofrep/")))
                .ofrep()
                .path())
        .isEqualTo("/flags/ofrep");
    assertThatThrownBy(
            () -> FlagsSettings.from(SettingsSource.of(settings("flags.ofrep.token", "tiny-tok"))))
        .isInstanceOf(FlagsConfigurationException.class)
        .hasMessageContaining("flags.ofrep.token")
        .hasMessageNotContaining("tiny-tok");
  }
}
