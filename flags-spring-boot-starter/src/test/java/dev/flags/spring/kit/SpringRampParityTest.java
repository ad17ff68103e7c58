package dev.flags.spring.kit;

import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;
import dev.flags.integration.kit.RampKit;

/** The parity kit's RampKit over a real Spring Boot application (Tomcat, Spring Security). */
class SpringRampParityTest extends RampKit {
  @Override
  protected KitApplication start(KitOptions options) {
    return SpringKitApplication.start(options);
  }
}
