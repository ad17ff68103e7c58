package dev.flags.micronaut;

import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.OfrepApi;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;

/**
 * OpenFeature's remote evaluation protocol of {@code flags.ofrep.*}, built at start-up: an
 * application without micronaut-security ({@link SecurityRoles}) refuses to start with it unless
 * {@code flags.ofrep.token} is set.
 */
@Factory
@Requires(condition = Switches.Ofrep.class)
@Requires(condition = Switches.Flags.class)
class OfrepApiFactory {

  @Context
  OfrepApi flagsOfrepApi(FlagsRuntime runtime, @Nullable SecurityRoles security) {
    return OfrepApi.builder(runtime).securityAvailable(security != null).build();
  }
}
