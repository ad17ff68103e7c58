package dev.flags.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.dashboard.Dashboard;
import dev.flags.dashboard.JdkDashboardServer;
import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.FlagsSettings;
import dev.flags.integration.SettingsSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The all-flags page's "Show N more" button in Debian's chromium, over a flag file of 450 flags
 * (the page shows 200 rows at a time). The button used to stay on screen as "Show 0 more" once
 * every row was shown: the stylesheet's {@code display} for buttons beat the {@code hidden}
 * attribute the script set, and the same kept the filter form's "Filter" button on screen.
 */
class AllFlagsPagingBrowserTest {

  static final int FLAGS = 450;

  @Test
  void theShowMoreButtonGoesAwayWhenNoRowsAreLeftInsteadOfOfferingShow0More() throws Exception {
    Path dir = Files.createTempDirectory("flags-dashboard-paging");
    Path file = dir.resolve("flags.json");
    StringBuilder json = new StringBuilder("{\"flags\": {");
    for (int i = 0; i < FLAGS; i++) {
      json.append(i == 0 ? "" : ", ")
          .append(String.format(Locale.ROOT, "\"flag_%03d\": %b", i, i % 2 == 0));
    }
    Files.writeString(file, json.append("}}\n").toString());
    try (FlagsRuntime runtime =
            FlagsRuntime.builder(
                    FlagsSettings.from(
                        SettingsSource.of(
                            Map.of(
                                "flags.store", "file",
                                "flags.file.path", file.toString(),
                                "flags.dashboard.enabled", "true"))))
                .build();
        JdkDashboardServer server =
            JdkDashboardServer.start(
                Dashboard.builder(runtime).build(),
                List.of(new JdkDashboardServer.User("victor", "pw", "FLAGS_VIEWER")));
        Browser browser = Browser.start()) {
      assertThat(runtime.flags().awaitInitialization(Duration.ofSeconds(10))).isTrue();
      await().until(() -> runtime.flags().allFlags().size() == FLAGS);
      browser.signIn(server.baseUri(), "victor", "pw", server.dashboardUri());

      assertThat(rows(browser)).isEqualTo(200);
      assertThat(browser.find(By.id("more")).isDisplayed()).isTrue();
      assertThat(browser.text(By.id("more"))).isEqualTo("Show 200 more");
      assertThat(browser.find(By.cssSelector("form button[type=submit]")).isDisplayed())
          .as("the Filter button, not needed when the script filters as you type")
          .isFalse();

      browser.find(By.id("more")).click();
      browser.waitFor(d -> rows(browser) == 400);
      assertThat(browser.text(By.id("more"))).isEqualTo("Show 50 more");

      browser.find(By.id("more")).click();
      browser.waitFor(d -> rows(browser) == FLAGS);
      assertThat(browser.text(By.id("count"))).isEqualTo(FLAGS + " flags");
      assertThat(browser.find(By.id("more")).isDisplayed())
          .as("no \"%s\" button once every row is shown", browser.text(By.id("more")))
          .isFalse();

      // A search that matches fewer rows than a page: no button either.
      browser.find(By.id("q")).sendKeys("flag_00");
      browser.waitFor(d -> browser.text(By.id("count")).equals("10 of " + FLAGS + " flags"));
      assertThat(browser.find(By.id("more")).isDisplayed()).isFalse();
      browser.assertAccessible("all flags, searched");
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static int rows(Browser browser) {
    return browser.findAll(By.cssSelector("#flags tbody tr")).size();
  }
}
