package dev.flags.micronaut.kit;

import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;
import dev.flags.integration.kit.OfrepKit;

/** The parity kit's OfrepKit over a real Micronaut application (Netty, micronaut-security). */
class MicronautOfrepParityTest extends OfrepKit {
  @Override
  protected KitApplication start(KitOptions options) {
    return MicronautKitApplication.start(options);
  }
}
