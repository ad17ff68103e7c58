package dev.flags.micronaut.kit;

import dev.flags.integration.kit.HealthKit;
import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;

/** The parity kit's HealthKit over a real Micronaut application (Netty, micronaut-security). */
class MicronautHealthParityTest extends HealthKit {
  @Override
  protected KitApplication start(KitOptions options) {
    return MicronautKitApplication.start(options);
  }
}
