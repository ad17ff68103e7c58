package dev.flags.spring.kit;

import dev.flags.integration.kit.ContextPolicyKit;
import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;

/**
 * The parity kit's ContextPolicyKit over a real Spring Boot application (Tomcat, Spring Security).
 */
class SpringContextPolicyParityTest extends ContextPolicyKit {
  @Override
  protected KitApplication start(KitOptions options) {
    return SpringKitApplication.start(options);
  }
}
