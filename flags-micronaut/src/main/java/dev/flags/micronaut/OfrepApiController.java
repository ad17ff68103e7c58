package dev.flags.micronaut;

import dev.flags.integration.FlagsSettings;
import dev.flags.integration.OfrepApi;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

/**
 * OpenFeature's remote evaluation protocol at {@code flags.ofrep.path} when {@code
 * flags.ofrep.enabled=true}: every path below it goes to flags-integration's {@link OfrepApi}
 * ({@link FlagsHttpExchange}), which answers POST and says 405 to the rest, as in every framework.
 * The route lets everyone through ({@code isAnonymous()}): the API checks the token, or the caller
 * micronaut-security authenticated and its role, itself.
 */
@Controller("${flags.ofrep.path:/ofrep}")
@Requires(condition = Switches.Ofrep.class)
@Requires(beans = OfrepApi.class)
@Secured("isAnonymous()")
@Consumes(MediaType.ALL)
@ExecuteOn(TaskExecutors.BLOCKING)
final class OfrepApiController {

  private static final String ROUTES = "{+path}";

  private final OfrepApi api;
  private final String base;
  private final @Nullable SecurityRoles security; // null without Micronaut Security

  OfrepApiController(OfrepApi api, FlagsSettings settings, @Nullable SecurityRoles security) {
    this.api = api;
    this.base = settings.ofrep().path();
    this.security = security;
  }

  @Post(uris = {"/", ROUTES})
  MutableHttpResponse<String> post(HttpRequest<?> request, @Body @Nullable String body) {
    return FlagsHttpExchange.handle(api, base, request, body, security);
  }

  @Get(uris = {"/", ROUTES})
  MutableHttpResponse<String> get(HttpRequest<?> request) {
    return FlagsHttpExchange.handle(api, base, request, null, security);
  }

  @Put(uris = {"/", ROUTES})
  MutableHttpResponse<String> put(HttpRequest<?> request, @Body @Nullable String body) {
    return FlagsHttpExchange.handle(api, base, request, body, security);
  }

  @Delete(uris = {"/", ROUTES})
  MutableHttpResponse<String> delete(HttpRequest<?> request, @Body @Nullable String body) {
    return FlagsHttpExchange.handle(api, base, request, body, security);
  }
}
