package dev.flags.spring.kit;

import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;
import dev.flags.integration.kit.RequestOutcomesKit;

/**
 * The parity kit's RequestOutcomesKit over a real Spring Boot application (Tomcat, Spring
 * Security): the starter's servlet filter counts the requests.
 */
class SpringRequestOutcomesParityTest extends RequestOutcomesKit {
  @Override
  protected KitApplication start(KitOptions options) {
    return SpringKitApplication.start(options);
  }
}
