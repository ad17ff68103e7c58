package dev.flags.micronaut.kit;

import dev.flags.integration.kit.ContextPolicyKit;
import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;

/**
 * The parity kit's ContextPolicyKit over a real Micronaut application (Netty, micronaut-security).
 */
class MicronautContextPolicyParityTest extends ContextPolicyKit {
  @Override
  protected KitApplication start(KitOptions options) {
    return MicronautKitApplication.start(options);
  }
}
