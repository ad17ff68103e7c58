package dev.flags.dashboard.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.integration.FlagsConfigurationException;
import dev.flags.integration.kit.Kit;
import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitBase;
import dev.flags.integration.kit.KitOptions;
import dev.flags.integration.kit.KitResponse;
import dev.flags.integration.kit.KitStart;
import dev.flags.integration.kit.KitUser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The dashboard inside an application (docs/dashboard.md, "Mounting it"): the same pages, roles,
 * CSRF check, audit actor and live event stream through every framework's adapter — the JDK kit
 * server, Spring Boot (Tomcat, Spring Security) and Micronaut (Netty, micronaut-security). A
 * difference between them is a bug in an adapter. The event stream test proves the adapter does not
 * buffer: the first event must reach the client while the response is still open.
 */
public abstract class DashboardKit extends KitBase {

  /** The admin API, the dashboard at its default path, and one flag in memory. */
  public static final Map<String, String> SETTINGS =
      Map.of(
          "flags.admin.enabled", "true",
          "flags.admin.write-enabled", "true",
          "flags.dashboard.enabled", "true",
          "flags.dashboard.environment", "kit",
          "flags.static.kit_static", "true");

  private static final Pattern CSRF = Pattern.compile("name=\"flags_csrf\" value=\"([^\"]+)\"");
  private static final Pattern VERSION = Pattern.compile("name=\"version\" value=\"(\\d+)\"");

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  @Test
  void isOffByDefault() throws Exception {
    Map<String, String> settings = new LinkedHashMap<>(SETTINGS);
    settings.remove("flags.dashboard.enabled");
    KitApplication app = startForTest(settings);
    KitResponse page = page(app, KitUser.EDITOR, "/");
    // 404, or 403 where the security rejects what no route serves (micronaut-security's
    // reject-not-found): either way, no page.
    assertThat(page.status()).as(page.toString()).isIn(403, 404);
    assertThat(page.body()).doesNotContain("kit_static");
    assertThat(get(app, KitUser.EDITOR, "/flags").status())
        .as("the admin API is still there")
        .isEqualTo(200);
  }

  @Test
  void refusesToStartWithoutSecurity() {
    Map<String, String> settings = new LinkedHashMap<>(SETTINGS);
    settings.remove("flags.admin.enabled");
    FlagsConfigurationException e =
        KitStart.configurationError(
            KitStart.failure(() -> start(KitOptions.of(settings).withoutSecurity())));
    assertThat(e.property()).isEqualTo("flags.dashboard.enabled");
  }

  @Test
  void pagesNeedTheViewerOrEditorRole() throws Exception {
    KitApplication app = startForTest(SETTINGS);
    assertThat(page(app, KitUser.NONE, "/").status()).isEqualTo(401);
    assertThat(page(app, KitUser.NO_ROLE, "/").status()).isEqualTo(403);
    KitResponse viewer = page(app, KitUser.VIEWER, "/flags/kit_static");
    assertThat(viewer.status()).isEqualTo(200);
    assertThat(viewer.header("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(viewer.body()).contains("kit_static").doesNotContain("method=\"post\"");
    KitResponse editor = page(app, KitUser.EDITOR, "/flags/kit_static");
    assertThat(editor.status()).isEqualTo(200);
    assertThat(editor.body()).contains("method=\"post\"");
    assertThat(page(app, KitUser.VIEWER, "/").body()).contains("kit_static");
  }

  @Test
  void servesItsAssetsAndKeepsTheAdminApiBelowIt() throws Exception {
    KitApplication app = startForTest(SETTINGS);
    KitResponse js = page(app, KitUser.VIEWER, "/assets/dashboard.js");
    assertThat(js.status()).isEqualTo(200);
    assertThat(js.header("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).contains("javascript"));
    KitResponse api = get(app, KitUser.VIEWER, "/flags/kit_static");
    assertThat(api.status()).as("/flags/api is the API's, not a dashboard page").isEqualTo(200);
    assertThat(api.text("key")).isEqualTo("kit_static");
  }

  @Test
  void anEditorsChangeIsAuditedUnderTheAuthenticatedUser() throws Exception {
    KitApplication app = startForTest(SETTINGS);
    KitResponse page = page(app, KitUser.EDITOR, "/flags/kit_static");
    KitResponse posted =
        post(
            app,
            KitUser.EDITOR,
            "/flags/kit_static/state",
            Map.of(
                "flags_csrf", group(CSRF, page.body()),
                "version", group(VERSION, page.body()),
                "on", "false",
                "confirm", "yes",
                "reason", "kit: turned off in the dashboard",
                // Never taken as the actor: the caller is who the security says.
                "actor", "mallory"));
    assertThat(posted.status()).as(posted.toString()).isEqualTo(303);
    assertThat(on(app)).isFalse();
    KitResponse audit = get(app, KitUser.VIEWER, "/flags/kit_static/audit");
    assertThat(audit.body()).contains("\"actor\":\"kit-editor\"").doesNotContain("mallory");
    assertThat(audit.body()).contains("kit: turned off in the dashboard");
  }

  @Test
  void aViewersChangeIsRefused() throws Exception {
    KitApplication app = startForTest(SETTINGS);
    KitResponse page = page(app, KitUser.VIEWER, "/flags/kit_static");
    // A forged form: the viewer's own token and the version are easy to come by.
    KitResponse posted =
        post(
            app,
            KitUser.VIEWER,
            "/flags/kit_static/state",
            Map.of(
                "flags_csrf", group(CSRF, page(app, KitUser.EDITOR, "/flags/kit_static").body()),
                "version", "1",
                "on", "false",
                "confirm", "yes"));
    assertThat(page.status()).isEqualTo(200);
    assertThat(posted.status()).isEqualTo(403);
    assertThat(on(app)).isTrue();
  }

  @Test
  void aChangeWithoutTheCsrfTokenIsRefused() throws Exception {
    KitApplication app = startForTest(SETTINGS);
    KitResponse posted =
        post(
            app,
            KitUser.EDITOR,
            "/flags/kit_static/state",
            Map.of("version", "1", "on", "false", "confirm", "yes"));
    assertThat(posted.status()).isEqualTo(403);
    assertThat(on(app)).isTrue();
  }

  @Test
  void theEventStreamSendsEachEventAsItHappens() throws Exception {
    KitApplication app = startForTest(SETTINGS);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(dashboard(app, "/events")).header("Accept", "text/event-stream");
    app.authenticate(b, KitUser.VIEWER);
    HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // closed by the test
              }
            },
            "kit-event-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      // A few bytes, in an open response: a buffering adapter holds them back.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(lines).contains("event: hello"));
      KitResponse off =
          admin(app, KitUser.EDITOR, "POST", "/flags/kit_static/off", "{\"reason\":\"kit\"}");
      assertThat(off.status()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(lines)
                      .contains("event: flag")
                      .anySatisfy(l -> assertThat(l).startsWith("data: ").contains("kit_static")));
    } finally {
      r.body().close();
      reader.interrupt();
    }
  }

