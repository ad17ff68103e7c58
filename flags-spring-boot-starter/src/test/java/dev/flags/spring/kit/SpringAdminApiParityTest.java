package dev.flags.spring.kit;

import dev.flags.integration.kit.AdminApiKit;
import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;

/** The parity kit's AdminApiKit over a real Spring Boot application (Tomcat, Spring Security). */
class SpringAdminApiParityTest extends AdminApiKit {
  @Override
  protected KitApplication start(KitOptions options) {
    return SpringKitApplication.start(options);
  }
}
