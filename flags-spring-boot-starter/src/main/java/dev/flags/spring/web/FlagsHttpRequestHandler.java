package dev.flags.spring.web;

import dev.flags.dashboard.Dashboard;
import dev.flags.integration.AdminApi;
import dev.flags.integration.FlagsHttpHandler;
import dev.flags.integration.FlagsHttpRequest;
import dev.flags.integration.FlagsHttpResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.util.UriUtils;

/**
 * Mounts a framework-neutral {@link FlagsHttpHandler} (the admin API, the dashboard; OFREP the same
 * way) under a base path of Spring MVC: every request below the path, whatever its method, becomes
 * a {@link FlagsHttpRequest} and the handler's {@link FlagsHttpResponse} is written back as it is;
 * an event stream (the dashboard's live updates) in the servlet's async mode, each event flushed
 * ({@link ServletEventSink}). The dashboard's forms also carry Spring Security's CSRF token. It
 * runs behind the servlet filters, Spring Security's among them: the caller is the request's
 * authenticated principal, and its roles are the servlet's {@code isUserInRole} (Spring Security:
 * the authority {@code ROLE_<role>}) or, with Spring Security, an authority named exactly as the
 * role. Thread-safe.
 */
final class FlagsHttpRequestHandler implements HttpRequestHandler {

  private final String base;
  private final FlagsHttpHandler handler;
  private final BiPredicate<Principal, String> authorities;
  private final Function<HttpServletRequest, Optional<Dashboard.HiddenField>> frameworkCsrf;

  /**
   * @param base the path the handler is mounted at, such as {@code /flags/api}
   * @param authorities whether a principal holds an authority named as a role, beyond the servlet's
   *     {@code isUserInRole}
   * @param frameworkCsrf the CSRF token of the application's security for a request (Spring
   *     Security's), which the dashboard's forms carry besides their own
   */
  FlagsHttpRequestHandler(
      String base,
      FlagsHttpHandler handler,
      BiPredicate<Principal, String> authorities,
      Function<HttpServletRequest, Optional<Dashboard.HiddenField>> frameworkCsrf) {
    this.base = Objects.requireNonNull(base, "base");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.authorities = Objects.requireNonNull(authorities, "authorities");
    this.frameworkCsrf = Objects.requireNonNull(frameworkCsrf, "frameworkCsrf");
  }

  @Override
  public void handleRequest(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path =
        UriUtils.decode(
            request.getRequestURI().substring(request.getContextPath().length()),
            StandardCharsets.UTF_8);
    String rest = path.startsWith(base) ? path.substring(base.length()) : path;
    FlagsHttpRequest neutral =
        new FlagsHttpRequest(
            request.getMethod(),
            rest.isEmpty() ? "/" : rest,
            query(request.getQueryString()),
            headers(request),
            body(request),
            caller(request),
            request.getRemoteAddr());
    Optional<Dashboard.HiddenField> csrf =
        handler instanceof Dashboard ? frameworkCsrf.apply(request) : Optional.empty();
    FlagsHttpResponse answer =
        csrf.isPresent()
            ? ((Dashboard) handler).handle(neutral, csrf.get())
            : handler.handle(neutral);
    response.setStatus(answer.status());
    answer.headers().forEach(response::setHeader);
    if (answer.events().isPresent()) {
      // Headers out at once, then the events as they come, without holding this thread.
      response.flushBuffer();
      ServletEventSink.start(
          request.startAsync(request, response), response.getOutputStream(), answer.events().get());
      return;
    }
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 0) {
      response.setContentLength(bytes.length);
      try (OutputStream out = response.getOutputStream()) {
        out.write(bytes);
      }
    }
  }

  private Optional<FlagsHttpRequest.Caller> caller(HttpServletRequest request) {
    Principal principal = request.getUserPrincipal();
    if (principal == null || principal.getName() == null || principal.getName().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(
        new FlagsHttpRequest.Caller(
            principal.getName(),
            role -> request.isUserInRole(role) || authorities.test(principal, role)));
  }

  /** The query as written, decoded; never the form parameters of a body. */
  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return out;
  }

  private static String decode(String s) {
    return UriUtils.decode(s.replace('+', ' '), StandardCharsets.UTF_8);
  }

  private static Map<String, List<String>> headers(HttpServletRequest request) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      out.put(name, Collections.list(request.getHeaders(name)));
    }
    return out;
  }

  /** At most one byte more than the handler takes, so it can tell a body that is too large. */
  private static String body(HttpServletRequest request) throws IOException {
    byte[] bytes;
    try (InputStream in = request.getInputStream()) {
      bytes = in.readNBytes(AdminApi.MAX_BODY_BYTES + 1);
    }
    if (bytes.length == 0 && isForm(request)) {
      // A filter before us asked for a parameter (Spring Security's CsrfFilter reads _csrf), and
      // the container consumed the form body to answer: the form is rebuilt from the parameters.
      return formFromParameters(request);
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static boolean isForm(HttpServletRequest request) {
    String type = request.getContentType();
    return type != null
        && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
  }

  /** The body's parameters: every parameter's values less those of the query string. */
  static String formFromParameters(HttpServletRequest request) {
    Map<String, List<String>> query = query(request.getQueryString());
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String[]> e : request.getParameterMap().entrySet()) {
      List<String> values = new ArrayList<>(List.of(e.getValue()));
      // The container lists the query's values first.
      int fromQuery = query.getOrDefault(e.getKey(), List.of()).size();
      for (String v : values.subList(Math.min(fromQuery, values.size()), values.size())) {
        if (out.length() > 0) {
          out.append('&');
        }
        out.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
            .append('=')
            .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
      }
    }
    return out.toString();
  }
}
