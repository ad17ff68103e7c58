package dev.flags.server.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flags.core.admin.FlagAdmin;
import dev.flags.dashboard.browser.Browser;
import dev.flags.examples.testsupport.CheckoutDashboardStories;
import dev.flags.examples.testsupport.CheckoutHttp;
import dev.flags.server.FlagsServer;
import dev.flags.testsupport.RedisServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The control plane end to end, in Debian's chromium: flags-server and the example checkout service
 * (flags-examples/spring-boot) share one real redis-server; people sign in to the server, change
 * flags in its dashboard, and the service's HTTP answers follow ({@link CheckoutDashboardStories},
 * which the Micronaut example runs against its own dashboard). axe-core checks the sign-in page and
 * every page visited.
 */
class ServerBrowserTest extends CheckoutDashboardStories {

  static final BCryptPasswordEncoder FAST = new BCryptPasswordEncoder(4);

  /**
   * The example checkout service, as its build packages it (a reactor dependency of this module).
   */
  static final Path SERVICE_JAR =
      Path.of("../flags-examples/spring-boot/target/checkout-spring.jar");

  RedisServerProcess redis;
  Process service;
  ConfigurableApplicationContext server;
  CheckoutHttp checkout;
  FlagAdmin admin;

  @BeforeAll
  void start() throws Exception {
    redis = RedisServerProcess.start("--notify-keyspace-events", "KEA");
    service = startService(redis.uri());
    server =
        FlagsServer.start(
            "--server.port=0",
            "--server.address=127.0.0.1",
            "--logging.level.root=WARN",
            "--flags.store=redis",
            "--flags.redis.url=" + redis.uri(),
            "--flags.redis.keyspace-notifications=true",
            "--flags.dashboard.environment=" + ENVIRONMENT,
            "--flags.server.users." + EDITOR + "=editor:" + FAST.encode(EDITOR_PASSWORD),
            "--flags.server.users." + VIEWER + "=viewer:" + FAST.encode(VIEWER_PASSWORD));
    admin = server.getBean(FlagAdmin.class);
    // The service seeds Redis from its flag file; the server serves what it finds there.
    await().atMost(Duration.ofSeconds(30)).until(() -> admin.get("new_checkout_flow").isPresent());
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.destroy();
      try {
        service.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      service.destroyForcibly();
    }
    for (AutoCloseable c : new AutoCloseable[] {server, redis}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // closing what the tests started
      }
    }
  }

  /**
   * Starts the example service as its own JVM, {@code java -jar checkout-spring.jar} on Redis, and
   * returns once it answers.
   */
  Process startService(String redisUri) throws Exception {
    if (!Files.isRegularFile(SERVICE_JAR)) {
      org.assertj.core.api.Assertions.fail(
          SERVICE_JAR.toAbsolutePath()
              + " is missing: build the example first (./mvnw -pl flags-examples/spring-boot -am"
              + " package -DskipTests), or run this module with -am");
    }
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path log = Path.of("target/example-service.log");
    Files.createDirectories(log.getParent());
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                SERVICE_JAR.toString(),
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--flags.store=redis",
                "--flags.redis.url=" + redisUri,
                "--spring.main.banner-mode=off")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    checkout = new CheckoutHttp(port);
    HttpClient probe = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              if (!p.isAlive()) {
                throw new IllegalStateException(
                    "the example service stopped: " + Files.readString(log));
              }
              return probe
                      .send(
                          HttpRequest.newBuilder(
                                  URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                              .build(),
                          HttpResponse.BodyHandlers.discarding())
                      .statusCode()
                  == 200;
            });
    return p;
  }

  static int port(ConfigurableApplicationContext c) {
    return Integer.parseInt(c.getEnvironment().getProperty("local.server.port"));
  }

  @Override
  protected URI base() {
    return URI.create("http://127.0.0.1:" + port(server));
  }

  @Override
  protected FlagAdmin admin() {
    return admin;
  }

  @Override
  protected CheckoutHttp checkout() {
    return checkout;
  }

  @Test
  void theSignInPageIsAccessibleAndSaysWhenThePasswordIsWrong() throws Exception {
    try (Browser visitor = Browser.start()) {
      visitor.get(URI.create(base() + "/flags/"));
      assertThat(visitor.driver().getCurrentUrl()).endsWith("/login");
      visitor.assertAccessible("sign-in");
      screenshot(visitor, "server-login");
      visitor.find(By.id("username")).sendKeys("alice");
      visitor.find(By.id("password")).sendKeys("wrong-password");
      visitor.clickToNextPage(By.id("sign-in"));
      assertThat(visitor.text(By.cssSelector("main"))).contains("Wrong user or password");
      visitor.assertAccessible("sign-in (failed)");
    }
    editor.get(dashboard(""));
    screenshot(editor, "server-all-flags");
  }

  // ---------------------------------------------------------------- helpers

  /** target/screenshots/{name}.png, and docs/images/{name}.png with -Dflags.screenshots=docs. */
  static void screenshot(Browser b, String name) throws Exception {
    Path shots = Path.of("target/screenshots");
    Files.createDirectories(shots);
    Path file = shots.resolve(name + ".png");
    Files.write(
        file, ((org.openqa.selenium.TakesScreenshot) b.driver()).getScreenshotAs(OutputType.BYTES));
    if ("docs".equals(System.getProperty("flags.screenshots"))) {
      Files.copy(
          file,
          Path.of("../docs/images").resolve(name + ".png"),
          StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
