package dev.flags.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flags.core.Clause;
import dev.flags.core.Flag;
import dev.flags.core.Operator;
import dev.flags.core.Rule;
import dev.flags.core.Subscription;
import dev.flags.core.admin.Change;
import dev.flags.integration.FlagsConfigurationException;
import dev.flags.integration.FlagsEventStream;
import dev.flags.integration.FlagsHttpRequest;
import dev.flags.integration.FlagsHttpResponse;
import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.FlagsSettings;
import dev.flags.integration.SettingsSource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handler without a browser: security, escaping, forms, errors, the event stream. */
class DashboardTest {

  static final FlagsHttpRequest.Caller ALICE =
      new FlagsHttpRequest.Caller("alice", r -> r.equals("FLAGS_EDITOR"));
  static final FlagsHttpRequest.Caller VICTOR =
      new FlagsHttpRequest.Caller("victor", r -> r.equals("FLAGS_VIEWER"));
  static final FlagsHttpRequest.Caller NOBODY = new FlagsHttpRequest.Caller("mallory", r -> false);

  FlagsRuntime runtime;
  Dashboard dashboard;

  @BeforeEach
  void start() {
    runtime =
        FlagsRuntime.builder(
                FlagsSettings.from(
                    SettingsSource.of(
                        Map.of(
                            "flags.dashboard.enabled", "true",
                            "flags.dashboard.environment", "staging",
                            "flags.static.canary", "true"))))
            .build();
    runtime
        .admin()
        .replace(
            Flag.builder("canary")
                .description("<script>alert(1)</script> & more")
                .owner("team \"x\"")
                .rule(
                    Rule.when(
                            Clause.in("country", "DE", "FR"),
                            Clause.in("plan", "pro"),
                            Clause.of("version", Operator.SEMVER_GT, "2.0.0").negated())
                        .serve(true))
                .percentageRollout(10)
                .build(),
            Change.by("seed"));
    dashboard = Dashboard.builder(runtime).build();
  }

  @AfterEach
  void stop() {
    dashboard.close();
    runtime.close();
  }

  static FlagsHttpRequest get(String path, FlagsHttpRequest.Caller caller) {
    return new FlagsHttpRequest(
        "GET", path, Map.of(), Map.of(), "", Optional.ofNullable(caller), "127.0.0.1");
  }

  static FlagsHttpRequest post(
      String path, Map<String, String> form, FlagsHttpRequest.Caller caller) {
    StringBuilder body = new StringBuilder();
    form.forEach(
        (k, v) ->
            body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return new FlagsHttpRequest(
        "POST", path, Map.of(), Map.of(), body.toString(), Optional.of(caller), "127.0.0.1");
  }

  static String csrf(String page) {
    Matcher m = Pattern.compile("name=\"flags_csrf\" value=\"([^\"]+)\"").matcher(page);
    assertThat(m.find()).as("the page has a CSRF field").isTrue();
    return m.group(1);
  }

  long version() {
    return runtime.admin().get("canary").orElseThrow().version();
  }

  @Test
  void everyTextFromAFlagIsEscaped() {
    String page = dashboard.handle(get("/", ALICE)).body();
    assertThat(page)
        .doesNotContain("<script>alert(1)</script>")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more")
        .contains("team &quot;x&quot;");
    String flag = dashboard.handle(get("/flags/canary", ALICE)).body();
    assertThat(flag).doesNotContain("<script>alert(1)</script>");
  }

  @Test
  void rulesReadAsSentences() {
    String flag = dashboard.handle(get("/flags/canary", ALICE)).body();
    assertThat(flag)
        .contains("country in DE, FR and plan = pro and version not &gt; version 2.0.0 → on");
  }

  @Test
  void pagesAreHtmlWithAStrictContentSecurityPolicy() {
    FlagsHttpResponse r = dashboard.handle(get("/", ALICE));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(r.header("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'", "frame-ancestors 'none'");
    assertThat(dashboard.handle(get("/assets/dashboard.js", null)).body()).contains("EventSource");
  }

  @Test
  void withoutACallerOrARoleNothingIsShown() {
    FlagsHttpResponse none = dashboard.handle(get("/", null));
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.body()).doesNotContain("canary");
    FlagsHttpResponse noRole = dashboard.handle(get("/flags/canary", NOBODY));
    assertThat(noRole.status()).isEqualTo(403);
    assertThat(noRole.body()).contains("FLAGS_VIEWER").doesNotContain("DE, FR");
  }

  @Test
  void aViewerGetsNoFormAndItsWriteIsRefused() {
    String page = dashboard.handle(get("/flags/canary", VICTOR)).body();
    assertThat(page).doesNotContain("method=\"post\"");
    long v = version();
    FlagsHttpResponse r =
        dashboard.handle(
            post(
                "/flags/canary/state",
                Map.of("on", "false", "confirm", "yes", "version", Long.toString(v)),
                VICTOR));
    assertThat(r.status()).isEqualTo(403);
    assertThat(version()).isEqualTo(v);
  }

  @Test
  void aWriteWithoutTheTokenOfItsUserIsRefused() {
    String alicesToken = csrf(dashboard.handle(get("/flags/canary", ALICE)).body());
    FlagsHttpRequest.Caller bob = new FlagsHttpRequest.Caller("bob", r -> r.equals("FLAGS_EDITOR"));
    long v = version();
    for (Map<String, String> form :
        List.of(
            Map.of("on", "false", "confirm", "yes", "version", Long.toString(v)),
            Map.of(
                "on",
                "false",
                "confirm",
                "yes",
                "version",
                Long.toString(v),
                Dashboard.CSRF_FIELD,
                alicesToken))) {
      FlagsHttpResponse r = dashboard.handle(post("/flags/canary/state", form, bob));
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.body()).contains("not from this dashboard");
    }
    assertThat(version()).isEqualTo(v);
  }

