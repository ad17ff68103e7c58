package dev.flags.micronaut.kit;

import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;
import dev.flags.integration.kit.RampKit;

/** The parity kit's RampKit over a real Micronaut application (Netty, micronaut-security). */
class MicronautRampParityTest extends RampKit {
  @Override
  protected KitApplication start(KitOptions options) {
    return MicronautKitApplication.start(options);
  }
}
