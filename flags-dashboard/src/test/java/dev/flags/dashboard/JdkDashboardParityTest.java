package dev.flags.dashboard;

import dev.flags.dashboard.kit.DashboardKit;
import dev.flags.integration.jdk.JdkKitApplication;
import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;
import java.util.Map;

/** The parity kit's DashboardKit over the JDK's HTTP server (HTTP Basic users). */
class JdkDashboardParityTest extends DashboardKit {
  @Override
  protected KitApplication start(KitOptions options) throws Exception {
    return JdkKitApplication.start(
        options,
        runtime ->
            runtime.settings().dashboard().enabled()
                ? Map.of(
                    runtime.settings().dashboard().path(),
                    Dashboard.builder(runtime)
                        .securityAvailable(options.securityAvailable())
                        .build())
                : Map.of());
  }
}
