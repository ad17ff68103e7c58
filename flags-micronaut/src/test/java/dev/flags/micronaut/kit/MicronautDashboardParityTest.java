package dev.flags.micronaut.kit;

import dev.flags.dashboard.kit.DashboardKit;
import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;

/**
 * The parity kit's DashboardKit over a real Micronaut application (Netty, micronaut-security): the
 * event stream test proves Netty sends each event at once.
 */
class MicronautDashboardParityTest extends DashboardKit {
  @Override
  protected KitApplication start(KitOptions options) {
    return MicronautKitApplication.start(options);
  }
}
