package dev.flags.integration.jdk;

import dev.flags.integration.kit.ContextPolicyKit;
import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;

/** The parity kit's ContextPolicyKit over the JDK's HTTP server. */
class JdkContextPolicyParityTest extends ContextPolicyKit {
  @Override
  protected KitApplication start(KitOptions options) throws Exception {
    return JdkKitApplication.start(options);
  }
}
