package dev.flags.integration.kit;

import static dev.flags.integration.kit.Kit.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.JsonValue;
import dev.flags.core.admin.FlagAdmin;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The admin HTTP API, endpoint by endpoint and error by error (docs/admin-api.md), over the
 * framework's real HTTP server and security. One application with writes enabled serves most tests;
 * each test works on flags of its own keys.
 */
public abstract class AdminApiKit extends KitBase {

  /** The settings of the shared application. */
  public static final Map<String, String> SETTINGS =
      Map.of(
          "flags.admin.enabled", "true",
          "flags.admin.write-enabled", "true",
          "flags.static.kit_static", "true");

  private static final Set<String> SUMMARY_MEMBERS =
      Set.of(
          "key",
          "on",
          "version",
          "variations",
          "type",
          "rollout",
          "targets",
          "rules",
          "owner",
          "description",
          "tags",
          "killDate",
          "pastKillDate",
          "lastChange",
          "malformed",
          "killedByRawEdit");

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

  /** A flag key of this test's own. */
  protected static String key(TestInfo test) {
    return "kit_" + test.getTestMethod().orElseThrow().getName();
  }

  /** A boolean flag with a 10% rollout by tenantId, targets, a rule and metadata. */
  protected static String rich(String key) {
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
                    Map.of("variation", 1, "weight", 10000),
                    Map.of("variation", 0, "weight", 90000)),
                "bucketBy",
                "tenantId")));
    f.put("targets", List.of(Map.of("variation", 1, "values", List.of("alice", "carol"))));
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
    f.put("description", "A flag of the parity kit");
    f.put("owner", "team-kit");
    f.put("tags", List.of("kit", "checkout"));
    return json(f);
  }

  protected KitResponse create(String body) {
    KitResponse r = admin(app, KitUser.EDITOR, "POST", "/flags", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r;
  }

  protected static void assertProblem(KitResponse r, int status, String type) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.header("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(r.text("type")).isEqualTo("urn:flags:problem:" + type);
    assertThat(Kit.number(r.at("status")).intValue()).isEqualTo(status);
    assertThat(r.text("title")).isNotEmpty();
    assertThat(r.text("detail")).isNotEmpty();
  }

  // ---------------------------------------------------------------- reads

  @Test
  void listsEveryFlagWithItsSummaryAndTheStore(TestInfo test) {
    String key = key(test);
    create(rich(key));
    KitResponse r = get(app, KitUser.VIEWER, "/flags");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.header("Content-Type").orElse("")).startsWith("application/json");
    assertThat(Kit.members(r.at("store")).keySet())
        .containsExactly(
            "status", "detail", "initialized", "store", "flags", "malformed", "pastKillDate");
    assertThat(r.text("store.status")).isEqualTo("OK");
    assertThat(r.at("writable")).isEqualTo(JsonValue.TRUE);
    JsonValue summary = find(r.at("flags"), key);
    assertThat(Kit.members(summary).keySet()).containsExactlyInAnyOrderElementsOf(SUMMARY_MEMBERS);
    assertThat(Kit.at(summary, "on")).isEqualTo(JsonValue.TRUE);
    assertThat(Kit.number(Kit.at(summary, "version"))).isEqualByComparingTo("1");
    assertThat(Kit.number(Kit.at(summary, "variations"))).isEqualByComparingTo("2");
    assertThat(Kit.text(Kit.at(summary, "type"))).isEqualTo("boolean");
    assertThat(Kit.number(Kit.at(summary, "rollout.percentage"))).isEqualByComparingTo("10");
    assertThat(Kit.text(Kit.at(summary, "rollout.algorithm"))).isEqualTo("murmur3-v1");
    assertThat(Kit.text(Kit.at(summary, "rollout.bucketBy"))).isEqualTo("tenantId");
    assertThat(Kit.number(Kit.at(summary, "targets"))).isEqualByComparingTo("2");
    assertThat(Kit.number(Kit.at(summary, "rules"))).isEqualByComparingTo("1");
    assertThat(Kit.text(Kit.at(summary, "owner"))).isEqualTo("team-kit");
    assertThat(Kit.text(Kit.at(summary, "description"))).isEqualTo("A flag of the parity kit");
    assertThat(Kit.texts(Kit.at(summary, "tags"))).containsExactly("kit", "checkout");
    assertThat(Kit.at(summary, "killDate")).isEqualTo(JsonValue.NULL);
    assertThat(Kit.at(summary, "pastKillDate")).isEqualTo(JsonValue.FALSE);
    assertThat(Kit.text(Kit.at(summary, "lastChange.actor"))).isEqualTo(KitUser.EDITOR.username());
    assertThat(Kit.text(Kit.at(summary, "lastChange.action"))).isEqualTo("create");
    assertThat(Kit.at(summary, "malformed")).isEqualTo(JsonValue.NULL);
    assertThat(Kit.at(summary, "killedByRawEdit")).isEqualTo(JsonValue.FALSE);
    JsonValue plain = find(r.at("flags"), "kit_static");
    assertThat(Kit.at(plain, "rollout")).isEqualTo(JsonValue.NULL);
  }

  @Test
  void filtersTheList(TestInfo test) {
    String key = key(test);
    create(rich(key).replace("\"team-kit\"", "\"team-filter\""));
    assertThat(keys(get(app, KitUser.VIEWER, "/flags?owner=team-filter"))).containsExactly(key);
    assertThat(keys(get(app, KitUser.VIEWER, "/flags?q=FILTERSTHELIST&owner=team-filter")))
        .containsExactly(key);
    assertThat(keys(get(app, KitUser.VIEWER, "/flags?tag=checkout&owner=team-filter")))
        .containsExactly(key);
    assertThat(keys(get(app, KitUser.VIEWER, "/flags?on=false&owner=team-filter"))).isEmpty();
    assertThat(keys(get(app, KitUser.VIEWER, "/flags?pastKillDate=true&owner=team-filter")))
        .isEmpty();
    assertThat(keys(get(app, KitUser.VIEWER, "/flags?malformed=true&owner=team-filter"))).isEmpty();
    assertProblem(get(app, KitUser.VIEWER, "/flags?on=maybe"), 400, "bad-request");
    assertProblem(get(app, KitUser.VIEWER, "/flags?colour=red"), 400, "bad-request");
  }

  @Test
  void readsOneFlagWithItsDefinitionAndETag(TestInfo test) {
    String key = key(test);
    create(rich(key));
    KitResponse r = get(app, KitUser.VIEWER, "/flags/" + key);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("ETag")).contains("\"1\"");
    assertThat(r.text("key")).isEqualTo(key);
    assertThat(Kit.number(r.at("version"))).isEqualByComparingTo("1");
    assertThat(Kit.number(r.at("definition.version"))).isEqualByComparingTo("1");
    assertThat(Kit.texts(r.at("definition.targets[0].values"))).containsExactly("alice", "carol");
    assertThat(r.text("definition.rules[0].id")).isEqualTo("de");
    assertThat(r.text("summary.key")).isEqualTo(key);
    KitResponse plain = get(app, KitUser.VIEWER, "/flags/kit_static");
    assertThat(plain.text("definition.key")).isEqualTo("kit_static");
    assertThat(plain.at("definition.on")).isEqualTo(JsonValue.TRUE);
  }

  @Test
  void anUnknownFlagIsNotFound() {
    assertProblem(get(app, KitUser.VIEWER, "/flags/kit_no_such_flag"), 404, "not-found");
    assertProblem(get(app, KitUser.VIEWER, "/flags/not%20a%20key"), 400, "invalid-definition");
  }

  // ---------------------------------------------------------------- whole definitions

  @Test
  void createsAFlag(TestInfo test) {
    String key = key(test);
    KitResponse r = create(rich(key));
    assertThat(r.header("ETag")).contains("\"1\"");
    assertThat(r.header("Location").orElseThrow()).endsWith("flags/" + key);
    assertThat(r.text("key")).isEqualTo(key);
    assertThat(r.text("summary.lastChange.actor")).isEqualTo(KitUser.EDITOR.username());
    assertProblem(admin(app, KitUser.EDITOR, "POST", "/flags", rich(key)), 409, "exists");
  }

  @Test
  void anInvalidFlagIsRefusedWithThePathOfTheProblem(TestInfo test) {
    String key = key(test);
    KitResponse r =
        admin(
            app,
            KitUser.EDITOR,
            "POST",
            "/flags",
            json(Map.of("key", key, "variations", List.of(false, true), "offVariation", 5)));
    assertProblem(r, 400, "invalid-definition");
    assertThat(r.text("path")).isEqualTo("offVariation");
    assertProblem(
        admin(app, KitUser.EDITOR, "POST", "/flags", "{not json"), 400, "invalid-definition");
    assertProblem(
        admin(app, KitUser.EDITOR, "POST", "/flags", json(Map.of("on", true))),
        400,
        "invalid-definition");
    assertProblem(get(app, KitUser.VIEWER, "/flags/" + key), 404, "not-found");
  }

  @Test
  void replacingNeedsTheVersionRead(TestInfo test) {
    String key = key(test);
    create(rich(key));
    String replacement = rich(key).replace("\"on\":true", "\"on\":false");
    assertProblem(
        admin(app, KitUser.EDITOR, "PUT", "/flags/" + key, replacement),
        428,
        "precondition-required");
    KitResponse ok =
        admin(app, KitUser.EDITOR, "PUT", "/flags/" + key, replacement, "If-Match", "\"1\"");
    assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    assertThat(ok.header("ETag")).contains("\"2\"");
    assertThat(ok.at("summary.on")).isEqualTo(JsonValue.FALSE);
    KitResponse stale =
        admin(app, KitUser.EDITOR, "PUT", "/flags/" + key, rich(key), "If-Match", "\"1\"");
    assertProblem(stale, 409, "version-conflict");
    assertThat(Kit.number(stale.at("currentVersion"))).isEqualByComparingTo("2");
    assertThat(stale.text("changedBy.actor")).isEqualTo(KitUser.EDITOR.username());
    KitResponse any =
        admin(app, KitUser.EDITOR, "PUT", "/flags/" + key, rich(key), "If-Match", "*");
    assertThat(any.status()).isEqualTo(200);
    assertThat(any.header("ETag")).contains("\"3\"");
    assertProblem(
        admin(
            app,
            KitUser.EDITOR,
            "PUT",
            "/flags/kit_missing_" + key,
            rich("kit_missing_" + key),
            "If-Match",
            "*"),
        412,
        "precondition-failed");
    assertProblem(
        admin(app, KitUser.EDITOR, "PUT", "/flags/" + key, rich(key), "If-Match", "W/\"3\""),
        400,
        "bad-request");
  }

  @Test
  void deletesAFlag(TestInfo test) {
    String key = key(test);
    create(rich(key));
    KitResponse stale =
        admin(app, KitUser.EDITOR, "DELETE", "/flags/" + key, null, "If-Match", "\"9\"");
    assertProblem(stale, 409, "version-conflict");
    KitResponse r = admin(app, KitUser.EDITOR, "DELETE", "/flags/" + key, null);
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    assertProblem(get(app, KitUser.VIEWER, "/flags/" + key), 404, "not-found");
    assertProblem(admin(app, KitUser.EDITOR, "DELETE", "/flags/" + key, null), 404, "not-found");
    assertProblem(
        admin(app, KitUser.EDITOR, "DELETE", "/flags/" + key, null, "If-Match", "\"1\""),
        412,
        "precondition-failed");
  }

  // ---------------------------------------------------------------- edits

  @Test
  void turnsAFlagOffAndOn(TestInfo test) {
    String key = key(test);
    create(rich(key));
    KitResponse off =
        admin(
            app, KitUser.EDITOR, "POST", "/flags/" + key + "/off", json(Map.of("reason", "INC-7")));
    assertThat(off.status()).as(off.toString()).isEqualTo(200);
    assertThat(off.at("summary.on")).isEqualTo(JsonValue.FALSE);
    assertThat(off.header("ETag")).contains("\"2\"");
    assertThat(off.text("summary.lastChange.reason")).isEqualTo("INC-7");
    KitResponse on =
        admin(app, KitUser.EDITOR, "POST", "/flags/" + key + "/on", null, "If-Match", "\"2\"");
    assertThat(on.status()).isEqualTo(200);
    assertThat(on.at("definition.on")).isEqualTo(JsonValue.TRUE);
    assertProblem(
        admin(app, KitUser.EDITOR, "POST", "/flags/" + key + "/on", null, "If-Match", "\"2\""),
        409,
        "version-conflict");
    assertProblem(
        admin(app, KitUser.EDITOR, "POST", "/flags/kit_nothing_here/on", null), 404, "not-found");
    assertProblem(
        admin(app, KitUser.EDITOR, "POST", "/flags/kit_nothing_here/on", null, "If-Match", "\"1\""),
        412,
        "precondition-failed");
    assertProblem(
        admin(app, KitUser.EDITOR, "POST", "/flags/" + key + "/on", json(Map.of("why", "x"))),
        400,
        "bad-request");
  }

  @Test
  void rampsARolloutAndSaysWhoItAddsOrRemoves(TestInfo test) {
    String key = key(test);
    create(rich(key));
    KitResponse up =
        admin(
            app,
            KitUser.EDITOR,
            "PUT",
            "/flags/" + key + "/rollout",
            json(Map.of("percentage", 25, "reason", "canary ok")));
    assertThat(up.status()).as(up.toString()).isEqualTo(200);
    assertThat(Kit.number(up.at("change.from"))).isEqualByComparingTo("10");
    assertThat(Kit.number(up.at("change.to"))).isEqualByComparingTo("25");
    assertThat(Kit.number(up.at("change.share"))).isEqualByComparingTo("15");
    assertThat(up.text("change.direction")).isEqualTo("adds");
    assertThat(Kit.number(up.at("summary.rollout.percentage"))).isEqualByComparingTo("25");
    assertThat(up.text("summary.rollout.bucketBy")).isEqualTo("tenantId");
    KitResponse down =
        admin(
            app,
            KitUser.EDITOR,
            "PUT",
            "/flags/" + key + "/rollout",
            json(Map.of("percentage", 12.5)));
    assertThat(down.text("change.direction")).isEqualTo("removes");
    assertThat(Kit.number(down.at("change.share"))).isEqualByComparingTo("12.5");
    KitResponse same =
        admin(
            app,
            KitUser.EDITOR,
            "PUT",
            "/flags/" + key + "/rollout",
            json(Map.of("percentage", 12.5)));
    assertThat(same.text("change.direction")).isEqualTo("none");
    assertProblem(
        admin(
            app,
            KitUser.EDITOR,
            "PUT",
            "/flags/" + key + "/rollout",
            json(Map.of("percentage", 101))),
        400,
        "bad-request");
    assertProblem(
        admin(app, KitUser.EDITOR, "PUT", "/flags/" + key + "/rollout", json(Map.of())),
        400,
        "bad-request");
    String text = key + "_text";
    create(
        json(
            Map.of(
                "key",
                text,
                "variations",
                List.of("a", "b"),
                "fallthrough",
                Map.of("variation", 0))));
    assertProblem(
        admin(
            app,
            KitUser.EDITOR,
            "PUT",
            "/flags/" + text + "/rollout",
            json(Map.of("percentage", 5))),
        400,
        "bad-request");
  }

  @Test
  void addsAndRemovesTargets(TestInfo test) {
    String key = key(test);
    create(rich(key));
    KitResponse add =
        admin(
            app,
            KitUser.EDITOR,
            "POST",
            "/flags/" + key + "/targets",
            json(Map.of("value", true, "add", List.of("bob"))));
    assertThat(add.status()).as(add.toString()).isEqualTo(200);
    assertThat(Kit.number(add.at("summary.targets"))).isEqualByComparingTo("3");
    KitResponse moved =
        admin(
            app,
            KitUser.EDITOR,
            "POST",
            "/flags/" + key + "/targets",
            json(Map.of("variation", 0, "add", List.of("alice"))));
    assertThat(moved.status()).isEqualTo(200);
    List<String> trueKeys = new ArrayList<>();
    List<String> falseKeys = new ArrayList<>();
    for (JsonValue t : Kit.elements(moved.at("definition.targets"))) {
      (Kit.number(Kit.at(t, "variation")).intValue() == 1 ? trueKeys : falseKeys)
          .addAll(Kit.texts(Kit.at(t, "values")));
    }
    assertThat(trueKeys).containsExactlyInAnyOrder("bob", "carol");
    assertThat(falseKeys).containsExactly("alice");
    KitResponse removed =
        admin(
            app,
            KitUser.EDITOR,
            "POST",
            "/flags/" + key + "/targets",
            json(Map.of("value", true, "remove", List.of("bob", "carol"))));
    assertThat(Kit.number(removed.at("summary.targets"))).isEqualByComparingTo("1");
    assertProblem(
        admin(
            app,
            KitUser.EDITOR,
            "POST",
            "/flags/" + key + "/targets",
            json(Map.of("variation", 7, "add", List.of("x")))),
        400,
        "bad-request");
    assertProblem(
        admin(
            app, KitUser.EDITOR, "POST", "/flags/" + key + "/targets", json(Map.of("value", true))),
        400,
        "bad-request");
    KitResponse both =
        admin(
            app,
            KitUser.EDITOR,
            "POST",
            "/flags/" + key + "/targets",
            json(Map.of("value", false, "add", List.of("dave"), "remove", List.of("alice"))));
    assertThat(both.status()).isEqualTo(200);
    assertThat(Kit.number(both.at("summary.targets"))).isEqualByComparingTo("1"); // dave for alice
    List<String> many = new ArrayList<>();
    for (int i = 0; i <= 10_000; i++) {
      many.add("user-" + i);
    }
    KitResponse tooMany =
        admin(
            app,
            KitUser.EDITOR,
            "POST",
            "/flags/" + key + "/targets",
            json(Map.of("value", true, "add", many)));
    assertProblem(tooMany, 400, "bad-request");
    assertThat(tooMany.text("detail")).contains("10000");
  }

  @Test
  void editsMetadataAndReportsAPassedKillDate(TestInfo test) {
    String key = key(test);
    create(rich(key));
    KitResponse r =
        admin(
            app,
            KitUser.EDITOR,
            "PUT",
            "/flags/" + key + "/metadata",
            json(Map.of("owner", "team-other", "tags", List.of("x"), "killDate", "2020-01-01")));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.text("summary.owner")).isEqualTo("team-other");
    assertThat(r.text("summary.description")).isEqualTo("A flag of the parity kit");
    assertThat(Kit.texts(r.at("summary.tags"))).containsExactly("x");
    assertThat(r.text("summary.killDate")).isEqualTo("2020-01-01T00:00:00Z");
    assertThat(r.at("summary.pastKillDate")).isEqualTo(JsonValue.TRUE);
    assertThat(keys(get(app, KitUser.VIEWER, "/flags?pastKillDate=true&owner=team-other")))
        .containsExactly(key);
    Map<String, Object> clear = new LinkedHashMap<>();
    clear.put("killDate", null);
    KitResponse cleared =
        admin(app, KitUser.EDITOR, "PUT", "/flags/" + key + "/metadata", json(clear));
    assertThat(cleared.at("summary.killDate")).isEqualTo(JsonValue.NULL);
    assertProblem(
        admin(
            app,
            KitUser.EDITOR,
            "PUT",
            "/flags/" + key + "/metadata",
            json(Map.of("killDate", "soon"))),
        400,
        "bad-request");
    assertProblem(
        admin(app, KitUser.EDITOR, "PUT", "/flags/" + key + "/metadata", json(Map.of())),
        400,
        "bad-request");
  }

  @Test
  void restoresAnEarlierVersion(TestInfo test) {
    String key = key(test);
    create(rich(key));
    admin(app, KitUser.EDITOR, "POST", "/flags/" + key + "/off", null);
    KitResponse r =
        admin(
            app,
            KitUser.EDITOR,
            "POST",
            "/flags/" + key + "/restore",
            json(Map.of("version", 1, "reason", "undo")));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.at("summary.on")).isEqualTo(JsonValue.TRUE);
    assertThat(r.header("ETag")).contains("\"3\"");
    assertThat(r.text("summary.lastChange.action")).isEqualTo("restore");
    assertProblem(
        admin(
            app, KitUser.EDITOR, "POST", "/flags/" + key + "/restore", json(Map.of("version", 99))),
        400,
        "bad-request");
    assertProblem(
        admin(app, KitUser.EDITOR, "POST", "/flags/" + key + "/restore", json(Map.of())),
        400,
        "bad-request");
  }

  // ---------------------------------------------------------------- explain and audit

  @Test
  void explainsWhatAFlagServesAndWhy(TestInfo test) {
    String key = key(test);
    create(rich(key));
    KitResponse rule =
        get(app, KitUser.VIEWER, "/flags/" + key + "/explain?key=dave&attr.country=DE");
    assertThat(rule.status()).as(rule.toString()).isEqualTo(200);
    assertThat(rule.at("value")).isEqualTo(JsonValue.TRUE);
    assertThat(Kit.number(rule.at("variation"))).isEqualByComparingTo("1");
    assertThat(rule.text("reason")).isEqualTo("RULE_MATCH");
    assertThat(Kit.number(rule.at("ruleIndex"))).isEqualByComparingTo("0");
    assertThat(rule.text("ruleId")).isEqualTo("de");
    assertThat(rule.text("context.attributes.country")).isEqualTo("DE");
    assertThat(rule.text("explanation"))
        .isEqualTo("rule 0 (de) matched: serves variation 1 (true)");
    KitResponse target = get(app, KitUser.VIEWER, "/flags/" + key + "/explain?key=alice");
    assertThat(target.text("reason")).isEqualTo("TARGET_MATCH");
    KitResponse fallthrough =
        get(app, KitUser.VIEWER, "/flags/" + key + "/explain?key=erin&attr.tenantId=acme");
    assertThat(fallthrough.text("reason")).isEqualTo("FALLTHROUGH");
    assertThat(fallthrough.at("bucket")).isInstanceOf(JsonValue.Num.class);
    KitResponse anonymous =
        get(app, KitUser.VIEWER, "/flags/" + key + "/explain?key=alice&anonymous=true");
    assertThat(anonymous.at("context.anonymous")).isEqualTo(JsonValue.TRUE);
    assertProblem(
        get(app, KitUser.VIEWER, "/flags/kit_never_made/explain?key=x"), 404, "not-found");
    assertProblem(get(app, KitUser.VIEWER, "/flags/" + key + "/explain"), 400, "bad-request");
    assertProblem(
        get(app, KitUser.VIEWER, "/flags/" + key + "/explain?key=x&country=DE"),
        400,
        "bad-request");
  }

  @Test
  void theAuditLogSaysWhoChangedWhatAndHow(TestInfo test) {
    String key = key(test);
    create(rich(key));
    admin(app, KitUser.EDITOR, "POST", "/flags/" + key + "/off", json(Map.of("reason", "INC-9")));
    admin(app, KitUser.EDITOR, "PUT", "/flags/" + key + "/rollout", json(Map.of("percentage", 25)));
    admin(
        app,
        KitUser.EDITOR,
        "POST",
        "/flags/" + key + "/targets",
        json(Map.of("value", true, "add", List.of("bob"), "reason", "beta")));
    admin(
        app,
        KitUser.EDITOR,
        "POST",
        "/flags/" + key + "/targets",
        json(Map.of("value", true, "remove", List.of("alice"))));
    KitResponse r = get(app, KitUser.VIEWER, "/flags/" + key + "/audit");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    List<JsonValue> entries = Kit.elements(r.at("entries"));
    assertThat(entries).hasSize(5);
    assertThat(Kit.texts(Kit.at(entries.get(0), "diff"))).containsExactly("targets: −alice");
    assertThat(Kit.texts(Kit.at(entries.get(1), "diff"))).containsExactly("targets: +bob");
    assertThat(Kit.texts(Kit.at(entries.get(2), "diff"))).containsExactly("rollout: 10% → 25%");
    assertThat(Kit.texts(Kit.at(entries.get(3), "diff"))).containsExactly("on: true → false");
    assertThat(Kit.texts(Kit.at(entries.get(4), "diff"))).containsExactly("created");
    assertThat(Kit.text(Kit.at(entries.get(3), "reason"))).isEqualTo("INC-9");
    for (JsonValue e : entries) {
      assertThat(Kit.text(Kit.at(e, "actor"))).isEqualTo(KitUser.EDITOR.username());
      assertThat(Kit.text(Kit.at(e, "key"))).isEqualTo(key);
      assertThat(Kit.text(Kit.at(e, "kind"))).isEqualTo("flag");
    }
    assertThat(
            Kit.elements(get(app, KitUser.VIEWER, "/audit?flag=" + key + "&limit=2").at("entries")))
        .hasSize(2);
    assertThat(
            Kit.elements(
                get(app, KitUser.VIEWER, "/audit?flag=" + key + "&actor=someone-else")
                    .at("entries")))
        .isEmpty();
    assertThat(
            Kit.elements(
                get(app, KitUser.VIEWER, "/audit?flag=" + key + "&since=1h").at("entries")))
        .hasSize(5);
    assertThat(
            Kit.elements(
                get(app, KitUser.VIEWER, "/audit?flag=" + key + "&until=2000-01-01").at("entries")))
        .isEmpty();
    String since = Instant.now().minusSeconds(3600).toString();
    assertThat(
            Kit.elements(
                get(app, KitUser.VIEWER, "/audit?flag=" + key + "&since=" + since).at("entries")))
        .hasSize(5);
    assertProblem(get(app, KitUser.VIEWER, "/audit?limit=1001"), 400, "bad-request");
    assertProblem(get(app, KitUser.VIEWER, "/audit?since=yesterday"), 400, "bad-request");
  }

  @Test
  void theActorIsTheAuthenticatedCallerNeverTheBody(TestInfo test) {
    String key = key(test);
    create(rich(key));
    assertProblem(
        admin(
            app,
            KitUser.EDITOR,
            "POST",
            "/flags/" + key + "/off",
            json(Map.of("actor", "mallory"))),
        400,
        "bad-request");
    admin(app, KitUser.EDITOR, "POST", "/flags/" + key + "/off", null, "X-Actor", "mallory");
    KitResponse audit = get(app, KitUser.VIEWER, "/flags/" + key + "/audit?limit=1");
    assertThat(Kit.text(audit.at("entries[0].actor"))).isEqualTo(KitUser.EDITOR.username());
  }

  // ---------------------------------------------------------------- segments and status

  @Test
  void managesSegments(TestInfo test) {
    String key = key(test);
    String body = json(Map.of("included", List.of("alice"), "description", "kit testers"));
    KitResponse put = admin(app, KitUser.EDITOR, "PUT", "/segments/" + key, body);
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    assertThat(put.header("ETag")).contains("\"1\"");
    KitResponse one = get(app, KitUser.VIEWER, "/segments/" + key);
    assertThat(Kit.texts(one.at("definition.included"))).containsExactly("alice");
    assertThat(one.header("ETag")).contains("\"1\"");
    KitResponse list = get(app, KitUser.VIEWER, "/segments");
    JsonValue summary = find(list.at("segments"), key);
    assertThat(Kit.number(Kit.at(summary, "included"))).isEqualByComparingTo("1");
    assertThat(Kit.text(Kit.at(summary, "description"))).isEqualTo("kit testers");
    assertProblem(
        admin(app, KitUser.EDITOR, "PUT", "/segments/" + key, body, "If-Match", "\"7\""),
        409,
        "version-conflict");
    assertProblem(
        admin(app, KitUser.EDITOR, "PUT", "/segments/" + key, json(Map.of("included", "alice"))),
        400,
        "invalid-definition");
    assertThat(admin(app, KitUser.EDITOR, "DELETE", "/segments/" + key, null).status())
        .isEqualTo(204);
    assertProblem(get(app, KitUser.VIEWER, "/segments/" + key), 404, "not-found");
    assertProblem(admin(app, KitUser.EDITOR, "DELETE", "/segments/" + key, null), 404, "not-found");
    assertProblem(
        admin(app, KitUser.EDITOR, "PUT", "/segments/" + key, body, "If-Match", "\"1\""),
        412,
        "precondition-failed");
  }

  @Test
  void reportsTheStatus() {
    KitResponse r = get(app, KitUser.VIEWER, "/status");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.at("up")).isEqualTo(JsonValue.TRUE);
    assertThat(r.text("details.status")).isEqualTo("OK");
    assertThat(r.text("instance")).isEqualTo(app.boundSettings().redis().instanceName());
    assertThat(Kit.members(r.json()).keySet())
        .containsExactly("up", "details", "instance", "lastSync");
  }

  // ---------------------------------------------------------------- guarded rollouts

  @Test
  void aGuardedRolloutWithoutRedisIsExplainedNotServed(TestInfo test) {
    // The shared application's store is not Redis, so it has no RolloutPlans: the routes exist,
    // keep the API's security, and say what they need (flags-integration's
    // AdminApiGuardedRolloutTest serves them over a real redis-server).
    String key = key(test);
    create(
        json(
            Map.of(
                "key", key,
                "variations", List.of(false, true),
                "fallthrough", Map.of("variation", 0),
                "guardedRollout", Map.of())));
    KitResponse r = get(app, KitUser.VIEWER, "/flags/" + key + "/guarded-rollout");
    assertProblem(r, 409, "rollouts-unavailable");
    assertThat(r.text("detail")).contains("need a Redis store");
    assertProblem(
        admin(app, KitUser.VIEWER, "POST", "/flags/" + key + "/guarded-rollout/pause", null),
        403,
        "forbidden");
    assertProblem(
        admin(app, KitUser.EDITOR, "POST", "/flags/" + key + "/guarded-rollout/abort", null),
        409,
        "rollouts-unavailable");
    assertProblem(get(app, KitUser.VIEWER, "/flags/kit_static/guarded-rollout"), 404, "not-found");
  }

  // ---------------------------------------------------------------- security and errors

  @Test
  void everyCallNeedsAnAuthenticatedCallerWithTheRole(TestInfo test) {
    String key = key(test);
    create(rich(key));
    assertThat(get(app, KitUser.NONE, "/flags").status()).isEqualTo(401);
    assertThat(admin(app, KitUser.NONE, "POST", "/flags/" + key + "/off", null).status())
        .isEqualTo(401);
    assertProblem(get(app, KitUser.NO_ROLE, "/flags"), 403, "forbidden");
    assertThat(get(app, KitUser.VIEWER, "/flags").status()).isEqualTo(200);
    assertThat(get(app, KitUser.EDITOR, "/flags").status()).isEqualTo(200);
    assertProblem(
        admin(app, KitUser.VIEWER, "POST", "/flags/" + key + "/off", null), 403, "forbidden");
    assertThat(get(app, KitUser.VIEWER, "/flags/" + key).at("summary.on"))
        .isEqualTo(JsonValue.TRUE);
  }

  @Test
  void unknownRoutesAndMethodsAreProblems() {
    assertProblem(get(app, KitUser.VIEWER, "/nothing/here"), 404, "no-route");
    KitResponse r = admin(app, KitUser.EDITOR, "PATCH", "/flags", "{}");
    assertProblem(r, 405, "method-not-allowed");
    assertThat(r.header("Allow")).contains("GET, POST");
  }

  @Test
  void aBodyOverTheLimitIsRefused(TestInfo test) {
    String key = key(test);
    create(rich(key));
    String reason = "x".repeat(1024 * 1024);
    KitResponse r =
        admin(
            app,
            KitUser.EDITOR,
            "POST",
            "/flags/" + key + "/off",
            "{\"reason\":\"" + reason + "\"}");
    assertProblem(r, 413, "too-large");
  }

  @Test
  void anUpperCaseTrueMountsTheApiAsTheSettingsBinderReadsIt() throws Exception {
    // The binder reads booleans in any case; Micronaut's @Requires(value = "true") did not, so
    // flags.admin.enabled=TRUE mounted the API in Spring Boot and not in Micronaut.
    KitApplication upper =
        startForTest(Map.of("flags.admin.enabled", "TRUE", "flags.static.kit_static", "true"));
    KitResponse list = get(upper, KitUser.VIEWER, "/flags");
    assertThat(list.status()).as(list.toString()).isEqualTo(200);
  }

  @Test
  void writesAreRefusedUntilEnabled() throws Exception {
    KitApplication readOnly = startForTest(Map.of("flags.admin.enabled", "true"));
    KitResponse r = admin(readOnly, KitUser.EDITOR, "POST", "/flags/kit_static/off", null);
    assertProblem(r, 405, "writes-disabled");
    assertThat(r.text("property")).isEqualTo("flags.admin.write-enabled");
    assertThat(r.text("detail")).contains("flags.admin.write-enabled=true");
    KitResponse list = get(readOnly, KitUser.VIEWER, "/flags");
    assertThat(list.at("writable")).isEqualTo(JsonValue.FALSE);
  }

  @Test
  void aReadOnlyStoreSaysWhy() throws Exception {
    KitApplication classpath =
        startForTest(
            Map.of(
                "flags.admin.enabled", "true",
                "flags.admin.write-enabled", "true",
                "flags.fail-fast-timeout", "10s",
                "flags.file.path", "classpath:dev/flags/integration/kit/kit-flags.json"));
    KitResponse list = get(classpath, KitUser.VIEWER, "/flags");
    assertThat(list.at("writable")).isEqualTo(JsonValue.FALSE);
    assertThat(list.text("readOnlyReason")).contains("classpath");
    assertThat(keys(list)).containsExactly("kit_file_flag");
    KitResponse r = admin(classpath, KitUser.EDITOR, "POST", "/flags/kit_file_flag/off", null);
    assertProblem(r, 409, "read-only-store");
    assertThat(r.text("detail")).contains("classpath");
  }

  @Test
  void anUnreachableStoreIsServiceUnavailable() throws Exception {
    KitRepository repository = new KitRepository();
    KitApplication down =
        startForTest(KitOptions.of(SETTINGS).withAdmin(FlagAdmin.over(repository)));
    repository.unavailable(true);
    KitResponse read = get(down, KitUser.VIEWER, "/flags");
    assertProblem(read, 503, "store-unavailable");
    assertThat(read.at("mayHaveBeenApplied")).isEqualTo(JsonValue.FALSE);
    assertThat(read.header("Retry-After")).isPresent();
    repository.unavailable(false);
    repository.failWrites(true);
    KitResponse write = admin(down, KitUser.EDITOR, "POST", "/flags", rich("kit_unreachable"));
    assertProblem(write, 503, "store-unavailable");
    assertThat(write.at("mayHaveBeenApplied")).isEqualTo(JsonValue.TRUE);
    repository.failWrites(false);
    assertThat(get(down, KitUser.VIEWER, "/flags").status()).isEqualTo(200);
  }

  @Test
  void aMalformedFlagIsListedWithItsProblem() throws Exception {
    KitRepository repository = new KitRepository();
    repository.putRaw("kit_broken", "{\"variations\": [false, true], \"offVariation\": 3}");
    KitApplication withBroken =
        startForTest(KitOptions.of(SETTINGS).withAdmin(FlagAdmin.over(repository)));
    KitResponse list = get(withBroken, KitUser.VIEWER, "/flags?malformed=true");
    JsonValue summary = find(list.at("flags"), "kit_broken");
    assertThat(Kit.text(Kit.at(summary, "malformed"))).contains("offVariation");
    assertThat(Kit.at(summary, "on")).isEqualTo(JsonValue.NULL);
    KitResponse one = get(withBroken, KitUser.VIEWER, "/flags/kit_broken");
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.at("definition")).isEqualTo(JsonValue.NULL);
    assertThat(one.text("stored")).contains("\"offVariation\": 3");
    assertThat(one.text("malformed")).contains("offVariation");
    KitResponse edit = admin(withBroken, KitUser.EDITOR, "POST", "/flags/kit_broken/on", null);
    assertProblem(edit, 409, "malformed-definition");
    assertThat(Kit.number(edit.at("currentVersion"))).isEqualByComparingTo("1");
    KitResponse repaired =
        admin(withBroken, KitUser.EDITOR, "PUT", "/flags/kit_broken", "false", "If-Match", "\"1\"");
    assertThat(repaired.status()).as(repaired.toString()).isEqualTo(200);
    assertThat(repaired.at("summary.malformed")).isEqualTo(JsonValue.NULL);
  }

  @Test
  void insecureLocalDevelopmentServesLoopbackAsTheLocalDeveloper() throws Exception {
    KitApplication local =
        startForTest(
            KitOptions.of(SETTINGS)
                .with("flags.admin.insecure-local-development", "true")
                .withoutSecurity());
    KitResponse r = admin(local, KitUser.NONE, "POST", "/flags/kit_static/off", null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.text("summary.lastChange.actor")).isEqualTo("local-developer");
  }

  @Test
  void withoutSecurityTheApiDoesNotStart() {
    Throwable failure = KitStart.failure(() -> start(KitOptions.of(SETTINGS).withoutSecurity()));
    assertThat(KitStart.configurationError(failure).property()).isEqualTo("flags.admin.enabled");
  }

  // ---------------------------------------------------------------- helpers

  protected static JsonValue find(JsonValue array, String key) {
    for (JsonValue e : Kit.elements(array)) {
      if (Kit.text(Kit.at(e, "key")).equals(key)) {
        return e;
      }
    }
    throw new AssertionError("no " + key + " in " + Kit.CODEC.write(array));
  }

  protected static List<String> keys(KitResponse r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    List<String> keys = new ArrayList<>();
    for (JsonValue e : Kit.elements(r.at("flags"))) {
      keys.add(Kit.text(Kit.at(e, "key")));
    }
    return keys;
  }
}
