package dev.flags.integration.jdk;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flags.core.JsonValue;
import dev.flags.core.Subscription;
import dev.flags.integration.AdminApi;
import dev.flags.integration.FlagsEventStream;
import dev.flags.integration.FlagsHttpHandler;
import dev.flags.integration.FlagsHttpRequest;
import dev.flags.integration.FlagsHttpResponse;
import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.FlagsSettings;
import dev.flags.integration.HealthReport;
import dev.flags.integration.OfrepApi;
import dev.flags.integration.RequestContextPolicy;
import dev.flags.integration.SettingsSource;
import dev.flags.integration.kit.Kit;
import dev.flags.integration.kit.KitApplication;
import dev.flags.integration.kit.KitHealth;
import dev.flags.integration.kit.KitOptions;
import dev.flags.integration.kit.KitUser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The thinnest adapter there is: the JDK's own HTTP server over the neutral layer, with HTTP Basic
 * users for security. It runs the whole parity kit in this module, so the kit itself is tested
 * before any framework runs it; the Spring Boot and Micronaut adapters do the same with their
 * servers and their security.
 */
public final class JdkKitApplication implements KitApplication {

  private final FlagsSettings settings;
  private final FlagsRuntime runtime;
  private final HttpServer server;
  private final ExecutorService executor;
  private final List<AutoCloseable> closeables;

  private JdkKitApplication(
      FlagsSettings settings,
      FlagsRuntime runtime,
      HttpServer server,
      ExecutorService executor,
      List<AutoCloseable> closeables) {
    this.settings = settings;
    this.runtime = runtime;
    this.server = server;
    this.executor = executor;
    this.closeables = closeables;
  }

