package dev.flags.spring.kit;

import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;
import dev.flags.integration.kit.SettingsKit;

/** The parity kit's SettingsKit over a real Spring Boot application (Tomcat, Spring Security). */
class SpringSettingsParityTest extends SettingsKit {
  @Override
  protected KitApplication start(KitOptions options) {
    return SpringKitApplication.start(options);
  }
}
