package dev.flags.integration.jdk;

import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;
import dev.flags.integration.kit.OfrepKit;

/** The parity kit's OfrepKit over the JDK's HTTP server. */
class JdkOfrepParityTest extends OfrepKit {
  @Override
  protected KitApplication start(KitOptions options) throws Exception {
    return JdkKitApplication.start(options);
  }
}