  @Test
  void aChangeIsConfirmedThenAppliedAsTheCallerAndRedirected() {
    String token = csrf(dashboard.handle(get("/flags/canary", ALICE)).body());
    long v = version();
    Map<String, String> form = new LinkedHashMap<>();
    form.put(Dashboard.CSRF_FIELD, token);
    form.put("version", Long.toString(v));
    form.put("on", "false");
    form.put("reason", "INC-1");
    FlagsHttpResponse confirm = dashboard.handle(post("/flags/canary/state", form, ALICE));
    assertThat(confirm.status()).isEqualTo(200);
    assertThat(confirm.body()).contains("Turn off canary in staging?");
    assertThat(version()).isEqualTo(v);
    form.put("confirm", "yes");
    FlagsHttpResponse done = dashboard.handle(post("/flags/canary/state", form, ALICE));
    assertThat(done.status()).isEqualTo(303);
    assertThat(done.header("Location")).contains("/flags/flags/canary?saved=" + (v + 1));
    var entry =
        runtime
            .admin()
            .audit(dev.flags.core.admin.AuditQuery.builder().flag("canary").limit(1).build())
            .get(0);
    assertThat(entry.actor()).isEqualTo("alice");
    assertThat(entry.reason()).isEqualTo("INC-1");
  }

  @Test
  void aFormFieldCannotChooseTheActor() {
    String token = csrf(dashboard.handle(get("/flags/canary", ALICE)).body());
    dashboard.handle(
        post(
            "/flags/canary/metadata",
            Map.of(
                Dashboard.CSRF_FIELD,
                token,
                "version",
                Long.toString(version()),
                "owner",
                "team-y",
                "actor",
                "somebody-else"),
            ALICE));
    var entry =
        runtime
            .admin()
            .audit(dev.flags.core.admin.AuditQuery.builder().flag("canary").limit(1).build())
            .get(0);
    assertThat(entry.actor()).isEqualTo("alice");
  }

