package dev.flags.integration.kit;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInstance;

/**
 * What every kit class shares: starting applications through the framework under test, and requests
 * to them. A framework's test extends each kit class and implements {@link #start} by starting its
 * real application (real HTTP server, real security) with the options given.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class KitBase {

  private final List<KitApplication> perTest = new ArrayList<>();

  /**
   * Starts an application of the framework under test with these options, on a free loopback port,
   * and returns when it serves requests.
   *
   * @throws Exception when it does not start (the kit expects some to fail, with a {@code
   *     FlagsConfigurationException} in the cause chain)
   */
  protected abstract KitApplication start(KitOptions options) throws Exception;

  /** Starts an application that is closed after the test. */
  protected KitApplication startForTest(KitOptions options) throws Exception {
    KitApplication app = start(options);
    perTest.add(app);
    return app;
  }

  /** Starts an application with these settings, closed after the test. */
  protected KitApplication startForTest(Map<String, String> settings) throws Exception {
    return startForTest(KitOptions.of(settings));
  }

  @AfterEach
  void closePerTestApplications() {
    perTest.forEach(KitApplication::close);
    perTest.clear();
  }

  /** A request to the admin API below its root: {@code /flags/x}. */
  protected static KitResponse admin(
      KitApplication app,
      KitUser user,
      String method,
      String path,
      String body,
      String... headers) {
    return Kit.send(app, user, method, URI.create(app.adminBase() + path), body, headers);
  }

  protected static KitResponse get(KitApplication app, KitUser user, String path) {
    return admin(app, user, "GET", path, null);
  }
}
