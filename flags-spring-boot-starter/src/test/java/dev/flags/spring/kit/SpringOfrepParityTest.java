package dev.flags.spring.kit;

import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;
import dev.flags.integration.kit.OfrepKit;

/** The parity kit's OfrepKit over a real Spring Boot application (Tomcat, Spring Security). */
class SpringOfrepParityTest extends OfrepKit {
  @Override
  protected KitApplication start(KitOptions options) {
    return SpringKitApplication.start(options);
  }
}
