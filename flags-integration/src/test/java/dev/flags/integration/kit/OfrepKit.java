package dev.flags.integration.kit;

import static dev.flags.integration.kit.Kit.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.JsonValue;
import dev.flags.integration.FlagsConfigurationException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * OpenFeature's remote evaluation protocol (docs/ofrep.md) over the framework's real HTTP server
 * and security: both routes, the context mapping, reasons, errors, the bulk call's ETag, the token
 * and the application's security. One application with a token serves most tests; its flags are
 * made through the admin API, so the answers are compared with the admin API's explain (the Java
 * client's own evaluation).
 */
public abstract class OfrepKit extends KitBase {

  /** The token of the shared application. */
  public static final String TOKEN = "kit-ofrep-token-0123456789";

  /** The settings of the shared application. */
  public static final Map<String, String> SETTINGS =
      Map.of(
          "flags.admin.enabled", "true",
          "flags.admin.write-enabled", "true",
          "flags.ofrep.enabled", "true",
          "flags.ofrep.token", TOKEN,
          "flags.static.kit_ofrep_static", "true");

  protected KitApplication app;

  @BeforeAll
  void startShared() throws Exception {
    app = start(KitOptions.of(SETTINGS));
  }

  @AfterAll
  void closeShared() {
    if (app != null) {
      app.close();
    }
  }

  /** A POST to OFREP below {@code flags.ofrep.path}, as a caller without credentials. */
  protected static KitResponse ofrep(
      KitApplication app, String path, String body, String... headers) {
    return ofrep(app, KitUser.NONE, "POST", path, body, headers);
  }

  protected static KitResponse ofrep(
      KitApplication app,
      KitUser user,
      String method,
      String path,
      String body,
      String... headers) {
    String base = app.baseUri().toString().replaceAll("/$", "");
    return Kit.send(
        app,
        user,
        method,
        URI.create(base + app.boundSettings().ofrep().path() + path),
        body,
        headers);
  }

  private KitResponse evaluate(String flag, Map<String, Object> context) {
    return ofrep(
        app,
        "/v1/evaluate/flags/" + flag,
        json(Map.of("context", context)),
        "Authorization",
        "Bearer " + TOKEN);
  }

  private KitResponse bulk(Map<String, Object> context, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Authorization";
    all[1] = "Bearer " + TOKEN;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return ofrep(app, "/v1/evaluate/flags", json(Map.of("context", context)), all);
  }

