package dev.flags.cli;

import dev.flags.integration.jdk.JdkKitApplication;
import dev.flags.integration.kit.KitOptions;
import dev.flags.integration.kit.KitUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** flagctl against the admin HTTP API, served over a flag file by the parity kit's JDK server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdkAdminApiCommandsIT extends AdminApiCommandsContract {

  private JdkKitApplication app;
  private Path dir;

  @BeforeAll
  void startServer() throws Exception {
    dir = Files.createTempDirectory("flagctl-http");
    Path file = Files.writeString(dir.resolve("flags.json"), "{\"flags\": {}}");
    app =
        JdkKitApplication.start(
            KitOptions.of(
                Map.of(
                    "flags.admin.enabled", "true",
                    "flags.admin.write-enabled", "true",
                    "flags.file.path", file.toString())));
  }

  @AfterAll
  void stopServer() {
    if (app != null) {
      app.close();
    }
  }

  @Override
  String baseUrl() {
    return app.baseUri() + "/flags/api";
  }

  @Override
  Map<String, String> editor() {
    return credentials(KitUser.EDITOR);
  }

  @Override
  String editorName() {
    return KitUser.EDITOR.username();
  }

  @Override
  Map<String, String> viewer() {
    return credentials(KitUser.VIEWER);
  }

  private static Map<String, String> credentials(KitUser user) {
    return Map.of(
        "FLAGCTL_SERVER_USER", user.username(), "FLAGCTL_SERVER_PASSWORD", user.password());
  }
}
