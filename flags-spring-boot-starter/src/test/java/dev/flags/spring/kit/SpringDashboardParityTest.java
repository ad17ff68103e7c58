package dev.flags.spring.kit;

import dev.flags.dashboard.kit.DashboardKit;
import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;

/**
 * The parity kit's DashboardKit over a real Spring Boot application (Tomcat, Spring Security): the
 * event stream test proves Tomcat sends each event at once.
 */
class SpringDashboardParityTest extends DashboardKit {
  @Override
  protected KitApplication start(KitOptions options) {
    return SpringKitApplication.start(options);
  }
}