  static {
    // The JDK server writes a response's headers and body apart; without TCP_NODELAY, Nagle's
    // algorithm meets the client's delayed ACK and every keep-alive request waits about 40 ms.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** Starts an application; the parity kit's starter. */
  public static JdkKitApplication start(KitOptions options) throws IOException {
    return start(options, runtime -> Map.of());
  }

  /**
   * Starts an application that also serves more handlers (the dashboard, in flags-dashboard's
   * tests): {@code mounts} gives each by the path it is mounted at. A handler that is {@link
   * AutoCloseable} is closed with the application.
   */
  public static JdkKitApplication start(
      KitOptions options, Function<FlagsRuntime, Map<String, FlagsHttpHandler>> mounts)
      throws IOException {
    FlagsSettings settings = FlagsSettings.from(SettingsSource.of(options.settings()));
    FlagsRuntime.Builder builder = FlagsRuntime.builder(settings);
    options.admin().ifPresent(builder::admin);
    FlagsRuntime runtime = builder.build();
    List<AutoCloseable> closeables = new ArrayList<>();
    try {
      Map<String, FlagsHttpHandler> more = mounts.apply(runtime);
      AdminApi api =
          settings.admin().enabled()
              ? AdminApi.builder(runtime).securityAvailable(options.securityAvailable()).build()
              : null;
      OfrepApi ofrep =
          settings.ofrep().enabled()
              ? OfrepApi.builder(runtime).securityAvailable(options.securityAvailable()).build()
              : null;
      RequestContextPolicy policy = RequestContextPolicy.of(settings);
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      ExecutorService executor = Executors.newCachedThreadPool();
      server.setExecutor(executor);
      Security security = new Security(settings, options.securityAvailable());
      if (api != null) {
        String base = settings.admin().path();
        server.createContext(base, exchange -> mounted(exchange, base, api, security));
      }
      if (ofrep != null) {
        String base = settings.ofrep().path();
        server.createContext(base, exchange -> mounted(exchange, base, ofrep, security));
      }
      more.forEach(
          (base, handler) -> {
            server.createContext(base, exchange -> mounted(exchange, base, handler, security));
            if (handler instanceof AutoCloseable c) {
              closeables.add(c);
            }
          });
      server.createContext("/kit/context", exchange -> context(exchange, policy, security));
      server.createContext("/kit/health", exchange -> health(exchange, runtime));
      server.start();
      return new JdkKitApplication(settings, runtime, server, executor, closeables);
    } catch (RuntimeException | IOException e) {
      runtime.close();
      throw e;
    }
  }

  @Override
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public URI contextProbe() {
    return URI.create(baseUri() + "/kit/context");
  }

  @Override
  public KitHealth health() throws IOException, InterruptedException {
    java.net.http.HttpResponse<String> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(URI.create(baseUri() + "/kit/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    JsonValue json = Kit.CODEC.parse(r.body());
    return new KitHealth(
        Kit.text(Kit.at(json, "status")).equals("UP"), (JsonValue.Obj) Kit.at(json, "details"));
  }

  @Override
  public FlagsSettings boundSettings() {
    return settings;
  }

  @Override
  public void close() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    server.stop(0);
    executor.shutdownNow();
    runtime.close();
  }

  // ---------------------------------------------------------------- handlers

  private static void mounted(
      HttpExchange exchange, String base, FlagsHttpHandler api, Security security)
      throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String rest = path.substring(base.length());
      if (!rest.isEmpty() && !rest.startsWith("/")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = readAtMost(exchange.getRequestBody(), AdminApi.MAX_BODY_BYTES + 1);
      FlagsHttpRequest request =
          new FlagsHttpRequest(
              exchange.getRequestMethod(),
              rest.isEmpty() ? "/" : rest,
              query(exchange.getRequestURI().getRawQuery()),
              headers(exchange.getRequestHeaders()),
              new String(body, StandardCharsets.UTF_8),
              security.caller(exchange),
              exchange.getRemoteAddress().getAddress().getHostAddress());
      FlagsHttpResponse response = api.handle(request);
      response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      if (response.events().isPresent()) {
        pump(exchange, response.status(), response.events().get());
        return;
      }
      write(exchange, response.status(), response.body());
    }
  }

  private static void context(HttpExchange exchange, RequestContextPolicy policy, Security security)
      throws IOException {
    try (exchange) {
      RequestContextPolicy.Resolution r =
          policy.resolve(
              new RequestContextPolicy.RequestView() {
                @Override
                public Optional<String> principal() {
                  return security.caller(exchange).map(FlagsHttpRequest.Caller::name);
                }

                @Override
                public Optional<String> header(String name) {
                  return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
                }

                @Override
                public Optional<String> cookie(String name) {
                  List<String> cookies = exchange.getRequestHeaders().get("Cookie");
                  if (cookies != null) {
                    for (String header : cookies) {
                      for (String pair : header.split(";")) {
                        int eq = pair.indexOf('=');
                        if (eq > 0 && pair.substring(0, eq).strip().equals(name)) {
                          return Optional.of(pair.substring(eq + 1).strip());
                        }
                      }
                    }
                  }
                  return Optional.empty();
                }

                @Override
                public String remoteAddress() {
                  return exchange.getRemoteAddress().getAddress().getHostAddress();
                }

                @Override
                public boolean secure() {
                  return false;
                }
              });
      r.setCookie().ifPresent(c -> exchange.getResponseHeaders().add("Set-Cookie", c));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("key", r.context().key());
      body.put("kind", r.context().kind());
      body.put("anonymous", r.context().anonymous());
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      write(exchange, 200, Kit.json(body));
    }
  }

  private static void health(HttpExchange exchange, FlagsRuntime runtime) throws IOException {
    try (exchange) {
      HealthReport report = runtime.health();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", report.up() ? "UP" : "DOWN");
      body.put("details", report.details());
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      write(exchange, 200, Kit.json(body));
    }
  }

  /** The blocking way: the request's thread writes what the stream queues, until either ends. */
  private static void pump(HttpExchange exchange, int status, FlagsEventStream stream)
      throws IOException {
    exchange.sendResponseHeaders(status, 0);
    OutputStream out = exchange.getResponseBody();
    out.flush();
    BlockingQueue<Object> queue = new ArrayBlockingQueue<>(1000);
    Object end = new Object();
    Subscription subscription =
        stream.open(
            new FlagsEventStream.Sink() {
              @Override
              public boolean send(FlagsEventStream.Event event) {
                return queue.offer(event);
              }

              @Override
              public void close() {
                queue.clear();
                queue.offer(end);
              }
            });
    try {
      while (true) {
        Object next = queue.poll(FlagsEventStream.HEARTBEAT.toMillis() * 2, TimeUnit.MILLISECONDS);
        if (next == end) {
          break;
        }
        if (next != null) {
          out.write(((FlagsEventStream.Event) next).wireFormat().getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
    } catch (IOException | InterruptedException e) {
      // The client went away (or the server stops).
    } finally {
      subscription.close();
      try {
        out.close();
      } catch (IOException e) {
        // already gone
      }
    }
  }

  // ---------------------------------------------------------------- plumbing

  /** HTTP Basic users of {@link KitUser}, with the roles the settings name. */
  private record Security(FlagsSettings settings, boolean enabled) {
    Optional<FlagsHttpRequest.Caller> caller(HttpExchange exchange) {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (!enabled || auth == null || !auth.startsWith("Basic ")) {
        return Optional.empty();
      }
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      for (KitUser user : KitUser.values()) {
        if (user != KitUser.NONE && decoded.equals(user.username() + ":" + user.password())) {
          String role =
              user == KitUser.VIEWER
                  ? settings.admin().viewerRole()
                  : user == KitUser.EDITOR ? settings.admin().editorRole() : "";
          return Optional.of(
              new FlagsHttpRequest.Caller(user.username(), r -> !role.isEmpty() && r.equals(role)));
        }
      }
      return Optional.empty();
    }
  }

  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return out;
  }

  private static Map<String, List<String>> headers(Headers headers) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    headers.forEach((k, v) -> out.put(k, List.copyOf(v)));
    return out;
  }

  private static byte[] readAtMost(InputStream in, int max) throws IOException {
    byte[] bytes = in.readNBytes(max);
    in.transferTo(OutputStream.nullOutputStream());
    return bytes;
  }

  private static void write(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
