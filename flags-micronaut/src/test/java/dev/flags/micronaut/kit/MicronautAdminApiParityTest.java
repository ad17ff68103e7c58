package dev.flags.micronaut.kit;

import dev.flags.integration.kit.AdminApiKit;
import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;

/** The parity kit's AdminApiKit over a real Micronaut application (Netty, micronaut-security). */
class MicronautAdminApiParityTest extends AdminApiKit {
  @Override
  protected KitApplication start(KitOptions options) {
    return MicronautKitApplication.start(options);
  }
}
