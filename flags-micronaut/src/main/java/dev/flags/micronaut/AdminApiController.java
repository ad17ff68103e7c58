package dev.flags.micronaut;

import dev.flags.integration.AdminApi;
import dev.flags.integration.FlagsSettings;
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
import io.micronaut.http.annotation.Head;
import io.micronaut.http.annotation.Options;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

/**
 * The admin HTTP API at {@code flags.admin.path} when {@code flags.admin.enabled=true}: every
 * method of every path below it goes to flags-integration's {@link AdminApi} ({@link
 * FlagsHttpExchange}), on a blocking thread (the store may take its time). micronaut-security
 * authenticates the caller; the API itself checks the roles, so the route lets everyone through
 * ({@code isAnonymous()}) and answers 401/403 problems as in every framework.
 */
@Controller("${flags.admin.path:/flags/api}")
@Requires(condition = Switches.Admin.class)
@Requires(beans = AdminApi.class)
@Secured("isAnonymous()")
@Consumes(MediaType.ALL)
@ExecuteOn(TaskExecutors.BLOCKING)
final class AdminApiController {

  private static final String ROUTES = "{+path}";

  private final AdminApi api;
  private final String base;
  private final @Nullable SecurityRoles security; // null without Micronaut Security

  AdminApiController(AdminApi api, FlagsSettings settings, @Nullable SecurityRoles security) {
    this.api = api;
    this.base = settings.admin().path();
    this.security = security;
  }

  @Get(uris = {"/", ROUTES})
  MutableHttpResponse<String> get(HttpRequest<?> request) {
    return FlagsHttpExchange.handle(api, base, request, null, security);
  }

  @Head(uris = {"/", ROUTES})
  MutableHttpResponse<String> head(HttpRequest<?> request) {
    return FlagsHttpExchange.handle(api, base, request, null, security);
  }

  @Options(uris = {"/", ROUTES})
  MutableHttpResponse<String> options(HttpRequest<?> request) {
    return FlagsHttpExchange.handle(api, base, request, null, security);
  }

  @Post(uris = {"/", ROUTES})
  MutableHttpResponse<String> post(HttpRequest<?> request, @Body @Nullable String body) {
    return FlagsHttpExchange.handle(api, base, request, body, security);
  }

  @Put(uris = {"/", ROUTES})
  MutableHttpResponse<String> put(HttpRequest<?> request, @Body @Nullable String body) {
    return FlagsHttpExchange.handle(api, base, request, body, security);
  }

  @Patch(uris = {"/", ROUTES})
  MutableHttpResponse<String> patch(HttpRequest<?> request, @Body @Nullable String body) {
    return FlagsHttpExchange.handle(api, base, request, body, security);
  }

  @Delete(uris = {"/", ROUTES})
  MutableHttpResponse<String> delete(HttpRequest<?> request, @Body @Nullable String body) {
    return FlagsHttpExchange.handle(api, base, request, body, security);
  }
}
