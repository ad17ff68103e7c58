package dev.flags.integration.jdk;

import dev.flags.integration.kit.HealthKit;
import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;

/** The parity kit's HealthKit over the JDK's HTTP server. */
class JdkHealthParityTest extends HealthKit {
  @Override
  protected KitApplication start(KitOptions options) throws Exception {
    return JdkKitApplication.start(options);
  }
}
