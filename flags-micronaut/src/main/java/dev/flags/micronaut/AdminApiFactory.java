package dev.flags.micronaut;

import dev.flags.integration.AdminApi;
import dev.flags.integration.FlagsRuntime;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;

/**
 * The admin HTTP API of {@code flags.admin.*}, built at start-up: an application without
 * micronaut-security ({@link SecurityRoles}) refuses to start with it unless {@code
 * flags.admin.insecure-local-development=true} (then loopback callers only, as {@code
 * local-developer}, with one WARN).
 */
@Factory
@Requires(condition = Switches.Admin.class)
@Requires(condition = Switches.Flags.class)
class AdminApiFactory {

  @Context
  AdminApi flagsAdminApi(FlagsRuntime runtime, @Nullable SecurityRoles security) {
    return AdminApi.builder(runtime).securityAvailable(security != null).build();
  }
}
