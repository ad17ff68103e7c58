package dev.flags.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian chromium, driven through Debian's chromedriver: never a downloaded browser or
 * driver (the paths are given, so Selenium Manager is not asked). Missing either fails the test
 * with how to install them. Also: signing in, axe-core on the page, screenshots. Not thread-safe.
 */
public final class Browser implements AutoCloseable {
  /**
   * How long a page may take to show what a test waits for: generous, because CI shares two cores
   * with redis-server and the stores (a live update takes milliseconds on a quiet machine).
   */
  static final Duration WAIT = Duration.ofSeconds(30);

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** Where screenshots go; with -Dflags.screenshots=docs they are copied to docs/images too. */
  static final Path SHOTS = Path.of("target/screenshots");

  static final Path DOCS_IMAGES = Path.of("../docs/images");

  private static String axeSource;

  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** Starts a headless chromium, 1280 × 900. */
  public static Browser start() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      fail(
          "the browser tests drive Debian's chromium through chromedriver, and "
              + (Files.isExecutable(CHROMIUM) ? CHROMEDRIVER : CHROMIUM)
              + " is missing: apt-get install chromium chromium-driver");
    }
    Path profile;
    try {
      profile = Files.createTempDirectory("flags-dashboard-chromium");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    return new Browser(driver, profile);
  }

  public WebDriver driver() {
    return driver;
  }

  /** Signs in through the server's form, then is on {@code next}. */
  public void signIn(URI server, String user, String password, URI next) {
    driver.get(server + "/login?next=" + next.getRawPath());
    driver.findElement(By.id("username")).sendKeys(user);
    driver.findElement(By.id("password")).sendKeys(password);
    clickToNextPage(By.id("sign-in"));
    assertThat(driver.getCurrentUrl()).startsWith(next.toString());
  }

  /** Clicks what submits a form or follows a link, and waits until the next page has loaded. */
  public void clickToNextPage(WebElement element) {
    js("window.__flagsOldPage = true;");
    element.click();
    waitFor(
        d ->
            Boolean.TRUE.equals(
                js("return !window.__flagsOldPage && document.readyState === 'complete'")));
  }

  /** {@link #clickToNextPage} of the element {@code by} finds. */
  public void clickToNextPage(By by) {
    clickToNextPage(driver.findElement(by));
  }

  public void get(URI uri) {
    driver.get(uri.toString());
  }

  public WebElement find(By by) {
    return driver.findElement(by);
  }

  public List<WebElement> findAll(By by) {
    return driver.findElements(by);
  }

  public String text(By by) {
    return driver.findElement(by).getText();
  }

  public Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  public Object asyncJs(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
  }

  public void waitFor(java.util.function.Function<WebDriver, Boolean> condition) {
    new WebDriverWait(driver, WAIT).until(condition::apply);
  }

  /** Waits until the page's live-update stream is connected. */
  public void waitForLive() {
    waitFor(
        d ->
            Boolean.TRUE.equals(
                js("return !!(window.flagsDashboard && window.flagsDashboard.connected)")));
  }

  public void size(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  /**
   * Runs axe-core (from its WebJar) on the page and fails on any serious or critical violation,
   * naming the rule and the elements.
   */
  public void assertAccessible(String page) {
    js(axe());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> violations =
        (List<Map<String, Object>>)
            asyncJs(
                "var done = arguments[arguments.length - 1];"
                    + "axe.run(document, {resultTypes: ['violations']})"
                    + ".then(function (r) { done(r.violations.map(function (v) {"
                    + "  return {id: v.id, impact: v.impact, help: v.help,"
                    + "    nodes: v.nodes.map(function (n) { return n.target.join(' '); }).slice(0, 5)};"
                    + "})); }, function (e) { done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]); });");
    List<String> bad = new ArrayList<>();
    for (Map<String, Object> v : violations) {
      if ("serious".equals(v.get("impact")) || "critical".equals(v.get("impact"))) {
        bad.add(
            v.get("impact") + " " + v.get("id") + ": " + v.get("help") + " at " + v.get("nodes"));
      }
    }
    assertThat(bad)
        .as("axe-core on the " + page + " page: serious or critical violations")
        .isEmpty();
  }

  private static synchronized String axe() {
    if (axeSource == null) {
      String path = "META-INF/resources/webjars/axe-core/" + AXE_VERSION + "/axe.min.js";
      try (InputStream in = Browser.class.getClassLoader().getResourceAsStream(path)) {
        if (in == null) {
          fail("axe-core is not on the test class path: " + path);
        }
        axeSource = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return axeSource;
  }

  /** The axe-core WebJar's version (the root pom's axe-core.version). */
  static final String AXE_VERSION = "4.6.3";

  /**
   * Saves a screenshot as target/screenshots/{name}.png (and docs/images with
   * -Dflags.screenshots=docs).
   */
  public void screenshot(String name) {
    try {
      Files.createDirectories(SHOTS);
      Path file = SHOTS.resolve(name + ".png");
      byte[] png = driver.getScreenshotAs(OutputType.BYTES);
      Files.write(file, png);
      if ("docs".equals(System.getProperty("flags.screenshots"))) {
        Files.createDirectories(DOCS_IMAGES);
        Files.copy(
            file,
            DOCS_IMAGES.resolve("dashboard-" + name + ".png"),
            StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A full-page screenshot: the window grown to the page's height first. */
  public void fullScreenshot(String name, int width) {
    Object h = js("return Math.min(document.documentElement.scrollHeight, 4000)");
    size(width, ((Number) h).intValue() + 20);
    screenshot(name);
    size(1280, 900);
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary directory
      }
    }
  }
}
