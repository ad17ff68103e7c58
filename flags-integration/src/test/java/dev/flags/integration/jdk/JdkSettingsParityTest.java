package dev.flags.integration.jdk;

import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;
import dev.flags.integration.kit.SettingsKit;

/** The parity kit's SettingsKit over the JDK's HTTP server. */
class JdkSettingsParityTest extends SettingsKit {
  @Override
  protected KitApplication start(KitOptions options) throws Exception {
    return JdkKitApplication.start(options);
  }
}
