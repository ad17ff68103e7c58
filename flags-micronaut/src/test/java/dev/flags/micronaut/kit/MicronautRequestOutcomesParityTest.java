package dev.flags.micronaut.kit;

import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitOptions;
import dev.flags.integration.kit.RequestOutcomesKit;

/**
 * The parity kit's RequestOutcomesKit over a real Micronaut application (Netty,
 * micronaut-security): the module's server filter counts the requests, whose probe runs on an
 * executor thread ({@link KitOutcomeProbe}), not the filter's.
 */
class MicronautRequestOutcomesParityTest extends RequestOutcomesKit {
  @Override
  protected KitApplication start(KitOptions options) {
    return MicronautKitApplication.start(options);
  }
}
