package dev.flags.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flags.core.Flag;
import dev.flags.core.JsonValue;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.DefinitionKind;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.spi.FlagRepository;
import dev.flags.core.json.FlagCodec;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The handler in-process: what the parity kit cannot reach over loopback HTTP, and the promise that
 * every answer is one of the statuses its route declares (the OpenAPI document's).
 */
class AdminApiTest {

  private static final FlagCodec CODEC = FlagCodec.standard();
  private static final FlagsHttpRequest.Caller EDITOR =
      new FlagsHttpRequest.Caller("erin", r -> r.equals("FLAGS_EDITOR"));
  private static final FlagsHttpRequest.Caller VIEWER =
      new FlagsHttpRequest.Caller("victor", r -> r.equals("FLAGS_VIEWER"));

  private FlagsRuntime runtime;

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.close();
    }
  }

  private AdminApi api(FlagsRuntime.Builder builder) {
    runtime = builder.build();
    return AdminApi.builder(runtime).build();
  }

  private static FlagsRuntime.Builder settings(String... keyValues) {
    Map<String, String> m = new HashMap<>();
    m.put("flags.admin.enabled", "true");
    m.put("flags.admin.write-enabled", "true");
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return FlagsRuntime.builder(FlagsSettings.from(SettingsSource.of(m)));
  }

  /** Calls the API and checks the status is one its route declares. */
  static FlagsHttpResponse call(
      AdminApi api,
      FlagsHttpRequest.Caller caller,
      String remote,
      String method,
      String pathAndQuery,
      String body,
      String... headers) {
    String path =
        pathAndQuery.contains("?")
            ? pathAndQuery.substring(0, pathAndQuery.indexOf('?'))
            : pathAndQuery;
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (pathAndQuery.contains("?")) {
      for (String pair : pathAndQuery.substring(pathAndQuery.indexOf('?') + 1).split("&")) {
        String[] kv = pair.split("=", 2);
        query
            .computeIfAbsent(kv[0], k -> new java.util.ArrayList<>())
            .add(kv.length > 1 ? kv[1] : "");
      }
    }
    Map<String, List<String>> h = new LinkedHashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], List.of(headers[i + 1]));
    }
    FlagsHttpResponse r =
        api.handle(
            new FlagsHttpRequest(
                method,
                path,
                query,
                h,
                body == null ? "" : body,
                Optional.ofNullable(caller),
                remote));
    List<String> segments = Route.split(path);
    Optional<Route> route =
        Route.ALL.stream()
            .filter(x -> x.method().equalsIgnoreCase(method) && x.matches(segments))
            .findFirst();
    if (route.isPresent()) {
      assertThat(route.get().statuses())
          .as("%s %s answered %s: %s", method, pathAndQuery, r.status(), r.body())
          .contains(r.status());
    } else {
      assertThat(r.status()).as("no route for %s %s", method, path).isIn(401, 403, 404, 405);
    }
    return r;
  }

  static FlagsHttpResponse call(
      AdminApi api, String method, String pathAndQuery, String body, String... headers) {
    return call(api, EDITOR, "192.0.2.1", method, pathAndQuery, body, headers);
  }

  private static JsonValue json(FlagsHttpResponse r) {
    return CODEC.parse(r.body());
  }

  private static String text(FlagsHttpResponse r, String member) {
    return ((JsonValue.Str) ((JsonValue.Obj) json(r)).members().get(member)).value();
  }

  @Test
  void everyRouteIsServed() {
    AdminApi api = api(settings("flags.static.seed", "true"));
    String flag =
        "{\"key\":\"f\",\"variations\":[false,true],\"fallthrough\":{\"variation\":0},\"tags\":[\"t\"]}";
    Map<String, Integer> seen = new LinkedHashMap<>();
    seen.put("listFlags", call(api, "GET", "/flags", null).status());
    seen.put("createFlag", call(api, "POST", "/flags", flag).status());
    seen.put("getFlag", call(api, "GET", "/flags/f", null).status());
    seen.put("replaceFlag", call(api, "PUT", "/flags/f", flag, "If-Match", "1").status());
    seen.put("turnFlagOn", call(api, "POST", "/flags/f/on", null).status());
    seen.put("turnFlagOff", call(api, "POST", "/flags/f/off", "{\"reason\":\"r\"}").status());
    seen.put("setRollout", call(api, "PUT", "/flags/f/rollout", "{\"percentage\":5}").status());
    seen.put(
        "changeTargets",
        call(api, "POST", "/flags/f/targets", "{\"value\":true,\"add\":[\"a\"]}").status());
    seen.put("updateMetadata", call(api, "PUT", "/flags/f/metadata", "{\"owner\":\"o\"}").status());
    seen.put("restoreFlag", call(api, "POST", "/flags/f/restore", "{\"version\":1}").status());
    seen.put("explainFlag", call(api, "GET", "/flags/f/explain?key=a", null).status());
    seen.put("flagAudit", call(api, "GET", "/flags/f/audit", null).status());
    seen.put("audit", call(api, "GET", "/audit?actor=erin", null).status());
    seen.put("putSegment", call(api, "PUT", "/segments/s", "{\"included\":[\"a\"]}").status());
    seen.put("listSegments", call(api, "GET", "/segments", null).status());
    seen.put("getSegment", call(api, "GET", "/segments/s", null).status());
    seen.put("deleteSegment", call(api, "DELETE", "/segments/s", null).status());
    seen.put("status", call(api, "GET", "/status", null).status());
    seen.put("deleteFlag", call(api, "DELETE", "/flags/f", null).status());
    // The guarded rollout routes need Redis: AdminApiGuardedRolloutTest serves each of them.
    assertThat(seen.keySet())
        .containsExactlyInAnyOrderElementsOf(
            Route.ALL.stream()
                .map(Route::operation)
                .filter(op -> !op.contains("GuardedRollout"))
                .toList());
    seen.forEach((op, status) -> assertThat(status).as(op).isIn(200, 201, 204));
    assertThat(seen).containsEntry("createFlag", 201).containsEntry("deleteFlag", 204);
  }

  @Test
  void routingErrors() {
    AdminApi api = api(settings());
    assertThat(call(api, "GET", "/", null).status()).isEqualTo(404);
    assertThat(call(api, "GET", "/flags/a/b/c", null).status()).isEqualTo(404);
    FlagsHttpResponse head = call(api, "HEAD", "/flags", null);
    assertThat(head.status()).isEqualTo(405);
    assertThat(head.header("Allow")).contains("GET, POST");
    assertThat(call(api, "get", "/flags", null).status()).as("methods in any case").isEqualTo(200);
    assertThat(call(api, "GET", "/flags/", null).status()).as("a trailing slash").isEqualTo(200);
    assertThat(
            call(api, (FlagsHttpRequest.Caller) null, "192.0.2.1", "GET", "/nothing", null)
                .status())
        .as("no caller learns which paths exist")
        .isEqualTo(401);
    FlagsHttpRequest.Caller nobody = new FlagsHttpRequest.Caller("nobody", r -> false);
    assertThat(call(api, nobody, "192.0.2.1", "DELETE", "/status", null).status()).isEqualTo(403);
  }

  @Test
  void insecureLocalDevelopmentServesLoopbackOnly() {
    runtime =
        settings("flags.admin.insecure-local-development", "true", "flags.static.x", "true")
            .build();
    AdminApi api;
    try (LogCapture log = LogCapture.of(AdminApi.class)) {
      api = AdminApi.builder(runtime).securityAvailable(false).build();
      assertThat(log.messages(Level.WARNING))
          .singleElement()
          .asString()
          .contains("without security", "loopback", "local-developer");
    }
    FlagsHttpResponse remote =
        call(api, (FlagsHttpRequest.Caller) null, "192.0.2.7", "GET", "/flags", null);
    assertThat(remote.status()).isEqualTo(403);
    assertThat(text(remote, "detail")).contains("loopback", "192.0.2.7");
    assertThat(
            call(api, (FlagsHttpRequest.Caller) null, "127.0.0.1", "GET", "/flags", null).status())
        .isEqualTo(200);
    FlagsHttpResponse write =
        call(api, (FlagsHttpRequest.Caller) null, "::1", "POST", "/flags/x/off", null);
    assertThat(write.status()).isEqualTo(200);
    assertThat(runtime.admin().audit(AuditQuery.flag("x")).get(0).actor())
        .isEqualTo("local-developer");
  }

  @Test
  void withoutSecurityTheApiIsNotBuilt() {
    runtime = settings().build();
    assertThatThrownBy(() -> AdminApi.builder(runtime).securityAvailable(false).build())
        .isInstanceOfSatisfying(
            FlagsConfigurationException.class,
            e -> {
              assertThat(e.property()).isEqualTo("flags.admin.enabled");
              assertThat(e.fix()).contains("flags.admin.insecure-local-development=true");
            });
  }

  @Test
  void withSecurityNoCallerIsUnauthenticatedEvenFromLoopback() {
    AdminApi api = api(settings("flags.admin.insecure-local-development", "true"));
    FlagsHttpResponse r =
        call(api, (FlagsHttpRequest.Caller) null, "127.0.0.1", "GET", "/flags", null);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("Content-Type")).contains("application/problem+json");
    assertThat(text(r, "type")).isEqualTo("urn:flags:problem:unauthenticated");
  }

  @Test
  void rolesAreThoseTheSettingsName() {
    AdminApi api =
        api(
            settings(
                "flags.admin.viewer-role", "OPS_READ", "flags.admin.editor-role", "OPS_WRITE"));
    assertThat(call(api, VIEWER, "192.0.2.1", "GET", "/flags", null).status()).isEqualTo(403);
    FlagsHttpRequest.Caller reader = new FlagsHttpRequest.Caller("r", x -> x.equals("OPS_READ"));
    assertThat(call(api, reader, "192.0.2.1", "GET", "/flags", null).status()).isEqualTo(200);
    assertThat(call(api, reader, "192.0.2.1", "POST", "/flags", "{}").status()).isEqualTo(403);
  }

  @Test
  void anUnavailableStoreIsOneWarnLineWithoutAStackTrace() {
    FlagAdmin admin = FlagAdmin.over(new Failing(true));
    AdminApi api = api(settings().admin(admin));
    try (LogCapture log = LogCapture.of(AdminApi.class)) {
      FlagsHttpResponse r = call(api, "POST", "/flags/x/on", null);
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.header("Retry-After")).contains("1");
      List<LogRecord> records = log.records();
      assertThat(records).hasSize(1);
      assertThat(records.get(0).getLevel()).isEqualTo(Level.WARNING);
      assertThat(records.get(0).getThrown()).isNull();
      assertThat(records.get(0).getMessage())
          .isEqualTo("flags admin API: POST /flags/x/on by erin: the store is unavailable: down");
    }
  }

  @Test
  void aBugIsA500WithItsStackTraceInTheLogOnly() {
    FlagAdmin admin = FlagAdmin.over(new Failing(false));
    AdminApi api = api(settings().admin(admin));
    try (LogCapture log = LogCapture.of(AdminApi.class)) {
      FlagsHttpResponse r =
          api.handle(
              new FlagsHttpRequest(
                  "GET", "/flags", Map.of(), Map.of(), "", Optional.of(EDITOR), "192.0.2.1"));
      assertThat(r.status()).isEqualTo(500);
      assertThat(r.body()).doesNotContain("a bug").contains("urn:flags:problem:internal");
      assertThat(log.records())
          .singleElement()
          .satisfies(
              x -> {
                assertThat(x.getLevel()).isEqualTo(Level.SEVERE);
                assertThat(x.getThrown()).hasMessage("a bug");
              });
    }
  }

  @Test
  void explainingAMalformedFlagSaysWhy() {
    ControlledStore store = new ControlledStore();
    AdminApi api = api(settings().store(store));
    store.load(dev.flags.core.spi.StoreSnapshot.EMPTY);
    store.malformed("broken", "offVariation: no variation 9");
    FlagsHttpResponse r = call(api, "GET", "/flags/broken/explain?key=u", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(text(r, "error")).isEqualTo("MALFORMED_FLAG");
    assertThat(text(r, "explanation"))
        .isEqualTo(
            "the stored flag does not read (offVariation: no variation 9): serves the caller's"
                + " default");
    assertThat(((JsonValue.Obj) json(r)).members().get("value")).isEqualTo(JsonValue.NULL);
  }

  @Test
  void explanationsSayWhyInOneSentence() {
    AdminApi api = api(settings());
    runtime
        .admin()
        .create(Flag.builder("p").on(false).build(), dev.flags.core.admin.Change.by("t"));
    runtime
        .admin()
        .create(
            Flag.builder("g").prerequisite("p", 1).build(), dev.flags.core.admin.Change.by("t"));
    assertThat(text(call(api, "GET", "/flags/p/explain?key=u", null), "explanation"))
        .isEqualTo("the flag is off: serves variation 0 (false), its off variation");
    assertThat(text(call(api, "GET", "/flags/g/explain?key=u", null), "explanation"))
        .isEqualTo(
            "prerequisite p did not serve the variation it must: serves variation 0 (false), the"
                + " off variation");
    FlagsHttpResponse attrs =
        call(api, "GET", "/flags/p/explain?key=u&kind=org&attr.plan=pro&attr.plan=max", null);
    JsonValue.Obj context = (JsonValue.Obj) ((JsonValue.Obj) json(attrs)).members().get("context");
    assertThat(context.members().get("kind")).isEqualTo(JsonValue.of("org"));
    assertThat(((JsonValue.Obj) context.members().get("attributes")).members().get("plan"))
        .isEqualTo(JsonValue.array(JsonValue.of("pro"), JsonValue.of("max")));
  }

  @Test
  void ifMatchMayBeBareDigitsButNothingElse() {
    AdminApi api = api(settings("flags.static.x", "true"));
    String etag = call(api, "POST", "/flags/x/off", null).header("ETag").orElseThrow();
    String bare = etag.replace("\"", "");
    assertThat(call(api, "POST", "/flags/x/on", null, "If-Match", bare).status()).isEqualTo(200);
    assertThat(call(api, "POST", "/flags/x/on", null, "If-Match", "\"a\"").status()).isEqualTo(400);
    assertThat(call(api, "POST", "/flags/x/on", null, "If-Match", "\"3\", \"4\"").status())
        .isEqualTo(400);
  }

  @Test
  void aLocationIsRelativeToTheRequest() {
    AdminApi api = api(settings());
    assertThat(
            call(api, "POST", "/flags", "{\"key\":\"a\",\"on\":true,\"variations\":[false,true]}")
                .header("Location"))
        .contains("flags/a");
    assertThat(
            call(api, "POST", "/flags/", "{\"key\":\"b\",\"on\":true,\"variations\":[false,true]}")
                .header("Location"))
        .contains("b");
  }

  @Test
  void aRouteThatReadsNoBodyIgnoresOneOfAnySize() {
    AdminApi api = api(settings("flags.static.x", "true"));
    String huge = "x".repeat(AdminApi.MAX_BODY_BYTES + 1);
    assertThat(call(api, "GET", "/flags", huge).status()).isEqualTo(200);
    assertThat(call(api, "DELETE", "/flags/x", huge).status()).isEqualTo(204);
    assertThat(call(api, "POST", "/flags", huge).status()).isEqualTo(413);
  }

  @Test
  void aBareSwitchMayBeWrittenAsTrueOrFalse() {
    AdminApi api = api(settings("flags.static.x", "true"));
    FlagsHttpResponse r = call(api, "PUT", "/flags/x", "false", "If-Match", "*");
    assertThat(r.status()).isEqualTo(200);
    assertThat(runtime.flags().isEnabled("x", dev.flags.core.EvaluationContext.of("u"))).isFalse();
  }

  /** A repository that fails every call: as unreachable, or with a bug. */
  private static final class Failing implements FlagRepository {
    private final boolean unavailable;

    Failing(boolean unavailable) {
      this.unavailable = unavailable;
    }

    private RuntimeException fail() {
      return unavailable
          ? new dev.flags.core.admin.StoreUnavailableException("down", false, null)
          : new IllegalStateException("a bug");
    }

    @Override
    public Optional<Stored> read(DefinitionKind kind, String key) {
      throw fail();
    }

    @Override
    public long currentVersion(DefinitionKind kind, String key) {
      throw fail();
    }

    @Override
    public List<Stored> readAll(DefinitionKind kind) {
      throw fail();
    }

    @Override
    public Outcome write(List<Write> batch) {
      throw fail();
    }

    @Override
    public List<AuditEntry> audit(AuditQuery query) {
      throw fail();
    }

    @Override
    public Optional<AuditEntry> auditEntry(String id) {
      throw fail();
    }

    @Override
    public String description() {
      return "failing";
    }

    @Override
    public void close() {}
  }
}