  private void create(String body) {
    KitResponse r = admin(app, KitUser.EDITOR, "POST", "/flags", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  private static String key(TestInfo test) {
    return "kit_ofrep_" + test.getTestMethod().orElseThrow().getName();
  }

  /** A boolean flag: a 25% rollout, alice targeted, a rule for country DE, metadata. */
  private static String canary(String key) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("key", key);
    f.put("on", true);
    f.put("variations", List.of(false, true));
    f.put("offVariation", 0);
    f.put(
        "fallthrough",
        Map.of(
            "rollout",
            Map.of(
                "weights",
                List.of(
                    Map.of("variation", 1, "weight", 25000),
                    Map.of("variation", 0, "weight", 75000)))));
    f.put("targets", List.of(Map.of("variation", 1, "values", List.of("alice"))));
    f.put(
        "rules",
        List.of(
            Map.of(
                "id",
                "de",
                "clauses",
                List.of(Map.of("attribute", "country", "op", "in", "values", List.of("DE"))),
                "variation",
                1)));
    f.put("owner", "team-kit");
    f.put("description", "A canary of the OFREP kit");
    f.put("tags", List.of("kit", "ofrep"));
    return json(f);
  }

  private static void assertError(KitResponse r, int status, String code) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.header("Content-Type").orElse("")).startsWith("application/json");
    assertThat(r.text("errorCode")).as(r.toString()).isEqualTo(code);
    assertThat(r.text("errorDetails")).isNotEmpty();
  }

  // ---------------------------------------------------------------- one flag

  @Test
  void oneFlagServesWhatTheJavaClientServes(TestInfo test) {
    String key = key(test);
    create(canary(key));
    int canaries = 0;
    for (int i = 0; i < 200; i++) {
      String user = "user-" + i;
      KitResponse r = evaluate(key, Map.of("targetingKey", user));
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      KitResponse explain = get(app, KitUser.VIEWER, "/flags/" + key + "/explain?key=" + user);
      assertThat(r.at("value")).as(user).isEqualTo(explain.at("value"));
      assertThat(r.text("variant")).isEqualTo(Kit.number(explain.at("variation")).toPlainString());
      assertThat(r.text("reason")).isEqualTo("SPLIT");
      canaries += r.at("value").equals(JsonValue.TRUE) ? 1 : 0;
    }
    assertThat(canaries).as("about a quarter of 200 users").isBetween(30, 70);
  }

  @Test
  void answersTheFieldsOfTheProtocol(TestInfo test) {
    String key = key(test);
    create(canary(key));
    KitResponse r = evaluate(key, Map.of("targetingKey", "alice"));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.header("Content-Type").orElse("")).startsWith("application/json");
    assertThat(r.text("key")).isEqualTo(key);
    assertThat(r.at("value")).isEqualTo(JsonValue.TRUE);
    assertThat(r.text("reason")).isEqualTo("TARGETING_MATCH");
    assertThat(r.text("variant")).isEqualTo("1");
    assertThat(r.text("metadata.owner")).isEqualTo("team-kit");
    assertThat(r.text("metadata.description")).isEqualTo("A canary of the OFREP kit");
    assertThat(r.text("metadata.tags")).isEqualTo("kit,ofrep");
    assertThat(r.text("metadata.flagsReason")).isEqualTo("TARGET_MATCH");
    assertThat(Kit.members(r.at("metadata")).values())
        .as("OFREP metadata is flat: strings, numbers, booleans")
        .allMatch(
            v ->
                v instanceof JsonValue.Str
                    || v instanceof JsonValue.Num
                    || v instanceof JsonValue.Bool);
    KitResponse fixed = evaluate("kit_ofrep_static", Map.of("targetingKey", "anyone"));
    assertThat(fixed.text("reason")).as(fixed.toString()).isEqualTo("STATIC");
    assertThat(fixed.at("value")).isEqualTo(JsonValue.TRUE);
  }

  @Test
  void contextAttributesKeepTheirTypes(TestInfo test) {
    String key = key(test);
    create(canary(key));
    KitResponse rule =
        evaluate(key, Map.of("targetingKey", "dave", "country", "DE", "age", 42, "beta", true));
    assertThat(rule.text("reason")).as(rule.toString()).isEqualTo("TARGETING_MATCH");
    assertThat(rule.text("metadata.ruleId")).isEqualTo("de");
    assertThat(rule.at("value")).isEqualTo(JsonValue.TRUE);
    // A number is not the string "DE"'s kin: a rule on a string never matches a number.
    String numbers = key + "_numbers";
    create(
        json(
            Map.of(
                "key",
                numbers,
                "on",
                true,
                "variations",
                List.of("small", "large"),
                "fallthrough",
                Map.of("variation", 0),
                "rules",
                List.of(
                    Map.of(
                        "clauses",
                        List.of(Map.of("attribute", "seats", "op", "gt", "values", List.of(100))),
                        "variation",
                        1)))));
    assertThat(evaluate(numbers, Map.of("targetingKey", "t1", "seats", 250)).at("value"))
        .isEqualTo(JsonValue.of("large"));
    assertThat(evaluate(numbers, Map.of("targetingKey", "t1", "seats", "250")).at("value"))
        .isEqualTo(JsonValue.of("small"));
    assertThat(
            evaluate(
                    numbers,
                    Map.of(
                        "targetingKey", "t1", "seats", 250, "nested", Map.of("a", List.of(1, 2))))
                .at("value"))
        .as("a nested structure is accepted whole")
        .isEqualTo(JsonValue.of("large"));
  }

  @Test
  void servesStringNumberAndObjectValues(TestInfo test) {
    String key = key(test);
    for (Object value :
        List.<Object>of("blue", 42, 0.25, Map.of("limit", 10, "plan", "pro"), List.of(1, 2))) {
      String k = key + "_" + Math.abs(value.hashCode());
      create(
          json(
              Map.of(
                  "key",
                  k,
                  "on",
                  true,
                  "variations",
                  List.of(value),
                  "fallthrough",
                  Map.of("variation", 0))));
      KitResponse r = evaluate(k, Map.of("targetingKey", "u"));
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.at("value")).isEqualTo(JsonValue.from(value));
      assertThat(r.text("variant")).isEqualTo("0");
    }
  }

  @Test
  void aFlagTurnedOffIsDisabled(TestInfo test) {
    String key = key(test);
    create(canary(key));
    admin(app, KitUser.EDITOR, "POST", "/flags/" + key + "/off", json(Map.of("reason", "kill")));
    KitResponse r = evaluate(key, Map.of("targetingKey", "alice"));
    assertThat(r.text("reason")).as(r.toString()).isEqualTo("DISABLED");
    assertThat(r.at("value")).isEqualTo(JsonValue.FALSE);
    assertThat(r.text("variant")).isEqualTo("0");
    String dependent = key + "_dependent";
    create(
        json(
            Map.of(
                "key",
                dependent,
                "variations",
                List.of(false, true),
                "fallthrough",
                Map.of("variation", 1),
                "prerequisites",
                List.of(Map.of("key", key, "variation", 1)))));
    KitResponse p = evaluate(dependent, Map.of("targetingKey", "alice"));
    assertThat(p.text("reason")).as(p.toString()).isEqualTo("DISABLED");
    assertThat(p.text("metadata.flagsReason")).isEqualTo("PREREQUISITE_FAILED");
    assertThat(p.text("metadata.prerequisite")).isEqualTo(key);
  }

  // ---------------------------------------------------------------- errors

  @Test
  void anUnknownFlagIsFlagNotFound() {
    KitResponse r = evaluate("kit_ofrep_never_made", Map.of("targetingKey", "u"));
    assertError(r, 404, "FLAG_NOT_FOUND");
    assertThat(r.text("key")).isEqualTo("kit_ofrep_never_made");
    assertThat(Kit.members(r.at("metadata"))).isEmpty();
  }

  @Test
  void aContextWithoutTargetingKeyIsRefused() {
    assertError(
        evaluate("kit_ofrep_static", Map.of("country", "DE")), 400, "TARGETING_KEY_MISSING");
    assertError(
        evaluate("kit_ofrep_static", Map.of("targetingKey", "")), 400, "TARGETING_KEY_MISSING");
    KitResponse noContext =
        ofrep(app, "/v1/evaluate/flags/kit_ofrep_static", "{}", "Authorization", "Bearer " + TOKEN);
    assertError(noContext, 400, "TARGETING_KEY_MISSING");
    assertError(bulk(Map.of("plan", "pro")), 400, "TARGETING_KEY_MISSING");
  }

  @Test
  void badBodiesAndContextsSayWhatIsWrong() {
    String path = "/v1/evaluate/flags/kit_ofrep_static";
    String[] auth = {"Authorization", "Bearer " + TOKEN};
    assertError(ofrep(app, path, "{not json", auth), 400, "PARSE_ERROR");
    assertError(ofrep(app, path, "[1]", auth), 400, "PARSE_ERROR");
    assertError(ofrep(app, path, "", auth), 400, "PARSE_ERROR");
    assertError(ofrep(app, path, "{\"context\": 3}", auth), 400, "INVALID_CONTEXT");
    assertError(evaluate("kit_ofrep_static", Map.of("targetingKey", 7)), 400, "INVALID_CONTEXT");
    KitResponse key = evaluate("kit_ofrep_static", Map.of("targetingKey", "u", "key", "v"));
    assertError(key, 400, "INVALID_CONTEXT");
    assertThat(key.text("errorDetails")).contains("targetingKey");
    assertError(
        evaluate("kit_ofrep_static", Map.of("targetingKey", "u", "anonymous", "yes")),
        400,
        "INVALID_CONTEXT");
  }

  @Test
  void onlyPostOnTheTwoRoutes() {
    KitResponse get =
        ofrep(app, KitUser.NONE, "GET", "/v1/evaluate/flags", null, "X-API-Key", TOKEN);
    assertThat(get.status()).as(get.toString()).isEqualTo(405);
    assertThat(get.header("Allow")).contains("POST");
    KitResponse elsewhere = ofrep(app, "/v2/evaluate/flags", "{}", "X-API-Key", TOKEN);
    assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(404);
    assertThat(elsewhere.text("errorDetails")).contains("/v1/evaluate/flags");
  }

  // ---------------------------------------------------------------- bulk

  @Test
  void bulkEvaluatesEveryFlagWithAnEtag(TestInfo test) {
    String key = key(test);
    create(canary(key));
    KitResponse r = bulk(Map.of("targetingKey", "alice"));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    String etag = r.header("ETag").orElseThrow();
    assertThat(etag).matches("\"[A-Za-z0-9_-]+\"");
    JsonValue mine =
        Kit.elements(r.at("flags")).stream()
            .filter(f -> Kit.text(Kit.at(f, "key")).equals(key))
            .findFirst()
            .orElseThrow();
    assertThat(Kit.at(mine, "value")).isEqualTo(JsonValue.TRUE);
    assertThat(Kit.text(Kit.at(mine, "reason"))).isEqualTo("TARGETING_MATCH");
    assertThat(Kit.elements(r.at("flags")).stream().map(f -> Kit.text(Kit.at(f, "key"))))
        .contains("kit_ofrep_static");

    KitResponse same = bulk(Map.of("targetingKey", "alice"), "If-None-Match", etag);
    assertThat(same.status()).as(same.toString()).isEqualTo(304);
    assertThat(same.body()).isEmpty();
    assertThat(same.header("ETag")).contains(etag);
    assertThat(bulk(Map.of("targetingKey", "alice"), "If-None-Match", "W/" + etag).status())
        .as("If-None-Match compares weakly")
        .isEqualTo(304);
    assertThat(bulk(Map.of("targetingKey", "alice"), "If-None-Match", "\"x\", " + etag).status())
        .isEqualTo(304);
    assertThat(bulk(Map.of("targetingKey", "bob"), "If-None-Match", etag).status())
        .as("another context is another answer")
        .isEqualTo(200);

    admin(app, KitUser.EDITOR, "POST", "/flags/" + key + "/off", json(Map.of("reason", "kill")));
    KitResponse changed = bulk(Map.of("targetingKey", "alice"), "If-None-Match", etag);
    assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    assertThat(changed.header("ETag").orElseThrow()).isNotEqualTo(etag);
  }

  // ---------------------------------------------------------------- security

  @Test
  void theTokenIsRequired() {
    String path = "/v1/evaluate/flags/kit_ofrep_static";
    String body = json(Map.of("context", Map.of("targetingKey", "u")));
    KitResponse none = ofrep(app, path, body);
    assertThat(none.status()).as(none.toString()).isEqualTo(401);
    assertThat(none.header("WWW-Authenticate").orElse("")).startsWith("Bearer");
    assertThat(none.body()).doesNotContain(TOKEN);
    assertThat(ofrep(app, path, body, "Authorization", "Bearer wrong-token-0123456789").status())
        .isEqualTo(401);
    assertThat(ofrep(app, path, body, "Authorization", "Bearer " + TOKEN + "x").status())
        .isEqualTo(401);
    assertThat(ofrep(app, path, body, "Authorization", "bearer " + TOKEN).status()).isEqualTo(200);
    assertThat(ofrep(app, path, body, "X-API-Key", TOKEN).status()).isEqualTo(200);
    assertThat(ofrep(app, path, "{not json").status())
        .as("who first: an unauthenticated caller learns nothing else")
        .isEqualTo(401);
  }

  @Test
  void withoutATokenCallersAreTheApplicationsUsers() throws Exception {
    KitApplication secured =
        startForTest(
            Map.of(
                "flags.ofrep.enabled", "true",
                "flags.ofrep.role", "FLAGS_VIEWER",
                "flags.static.kit_ofrep_static", "true"));
    String path = "/v1/evaluate/flags/kit_ofrep_static";
    String body = json(Map.of("context", Map.of("targetingKey", "u")));
    assertThat(ofrep(secured, KitUser.NONE, "POST", path, body).status()).isEqualTo(401);
    assertThat(ofrep(secured, KitUser.NO_ROLE, "POST", path, body).status()).isEqualTo(403);
    KitResponse viewer = ofrep(secured, KitUser.VIEWER, "POST", path, body);
    assertThat(viewer.status()).as(viewer.toString()).isEqualTo(200);
    assertThat(viewer.at("value")).isEqualTo(JsonValue.TRUE);
  }

  @Test
  void withoutSecurityATokenIsRequiredToStart() {
    Throwable failure =
        KitStart.failure(
            () ->
                start(
                    KitOptions.of(
                            Map.of(
                                "flags.ofrep.enabled", "true",
                                "flags.static.kit_ofrep_static", "true"))
                        .withoutSecurity()));
    FlagsConfigurationException e = KitStart.configurationError(failure);
    assertThat(e.getMessage()).contains("flags.ofrep.token");
  }

  @Test
  void withoutSecurityTheTokenServes() throws Exception {
    KitApplication open =
        startForTest(
            KitOptions.of(
                    Map.of(
                        "flags.ofrep.enabled", "true",
                        "flags.ofrep.token", TOKEN,
                        "flags.static.kit_ofrep_static", "true"))
                .withoutSecurity());
    String path = "/v1/evaluate/flags/kit_ofrep_static";
    String body = json(Map.of("context", Map.of("targetingKey", "u")));
    assertThat(ofrep(open, path, body).status()).isEqualTo(401);
    assertThat(ofrep(open, path, body, "Authorization", "Bearer " + TOKEN).status()).isEqualTo(200);
  }

  @Test
  void offByDefault() throws Exception {
    KitApplication plain = startForTest(Map.of("flags.static.kit_ofrep_static", "true"));
    assertThat(plain.boundSettings().ofrep().enabled()).isFalse();
    String base = plain.baseUri().toString().replaceAll("/$", "");
    KitResponse r =
        Kit.send(
            plain,
            KitUser.VIEWER,
            "POST",
            URI.create(base + "/ofrep/v1/evaluate/flags/kit_ofrep_static"),
            json(Map.of("context", Map.of("targetingKey", "u"))));
    assertThat(r.status()).as(r.toString()).isIn(Set.of(401, 403, 404, 405));
    assertThat(r.body()).doesNotContain("\"value\"");
  }
}
