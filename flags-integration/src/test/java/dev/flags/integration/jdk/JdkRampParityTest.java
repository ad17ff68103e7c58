package dev.flags.integration.jdk;

import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;
import dev.flags.integration.kit.RampKit;

/** The parity kit's RampKit over the JDK's HTTP server. */
class JdkRampParityTest extends RampKit {
  @Override
  protected KitApplication start(KitOptions options) throws Exception {
    return JdkKitApplication.start(options);
  }
}
