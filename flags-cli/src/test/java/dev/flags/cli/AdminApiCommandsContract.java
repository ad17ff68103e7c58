package dev.flags.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.JsonValue;
import dev.flags.core.json.FlagCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * flagctl against a running application's admin HTTP API (docs/admin-api.md), through the launcher.
 * A subclass gives the API's base URL and the credentials of an editor and of a viewer; the tests
 * seed the flags they need through the API itself, so any application or flags-server with a
 * writable store and {@code flags.admin.write-enabled=true} can run them.
 *
 * <p>LEAD: once this branch has flags-integration (main since 4b06ca1), add it and its test-jar as
 * test dependencies and a subclass {@code JdkAdminApiCommandsIT} whose {@code @BeforeAll} starts
 * {@code JdkKitApplication.start(KitOptions.of(Map.of("flags.admin.enabled", "true",
 * "flags.admin.write-enabled", "true", "flags.file.path", <a temp flags.json holding {"flags":
 * {}}>)))}, with {@code baseUrl() = app.baseUri() + "/flags/api"}, the editor {@code
 * FLAGCTL_SERVER_USER=KitUser.EDITOR.username()} / {@code FLAGCTL_SERVER_PASSWORD=...password()}
 * (name {@code KitUser.EDITOR.username()}) and the viewer likewise. All seven tests passed so on
 * main 7c438d1 with this module.
 */
abstract class AdminApiCommandsContract {

  /** The admin API's base URL, e.g. {@code http://127.0.0.1:8080/flags/api}. */
  abstract String baseUrl();

  /**
   * flagctl's environment for a user with the editor role: {@code FLAGCTL_TOKEN}, or {@code
   * FLAGCTL_SERVER_USER} and {@code FLAGCTL_SERVER_PASSWORD}.
   */
  abstract Map<String, String> editor();

  /** The editor's name: the actor the server records. */
  abstract String editorName();

  /** flagctl's environment for a user with the viewer role only. */
  abstract Map<String, String> viewer();

  @TempDir Path tmp;
  Shell sh;

  @BeforeEach
  void seed() throws Exception {
    sh = new Shell(tmp.resolve("shell")).with("FLAGCTL_SERVER", baseUrl());
    editor().forEach(sh::with);
    for (JsonValue f : list()) {
      String key = ((JsonValue.Str) ((JsonValue.Obj) f).members().get("key")).value();
      http("DELETE", "/flags/" + key, null);
    }
    FlagSet set = FlagCodec.standard().decodeFlagSet(Fixtures.FLAGS);
    for (var s : set.segments().values()) {
      http("PUT", "/segments/" + s.key(), FlagCodec.standard().encode(s));
    }
    for (Flag f : set.flags().values()) {
      HttpResponse<String> r = http("POST", "/flags", FlagCodec.standard().encode(f));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
  }

  private java.util.List<JsonValue> list() throws Exception {
    HttpResponse<String> r = http("GET", "/flags", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return ((JsonValue.Arr)
            ((JsonValue.Obj) FlagCodec.standard().parse(r.body())).members().get("flags"))
        .elements();
  }

  private HttpResponse<String> http(String method, String path, String body) throws Exception {
    Map<String, String> e = editor();
    String auth =
        e.containsKey("FLAGCTL_TOKEN")
            ? "Bearer " + e.get("FLAGCTL_TOKEN")
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (e.get("FLAGCTL_SERVER_USER") + ":" + e.get("FLAGCTL_SERVER_PASSWORD"))
                            .getBytes(StandardCharsets.UTF_8));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl() + path))
            .header("Authorization", auth)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void listAndGetReadThroughTheApi() throws Exception {
    Shell.Result list = sh.run("list");
    assertThat(list.code()).as(list.both()).isZero();
    assertThat(list.out())
        .containsPattern(
            "new_checkout_flow +on +25% md5-percent-compat by tenantId +2 +1 +team-payments")
        .contains("3 flags in server " + baseUrl());
    Shell.Result get = sh.run("get", "new_checkout_flow");
    assertThat(get.out()).contains("rollout true 25%, false 75% (md5-percent-compat, by tenantId)");
    Shell.Result missing = sh.run("get", "nope");
    assertThat(missing.code()).isEqualTo(Exit.NOT_FOUND);
  }

