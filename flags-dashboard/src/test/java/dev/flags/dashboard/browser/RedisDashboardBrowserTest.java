package dev.flags.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.testsupport.RedisServerProcess;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** The dashboard over Redis: writes through the Redis admin, live updates through pub/sub. */
class RedisDashboardBrowserTest extends DashboardBrowserTest {

  private RedisServerProcess redis;

  @Override
  Map<String, String> storeSettings() {
    redis = RedisServerProcess.start();
    return Map.of(
        "flags.store", "redis",
        "flags.redis.url", redis.uri(),
        "flags.redis.keyspace-notifications", "true",
        "flags.redis.instance-name", "dashboard-test");
  }

  @Override
  void rawSetOff(String key) {
    // What the on-call engineer types: redis-cli SET feature:<key> false
    try (var jedis = redis.jedis()) {
      jedis.set("feature:" + key, "false");
    }
  }

  @Override
  boolean takesScreenshots() {
    return false;
  }

  @Test
  void aMalformedFlagIsListedAndItsPageShowsTheProblemAndTheStoredText() {
    // The list is open with "malformed only" before the raw SET breaks the flag. Regression: a
    // live update changed the row but not which rows the filter shows, so the count stayed at 0
    // (and this test failed whenever the page loaded before the store had seen the SET).
    watcher.get(page("?malformed=1"));
    watcher.waitForLive();
    assertThat(watcher.text(By.id("count"))).startsWith("0 of ");
    try (var jedis = redis.jedis()) {
      jedis.set("feature:button_color", "{\"variations\": [\"green\", ");
    }
    watcher.waitFor(d -> watcher.text(By.id("count")).startsWith("1 of "));
    assertThat(watcher.text(By.cssSelector("#f-button_color .c-state"))).isEqualTo("Malformed");
    watcher.get(page("flags/button_color"));
    assertThat(watcher.text(By.id("h-bad"))).isEqualTo("The stored flag does not read");
    assertThat(watcher.text(By.cssSelector("pre.stored")))
        .isEqualTo("{\"variations\": [\"green\", ");
    watcher.assertAccessible("malformed flag");
  }

  @AfterAll
  void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }
}