  @Test
  void aStaleVersionIsAConflictThatNamesWhoChangedIt() {
    String token = csrf(dashboard.handle(get("/flags/canary", ALICE)).body());
    long v = version();
    runtime.admin().setRolloutPercentage("canary", 50, Change.by("bob").because("more"));
    FlagsHttpResponse r =
        dashboard.handle(
            post(
                "/flags/canary/rollout",
                Map.of(
                    Dashboard.CSRF_FIELD,
                    token,
                    "version",
                    Long.toString(v),
                    "percentage",
                    "20",
                    "confirm",
                    "yes"),
                ALICE));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.body()).contains("bob changed this flag", "(“more”)", "Nothing was changed");
    assertThat(runtime.admin().get("canary").orElseThrow().version()).isEqualTo(v + 1);
  }

  @Test
  void badInputIsA400PageSayingWhy() {
    String token = csrf(dashboard.handle(get("/flags/canary", ALICE)).body());
    FlagsHttpResponse r =
        dashboard.handle(
            post(
                "/flags/canary/rollout",
                Map.of(
                    Dashboard.CSRF_FIELD,
                    token,
                    "version",
                    Long.toString(version()),
                    "percentage",
                    "120"),
                ALICE));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("percentage: a number from 0 to 100, got 120");
    FlagsHttpResponse kill =
        dashboard.handle(
            post(
                "/flags/canary/metadata",
                Map.of(
                    Dashboard.CSRF_FIELD,
                    token,
                    "version",
                    Long.toString(version()),
                    "killDate",
                    "next week"),
                ALICE));
    assertThat(kill.status()).isEqualTo(400);
    assertThat(kill.body()).contains("killDate: a date such as 2026-06-30");
  }

  @Test
  void pastedTargetsAreAddedInOneChange() {
    String token = csrf(dashboard.handle(get("/flags/canary", ALICE)).body());
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      keys.add("user-" + i);
    }
    FlagsHttpResponse r =
        dashboard.handle(
            post(
                "/flags/canary/targets",
                Map.of(
                    Dashboard.CSRF_FIELD,
                    token,
                    "version",
                    Long.toString(version()),
                    "variation",
                    "1",
                    "add",
                    String.join("\n", keys)),
                ALICE));
    assertThat(r.status()).isEqualTo(303);
    Flag f = runtime.admin().get("canary").orElseThrow().flag();
    assertThat(f.targets().get(0).keys()).hasSize(5000);
    String page = dashboard.handle(get("/flags/canary", ALICE)).body();
    assertThat(page).contains("Get on (5000)", "and 4900 more");
  }

  @Test
  void unknownPagesAndFlagsAre404() {
    assertThat(dashboard.handle(get("/nowhere", ALICE)).status()).isEqualTo(404);
    assertThat(dashboard.handle(get("/flags/missing", ALICE)).status()).isEqualTo(404);
    assertThat(dashboard.handle(get("/flags/bad%20key", ALICE)).status()).isEqualTo(404);
  }

  @Test
  void withoutSecurityItStartsOnlyForLocalDevelopmentAndServesLoopbackOnly() {
    assertThatThrownBy(() -> Dashboard.builder(runtime).securityAvailable(false).build())
        .isInstanceOf(FlagsConfigurationException.class)
        .hasMessageContaining("flags.dashboard.insecure-local-development");
    try (FlagsRuntime local =
            FlagsRuntime.builder(
                    FlagsSettings.from(
                        SettingsSource.of(
                            Map.of("flags.dashboard.insecure-local-development", "true"))))
                .build();
        Dashboard d = Dashboard.builder(local).securityAvailable(false).build()) {
      assertThat(d.handle(get("/", null)).status()).isEqualTo(200);
      assertThat(d.handle(get("/", null)).body()).contains("local-developer · editor");
      FlagsHttpRequest remote =
          new FlagsHttpRequest("GET", "/", Map.of(), Map.of(), "", Optional.empty(), "10.1.2.3");
      assertThat(d.handle(remote).status()).isEqualTo(403);
    }
  }

  @Test
  void aDashboardOverAClientAndAnAdminOfTheApplicationsOwnShowsTheSamePages() {
    try (Dashboard own =
        Dashboard.builder(runtime.flags(), runtime.admin(), runtime.settings()).build()) {
      assertThat(own.handle(get("/", ALICE)).body()).contains("id=\"f-canary\"");
      String status = own.handle(get("/status", ALICE)).body();
      assertThat(status).contains("Connected", "Flags served");
      assertThat(own.handle(get("/flags/canary", ALICE)).status()).isEqualTo(200);
    }
  }

  @Test
  void theFrameworksCsrfTokenIsInEveryForm() {
    String page =
        dashboard
            .handle(get("/flags/canary", ALICE), new Dashboard.HiddenField("_csrf", "spring-token"))
            .body();
    assertThat(page).contains("name=\"_csrf\" value=\"spring-token\"");
  }

  @Test
  void theEventStreamSendsEachChangeOfAFlag() {
    FlagsHttpResponse r = dashboard.handle(get("/events", ALICE));
    assertThat(r.header("Content-Type")).contains("text/event-stream; charset=utf-8");
    List<FlagsEventStream.Event> events = new CopyOnWriteArrayList<>();
    Subscription s =
        r.events()
            .orElseThrow()
            .open(
                new FlagsEventStream.Sink() {
                  @Override
                  public boolean send(FlagsEventStream.Event event) {
                    events.add(event);
                    return true;
                  }

                  @Override
                  public void close() {}
                });
    await().until(() -> events.stream().anyMatch(e -> e.type().equals("hello")));
    assertThat(dashboard.openStreams()).isEqualTo(1);
    runtime.admin().setOn("canary", false, Change.by("bob"));
    await().until(() -> events.stream().anyMatch(e -> e.type().equals("flag")));
    FlagsEventStream.Event flag =
        events.stream().filter(e -> e.type().equals("flag")).findFirst().orElseThrow();
    assertThat(flag.data())
        .contains("\"key\":\"canary\"", "\"state\":\"Off\"", "\"actor\":\"bob\"");
    assertThat(flag.wireFormat()).startsWith("event: flag\ndata: {").endsWith("}\n\n");
    s.close();
    await().until(() -> dashboard.openStreams() == 0);
  }

  @Test
  void aClientThatStopsReadingIsDropped() {
    FlagsHttpResponse r = dashboard.handle(get("/events", ALICE));
    boolean[] closed = new boolean[1];
    r.events()
        .orElseThrow()
        .open(
            new FlagsEventStream.Sink() {
              @Override
              public boolean send(FlagsEventStream.Event event) {
                return false; // the adapter's buffer is full
              }

              @Override
              public void close() {
                closed[0] = true;
              }
            });
    await().until(() -> closed[0]);
    assertThat(dashboard.openStreams()).isZero();
  }

  @Test
  void eventsAreWrittenInTheServerSentEventsFormat() {
    assertThat(FlagsEventStream.Event.of("flag", "a\nb").wireFormat())
        .isEqualTo("event: flag\ndata: a\ndata: b\n\n");
    assertThat(FlagsEventStream.Event.comment("keep-alive").wireFormat())
        .isEqualTo(": keep-alive\n\n");
    assertThatThrownBy(() -> FlagsEventStream.Event.of("a\nb", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
