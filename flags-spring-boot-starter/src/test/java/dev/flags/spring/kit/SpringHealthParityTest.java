package dev.flags.spring.kit;

import dev.flags.integration.kit.HealthKit;
import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;

/** The parity kit's HealthKit over a real Spring Boot application (Tomcat, Spring Security). */
class SpringHealthParityTest extends HealthKit {
  @Override
  protected KitApplication start(KitOptions options) {
    return SpringKitApplication.start(options);
  }
}