  @Test
  void aGuardedRolloutWithoutRedisIsShownAndCannotBeChanged() throws Exception {
    // The kit's store is not Redis, so no adapter gives the dashboard RolloutPlans: the plan is
    // shown, its state is said to need Redis, and there is nothing to press.
    KitApplication app = startForTest(SETTINGS);
    KitResponse created =
        admin(
            app,
            KitUser.EDITOR,
            "POST",
            "/flags",
            "{\"key\":\"kit_planned\",\"variations\":[false,true],"
                + "\"fallthrough\":{\"variation\":0},\"guardedRollout\":{}}");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    KitResponse page = page(app, KitUser.EDITOR, "/flags/kit_planned");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body())
        .contains("<h2 id=\"h-plan\">Guarded rollout</h2>", "this dashboard has no Redis store")
        .contains("1% for at least 10 min and 100 requests of on")
        .doesNotContain("id=\"plan-pause\"");
    KitResponse posted =
        post(
            app,
            KitUser.EDITOR,
            "/flags/kit_planned/plan-pause",
            Map.of(
                "flags_csrf", group(CSRF, page.body()),
                "version", group(VERSION, page.body()),
                "confirm", "yes"));
    assertThat(posted.status()).isEqualTo(409);
    assertThat(posted.body()).contains("Guarded rollouts need a Redis store");
  }

  // ---------------------------------------------------------------- helpers

  /** The dashboard's address of a page: {@code /} is all flags. */
  protected static URI dashboard(KitApplication app, String path) {
    String base = app.baseUri().toString();
    return URI.create(
        (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
            + app.boundSettings().dashboard().path()
            + path);
  }

  /** A GET of a dashboard page as {@code user}. */
  protected static KitResponse page(KitApplication app, KitUser user, String path) {
    return Kit.send(app, user, "GET", dashboard(app, path), null);
  }

  /** A form POST to the dashboard as {@code user}, as a browser sends it. */
  protected static KitResponse post(
      KitApplication app, KitUser user, String path, Map<String, String> form) throws Exception {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(dashboard(app, path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    app.authenticate(b, user);
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new KitResponse(r.statusCode(), r.headers(), r.body());
  }

  /** Whether kit_static is on, as the admin API reads it. */
  private static boolean on(KitApplication app) {
    KitResponse r = get(app, KitUser.VIEWER, "/flags/kit_static");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return Kit.CODEC.write(r.at("definition.on")).equals("true");
  }

  private static String group(Pattern p, String text) {
    Matcher m = p.matcher(text);
    assertThat(m.find()).as(p + " in the page").isTrue();
    return m.group(1);
  }
}
