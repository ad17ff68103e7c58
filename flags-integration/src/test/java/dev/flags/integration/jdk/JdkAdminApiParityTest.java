package dev.flags.integration.jdk;

import dev.flags.integration.kit.AdminApiKit;
import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;

/** The parity kit's AdminApiKit over the JDK's HTTP server. */
class JdkAdminApiParityTest extends AdminApiKit {
  @Override
  protected KitApplication start(KitOptions options) throws Exception {
    return JdkKitApplication.start(options);
  }
}
