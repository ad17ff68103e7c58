package dev.flags.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.FlagSet;
import dev.flags.core.admin.Change;
import dev.flags.core.json.FlagCodec;
import dev.flags.dashboard.Dashboard;
import dev.flags.dashboard.JdkDashboardServer;
import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.FlagsSettings;
import dev.flags.integration.SettingsSource;
import dev.flags.testsupport.RedisServerProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * How fast the dashboard is in the browser, with 10,000 flags in Redis: the all-flags page
 * (Navigation Timing), a filter after each keystroke (from the input event to the frame after the
 * table changed) and a live update (from the write to the page). Measured, not asserted — the
 * machine is shared — and written to target/dashboard-speed.md for docs/benchmarks.md; what is
 * asserted is that the page shows the right rows and the updates arrive.
 */
class DashboardSpeedTest {

  static final int FLAGS = 10_000;

  @Test
  void tenThousandFlags() throws Exception {
    StringBuilder json = new StringBuilder("{\"flags\": {\n");
    for (int i = 0; i < FLAGS; i++) {
      json.append(i == 0 ? "" : ",\n")
          .append(String.format(Locale.ROOT, "\"flag_%05d\": {", i))
          .append("\"description\": \"Feature number ")
          .append(i)
          .append("\", \"owner\": \"team-")
          .append(i % 40)
          .append("\", \"tags\": [\"area-")
          .append(i % 25)
          .append("\"], \"on\": ")
          .append(i % 7 != 0)
          .append(", \"fallthrough\": {\"rollout\": {\"weights\": [{\"variation\": 1, \"weight\": ")
          .append((i * 37) % 100_001)
          .append("}, {\"variation\": 0, \"weight\": ")
          .append(100_000 - (i * 37) % 100_001)
          .append("}]}}}");
    }
    json.append("\n}}\n");
    List<String> report = new ArrayList<>();
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      Map<String, String> settings =
          Map.of("flags.redis.url", redis.uri(), "flags.dashboard.enabled", "true");
      // Written before the measured instance starts, so it loads them in one snapshot (a bulk
      // import seen live arrives flag by flag, and the pages are told to reload).
      // One batch of 10,000 writes takes Redis more than the default write timeout (2 s) here.
      Map<String, String> seeding = new java.util.HashMap<>(settings);
      seeding.put("flags.redis.write-timeout", "60s");
      try (FlagsRuntime seeder =
          FlagsRuntime.builder(FlagsSettings.from(SettingsSource.of(seeding))).build()) {
        FlagSet set = FlagCodec.standard().decodeFlagSet(json.toString());
        seeder
            .admin()
            .applyImport(
                seeder.admin().planImport(set, false), Change.by("seed").because("10,000 flags"));
      }
      measure(settings, report);
    }
    String text =
        "# Dashboard speed, "
            + FLAGS
            + " flags in Redis ("
            + Instant.now()
            + ")\n\n- "
            + String.join("\n- ", report)
            + "\n";
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/dashboard-speed.md"), text);
    System.out.println(text);
  }

  private static void measure(Map<String, String> settings, List<String> report) throws Exception {
    try (FlagsRuntime runtime =
            FlagsRuntime.builder(FlagsSettings.from(SettingsSource.of(settings))).build();
        JdkDashboardServer server =
            JdkDashboardServer.start(
                Dashboard.builder(runtime).build(),
                List.of(new JdkDashboardServer.User("alice", "pw", "FLAGS_EDITOR")));
        Browser browser = Browser.start()) {
      assertThat(runtime.flags().awaitInitialization(Duration.ofSeconds(20))).isTrue();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> runtime.flags().allFlags().size() == FLAGS);
      URI all = server.dashboardUri();
      browser.signIn(server.baseUri(), "alice", "pw", all);

      // The all-flags page, loaded three times (the first warms the JIT of the server).
      for (int round = 1; round <= 3; round++) {
        browser.get(all);
        @SuppressWarnings("unchecked")
        Map<String, Object> nav =
            (Map<String, Object>)
                browser.js(
                    "var n = performance.getEntriesByType('navigation')[0];"
                        + "var p = performance.getEntriesByName('first-contentful-paint')[0];"
                        + "return {ttfb: n.responseStart - n.requestStart,"
                        + " response: n.responseEnd - n.requestStart,"
                        + " domContentLoaded: n.domContentLoadedEventEnd - n.startTime,"
                        + " load: n.loadEventEnd - n.startTime,"
                        + " fcp: p ? p.startTime : -1, bytes: n.transferSize || n.encodedBodySize,"
                        + " rows: document.querySelectorAll('#flags tbody tr').length};");
        assertThat(((Number) nav.get("rows")).intValue()).isEqualTo(200);
        report.add(
            String.format(
                Locale.ROOT,
                "all-flags page, load %d: server first byte %.0f ms, whole response %.0f ms,"
                    + " DOMContentLoaded %.0f ms, first contentful paint %.0f ms, load event %.0f"
                    + " ms, %d KB",
                round,
                num(nav, "ttfb"),
                num(nav, "response"),
                num(nav, "domContentLoaded"),
                num(nav, "fcp"),
                num(nav, "load"),
                (long) num(nav, "bytes") / 1024));
      }

      // Search as you type: each keystroke filters 10,000 rows.
      WebElement q = browser.find(By.id("q"));
      for (char c : "flag_09999".toCharArray()) {
        q.sendKeys(String.valueOf(c));
      }
      browser.waitFor(d -> browser.text(By.id("count")).equals("1 of 10000 flags"));
      for (int i = 0; i < 5; i++) {
        q.sendKeys(Keys.BACK_SPACE);
      }
      browser.waitFor(
          d ->
              browser.text(By.id("count")).equals("10000 of 10000 flags")
                  || browser.text(By.id("count")).equals("10000 flags, 1 to 200 shown"));
      await()
          .until(
              () ->
                  ((Number) browser.js("return window.flagsDashboard.timings.length")).intValue()
                      >= 13);
      @SuppressWarnings("unchecked")
      List<Number> filters =
          (List<Number>)
              browser.js("return window.flagsDashboard.timings.map(function (t) { return t.ms; })");
      report.add(
          "filter after a keystroke (ms, 15 keystrokes: typing flag_09999, then 5 backspaces): "
              + list(filters));

      // Live updates: a write through the admin, seen by the open page.
      browser.waitForLive();
      List<Long> live = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String key = String.format(Locale.ROOT, "flag_%05d", 100 + i);
        long before = Instant.now().toEpochMilli();
        long version =
            runtime.admin().setRolloutPercentage(key, 33.3, Change.by("alice")).version();
        await()
            .atMost(Duration.ofSeconds(10))
            .alias(
                "the update of "
                    + key
                    + " v"
                    + version
                    + "; the page has "
                    + browser.js(
                        "return JSON.stringify([window.flagsDashboard.updates.length,"
                            + " window.flagsDashboard.updates.slice(-3)])"))
            .until(
                () ->
                    browser.js(
                            "var k = arguments[0], v = arguments[1];"
                                + " return window.flagsDashboard.updates.filter(function (u) {"
                                + " return u.key === k && u.version === v; })[0] || null;",
                            key,
                            version)
                        != null);
        @SuppressWarnings("unchecked")
        Map<String, Object> u =
            (Map<String, Object>)
                browser.js(
                    "var k = arguments[0], v = arguments[1];"
                        + " return window.flagsDashboard.updates.filter(function (u) {"
                        + " return u.key === k && u.version === v; })[0];",
                    key,
                    version);
        live.add(((Number) u.get("at")).longValue() - before);
      }
      assertThat(browser.text(By.cssSelector("#f-flag_00104 .c-rollout"))).isEqualTo("33.3%");
      report.add("live update, write to page (ms, 5 writes): " + live);
    }
  }

  private static double num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }

  private static String list(List<Number> ms) {
    List<String> out = new ArrayList<>();
    for (Number n : ms) {
      out.add(String.format(Locale.ROOT, "%.0f", n.doubleValue()));
    }
    return out.toString();
  }
}
