package dev.flags.micronaut;

import dev.flags.dashboard.Dashboard;
import dev.flags.integration.FlagsRuntime;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;

/**
 * The dashboard of {@code flags.dashboard.*}, built at start-up from flags-dashboard's shared
 * handler: an application without micronaut-security ({@link SecurityRoles}) refuses to start with
 * it unless {@code flags.dashboard.insecure-local-development=true}. Closed with the context, which
 * ends the open event streams.
 */
@Factory
@Requires(condition = Switches.Dashboard.class)
@Requires(condition = Switches.Flags.class)
class DashboardFactory {

  @Context
  @Bean(preDestroy = "close")
  Dashboard flagsDashboard(FlagsRuntime runtime, @Nullable SecurityRoles security) {
    return Dashboard.builder(runtime).securityAvailable(security != null).build();
  }
}