  @Test
  void writesAreAuditedUnderTheAuthenticatedUser() throws Exception {
    Shell.Result kill = sh.run("kill", "new_checkout_flow", "--reason", "INC-7");
    assertThat(kill.code()).as(kill.both()).isZero();
    assertThat(kill.err())
        .isEqualTo("flagctl: no profile: server " + baseUrl() + " (from FLAGCTL_SERVER)\n");
    assertThat(kill.out()).contains("undo: flagctl on new_checkout_flow");
    Shell.Result audit = sh.run("audit", "new_checkout_flow");
    assertThat(audit.out())
        .containsPattern(editorName() + " +update +on: true -> false +\"INC-7\"");
    Shell.Result restore = sh.run("restore", "new_checkout_flow");
    assertThat(restore.code()).as(restore.both()).isZero();
    assertThat(restore.out()).contains("on: false -> true");
  }

  @Test
  void rolloutTargetsAndExplain() throws Exception {
    Shell.Result up = sh.run("rollout", "new_checkout_flow", "40%");
    assertThat(up.code()).as(up.both()).isZero();
    assertThat(up.out()).contains("rollout 25% -> 40%", "15% of users", "bucketBy tenantId kept");
    assertThat(sh.run("rollout", "new_checkout_flow", "10%").code()).isEqualTo(Exit.REFUSED);
    assertThat(sh.run("rollout", "new_checkout_flow", "120%").code()).isEqualTo(Exit.INVALID);
    Shell.Result add = sh.run("target", "add", "new_checkout_flow", "carol");
    assertThat(add.out()).contains("targets: +carol");
    Shell.Result explain = sh.run("explain", "new_checkout_flow", "--user", "carol");
    assertThat(explain.out()).contains("true (variation 1)", "TARGET_MATCH");
    assertThat(sh.run("explain", "new_checkout_flow", "--user", "u", "--attr", "country=DE").out())
        .contains("RULE_MATCH");
  }

  @Test
  void aStaleWriteIsRefusedWithWhoChangedIt() throws Exception {
    assertThat(sh.run("on", "new_ui_layout").code()).isZero();
    Shell.Result stale = sh.run("kill", "new_ui_layout", "--if-version", "1");
    assertThat(stale.code()).isEqualTo(Exit.CONFLICT);
    assertThat(stale.errorLine()).contains("version", editorName());
  }

  @Test
  void whatTheApiDoesNotOfferIsRefusedInOneLine() throws Exception {
    Shell.Result actor = sh.run("on", "new_ui_layout", "--actor", "mallory");
    assertThat(actor.code()).isEqualTo(Exit.INVALID);
    assertThat(actor.errorLine())
        .isEqualTo(
            "flagctl: --actor: the admin HTTP API records the user it authenticated, not a name"
                + " the caller picks; drop --actor (the server's credentials say who you are)");
    sh.write("f.json", Fixtures.FLAGS);
    assertThat(sh.run("diff", "f.json").out()).contains("0 to create, 0 to update, 0 to delete");
    sh.write(
        "f.json", Fixtures.FLAGS.replace("\"new_ui_layout\": false", "\"new_ui_layout\": true"));
    assertThat(sh.run("diff", "f.json").out())
        .containsPattern("update +flag +new_ui_layout +on: false -> true");
    Shell.Result imp = sh.run("import", "f.json", "--yes");
    assertThat(imp.code()).isEqualTo(Exit.INVALID);
    assertThat(imp.errorLine())
        .isEqualTo(
            "flagctl: the admin HTTP API has no all-or-nothing import, so flagctl does not import"
                + " through it; import into the store itself (--file or --redis); nothing was"
                + " written");
    assertThat(sh.run("adopt").code()).isEqualTo(Exit.INVALID);
  }

  @Test
  void aViewerCannotWrite() throws Exception {
    Shell v = new Shell(tmp.resolve("viewer")).with("FLAGCTL_SERVER", baseUrl());
    viewer().forEach(v::with);
    assertThat(v.run("list").code()).isZero();
    Shell.Result kill = v.run("on", "new_ui_layout");
    assertThat(kill.code()).as(kill.both()).isEqualTo(Exit.UNREACHABLE);
    assertThat(kill.errorLine()).contains("refused the request (403");
  }

  @Test
  void watchSeesAChange() throws Exception {
    try (Watcher w = new Watcher(sh)) {
      sh.run("on", "new_ui_layout", "--reason", "launch");
      assertThat(w.awaitLine(l -> l.contains("new_ui_layout")))
          .contains(editorName(), "on: false -> true", "\"launch\"");
    }
  }
}
