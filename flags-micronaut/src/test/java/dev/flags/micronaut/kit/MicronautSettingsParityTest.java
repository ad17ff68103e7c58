package dev.flags.micronaut.kit;

import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;
import dev.flags.integration.kit.SettingsKit;

/** The parity kit's SettingsKit over a real Micronaut application (Netty, micronaut-security). */
class MicronautSettingsParityTest extends SettingsKit {
  @Override
  protected KitApplication start(KitOptions options) {
    return MicronautKitApplication.start(options);
  }
}
