package dev.flags.micronaut;

import dev.flags.dashboard.Dashboard;
import dev.flags.integration.FlagsSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

/**
 * The dashboard at {@code flags.dashboard.path} when {@code flags.dashboard.enabled=true}: every
 * {@code GET} and {@code POST} below it goes to flags-dashboard's {@link Dashboard} ({@link
 * FlagsHttpExchange}), on a blocking thread; its live updates are streamed by Netty as they come
 * ({@link EventStreamPublisher}). micronaut-security authenticates the caller; the dashboard checks
 * the roles and its CSRF token itself, so the route lets everyone through. The admin API's longer
 * path ({@code /flags/api}) is routed to {@link AdminApiController}: Micronaut prefers the route
 * with more literal characters.
 */
@Controller("${flags.dashboard.path:/flags}")
@Requires(condition = Switches.Dashboard.class)
@Requires(beans = Dashboard.class)
@Secured("isAnonymous()")
@Consumes(MediaType.ALL)
// Pages, assets and the event stream: a browser's Accept (text/event-stream for EventSource) must
// find the route; the handler sets each response's Content-Type itself.
@Produces(MediaType.ALL)
@ExecuteOn(TaskExecutors.BLOCKING)
final class DashboardController {

  private static final String ROUTES = "{+path}";

  private final Dashboard dashboard;
  private final String base;
  private final @Nullable SecurityRoles security; // null without Micronaut Security

  DashboardController(
      Dashboard dashboard, FlagsSettings settings, @Nullable SecurityRoles security) {
    this.dashboard = dashboard;
    this.base = settings.dashboard().path();
    this.security = security;
  }

  @Get(uris = {"/", ROUTES})
  MutableHttpResponse<?> get(HttpRequest<?> request) {
    return FlagsHttpExchange.handleStreaming(dashboard, base, request, null, security);
  }

  @Post(uris = {"/", ROUTES})
  MutableHttpResponse<?> post(HttpRequest<?> request, @Body @Nullable String body) {
    return FlagsHttpExchange.handleStreaming(dashboard, base, request, body, security);
  }
}
