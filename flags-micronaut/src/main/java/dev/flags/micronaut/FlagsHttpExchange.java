package dev.flags.micronaut;

import dev.flags.integration.AdminApi;
import dev.flags.integration.FlagsHttpHandler;
import dev.flags.integration.FlagsHttpRequest;
import dev.flags.integration.FlagsHttpResponse;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Mounts a framework-neutral {@link FlagsHttpHandler} (the admin API, the dashboard; OFREP the same
 * way) under a base path of a Micronaut controller: the request becomes a {@link FlagsHttpRequest}
 * (path below the base, query, headers, body, the caller micronaut-security authenticated with its
 * roles, the remote address) and the handler's {@link FlagsHttpResponse} is written back as it is.
 * A controller per handler only declares the routes ({@link AdminApiController}). Stateless and
 * thread-safe.
 */
final class FlagsHttpExchange {

  private FlagsHttpExchange() {}

  /**
   * Answers {@code request} with {@code handler}, mounted at {@code base}.
   *
   * @param body the request body as text, {@code null} for none
   * @param security the application's security, {@code null} without micronaut-security
   */
  static MutableHttpResponse<String> handle(
      FlagsHttpHandler handler,
      String base,
      HttpRequest<?> request,
      @Nullable String body,
      @Nullable SecurityRoles security) {
    return write(answer(handler, base, request, body, security));
  }

  private static FlagsHttpResponse answer(
      FlagsHttpHandler handler,
      String base,
      HttpRequest<?> request,
      @Nullable String body,
      @Nullable SecurityRoles security) {
    String path = request.getPath();
    String rest = path.startsWith(base) ? path.substring(base.length()) : path;
    return handler.handle(
        new FlagsHttpRequest(
            request.getMethodName(),
            rest.isEmpty() ? "/" : rest,
            query(request),
            headers(request),
            body == null ? "" : limit(body),
            caller(request, security),
            request.getRemoteAddress().getAddress().getHostAddress()));
  }

  private static MutableHttpResponse<String> write(FlagsHttpResponse answer) {
    MutableHttpResponse<String> response =
        HttpResponse.status(answer.status(), reason(answer.status()));
    answer.headers().forEach((k, v) -> response.getHeaders().set(k, v));
    if (!answer.body().isEmpty()) {
      response.body(answer.body());
    }
    return response;
  }

  /**
   * Answers {@code request} with {@code handler} like {@link #handle}, and an event stream (the
   * dashboard's live updates) as a body Netty streams, each event written as it comes.
   */
  static MutableHttpResponse<?> handleStreaming(
      FlagsHttpHandler handler,
      String base,
      HttpRequest<?> request,
      @Nullable String body,
      @Nullable SecurityRoles security) {
    FlagsHttpResponse answer = answer(handler, base, request, body, security);
    if (answer.events().isEmpty()) {
      return write(answer);
    }
    MutableHttpResponse<Object> response =
        HttpResponse.status(answer.status(), reason(answer.status()));
    answer.headers().forEach((k, v) -> response.getHeaders().set(k, v));
    return response.body(new EventStreamPublisher(answer.events().get()));
  }

  /** The reason phrase of a status; any status code may be answered, known to Micronaut or not. */
  private static String reason(int status) {
    try {
      return io.micronaut.http.HttpStatus.valueOf(status).getReason();
    } catch (IllegalArgumentException e) {
      return "Status " + status;
    }
  }

  private static Optional<FlagsHttpRequest.Caller> caller(
      HttpRequest<?> request, @Nullable SecurityRoles security) {
    Optional<Principal> principal = request.getUserPrincipal();
    if (principal.isEmpty()
        || principal.get().getName() == null
        || principal.get().getName().isBlank()) {
      return Optional.empty();
    }
    Principal p = principal.get();
    return Optional.of(
        new FlagsHttpRequest.Caller(
            p.getName(), role -> security != null && security.holds(p, role)));
  }

  private static Map<String, List<String>> query(HttpRequest<?> request) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    request.getParameters().forEach((k, v) -> out.put(k, new ArrayList<>(v)));
    return out;
  }

  private static Map<String, List<String>> headers(HttpRequest<?> request) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    request.getHeaders().forEach((k, v) -> out.put(k, new ArrayList<>(v)));
    return out;
  }

  /** At most one byte more than the handler takes, so it can tell a body that is too large. */
  private static String limit(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return bytes.length <= AdminApi.MAX_BODY_BYTES + 1
        ? body
        : new String(bytes, 0, AdminApi.MAX_BODY_BYTES + 1, StandardCharsets.UTF_8);
  }
}
