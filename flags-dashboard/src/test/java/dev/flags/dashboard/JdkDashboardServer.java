package dev.flags.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flags.core.Subscription;
import dev.flags.integration.FlagsEventStream;
import dev.flags.integration.FlagsHttpRequest;
import dev.flags.integration.FlagsHttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The thinnest adapter there is, for the dashboard: the JDK's own HTTP server, a sign-in form with
 * users and roles kept in memory (the application's security), and the dashboard mounted at its
 * path — including its event stream, pumped on the request's thread from a bounded queue (the
 * blocking way of {@link FlagsEventStream}'s contract). The browser tests run against it; the
 * Spring Boot and Micronaut adapters mount the same handler.
 */
public final class JdkDashboardServer implements AutoCloseable {

  /** A user of the sign-in form. */
  public record User(String name, String password, String role) {}

  /** The most events queued for one client before it counts as gone. */
  static final int QUEUE = 1000;

  private static final String COOKIE = "session";
  private static final Object END = new Object();

  private final HttpServer server;
  private final ExecutorService executor;
  private final Dashboard dashboard;
  private final Map<String, User> users = new LinkedHashMap<>();
  private final Map<String, User> sessions = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  private JdkDashboardServer(Dashboard dashboard, List<User> users) throws IOException {
    this.dashboard = dashboard;
    users.forEach(u -> this.users.put(u.name(), u));
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    String base = dashboard.path();
    server.createContext(base, this::dashboard);
    server.createContext("/login", this::login);
    server.start();
  }

  /** Serves {@code dashboard} at its path, with these users. */
  public static JdkDashboardServer start(Dashboard dashboard, List<User> users) throws IOException {
    return new JdkDashboardServer(dashboard, users);
  }

  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The dashboard's address. */
  public URI dashboardUri() {
    return URI.create(baseUri() + dashboard.path() + "/");
  }

  public Dashboard dashboard() {
    return dashboard;
  }

  @Override
  public void close() {
    dashboard.close();
    server.stop(0);
    executor.shutdownNow();
  }

  // ---------------------------------------------------------------- sign-in

  private void login(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (exchange.getRequestMethod().equals("POST")) {
        Map<String, String> form =
            form(new String(readAtMost(exchange.getRequestBody(), 8192), StandardCharsets.UTF_8));
        User u = users.get(form.getOrDefault("username", ""));
        if (u != null && u.password().equals(form.getOrDefault("password", ""))) {
          byte[] id = new byte[24];
          random.nextBytes(id);
          String session = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
          sessions.put(session, u);
          exchange
              .getResponseHeaders()
              .add("Set-Cookie", COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Lax");
          String next = form.getOrDefault("next", "");
          exchange
              .getResponseHeaders()
              .add(
                  "Location",
                  next.startsWith("/") && !next.startsWith("//") ? next : dashboard.path() + "/");
          write(exchange, 303, "");
          return;
        }
      }
      String next =
          Optional.ofNullable(exchange.getRequestURI().getRawQuery())
              .filter(q -> q.startsWith("next="))
              .map(q -> URLDecoder.decode(q.substring(5), StandardCharsets.UTF_8))
              .orElse(dashboard.path() + "/");
      String page =
          "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in</title>"
              + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
              + "<link rel=\"stylesheet\" href=\""
              + dashboard.path()
              + "/assets/dashboard.css\">"
              + "</head><body><main id=\"main\"><h1>Sign in</h1>"
              + "<form method=\"post\" action=\"/login\">"
              + "<input type=\"hidden\" name=\"next\" value=\""
              + Html.escape(next)
              + "\">"
              + "<div class=\"field\"><label for=\"username\">User</label>"
              + "<input id=\"username\" name=\"username\" autocomplete=\"username\"></div>"
              + "<div class=\"field\"><label for=\"password\">Password</label>"
              + "<input id=\"password\" name=\"password\" type=\"password\""
              + " autocomplete=\"current-password\"></div>"
              + "<button type=\"submit\" class=\"primary\" id=\"sign-in\">Sign in</button>"
              + "</form></main></body></html>";
      exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
      write(exchange, exchange.getRequestMethod().equals("POST") ? 401 : 200, page);
    }
  }

  private Optional<FlagsHttpRequest.Caller> caller(HttpExchange exchange) {
    List<String> cookies = exchange.getRequestHeaders().get("Cookie");
    if (cookies != null) {
      for (String header : cookies) {
        for (String pair : header.split(";")) {
          int eq = pair.indexOf('=');
          if (eq > 0 && pair.substring(0, eq).strip().equals(COOKIE)) {
            User u = sessions.get(pair.substring(eq + 1).strip());
            if (u != null) {
              return Optional.of(new FlagsHttpRequest.Caller(u.name(), r -> r.equals(u.role())));
            }
          }
        }
      }
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- the dashboard

  private void dashboard(HttpExchange exchange) throws IOException {
    try (exchange) {
      String base = dashboard.path();
      String path = exchange.getRequestURI().getPath();
      String rest = path.substring(base.length());
      if (!rest.isEmpty() && !rest.startsWith("/")) {
        write(exchange, 404, "");
        return;
      }
      Optional<FlagsHttpRequest.Caller> caller = caller(exchange);
      if (caller.isEmpty()
          && exchange.getRequestMethod().equals("GET")
          && !rest.startsWith("/assets/")) {
        // The application's security: browsers sign in first.
        String target =
            path
                + (exchange.getRequestURI().getRawQuery() == null
                    ? ""
                    : "?" + exchange.getRequestURI().getRawQuery());
        exchange
            .getResponseHeaders()
            .add("Location", "/login?next=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
        write(exchange, 302, "");
        return;
      }
      byte[] body = readAtMost(exchange.getRequestBody(), Dashboard.MAX_BODY_BYTES + 1);
      FlagsHttpRequest request =
          new FlagsHttpRequest(
              exchange.getRequestMethod(),
              rest.isEmpty() ? "/" : rest,
              query(exchange.getRequestURI().getRawQuery()),
              headers(exchange),
              new String(body, StandardCharsets.UTF_8),
              caller,
              exchange.getRemoteAddress().getAddress().getHostAddress());
      FlagsHttpResponse response = dashboard.handle(request);
      response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      if (response.events().isPresent()) {
        pump(exchange, response.status(), response.events().get());
        return;
      }
      write(exchange, response.status(), response.body());
    }
  }

  /** The blocking way: the request's thread writes what the stream queues, until either ends. */
  private static void pump(HttpExchange exchange, int status, FlagsEventStream stream)
      throws IOException {
    exchange.sendResponseHeaders(status, 0);
    OutputStream out = exchange.getResponseBody();
    out.flush();
    BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
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
                queue.offer(END);
              }
            });
    try {
      while (true) {
        Object next = queue.poll(FlagsEventStream.HEARTBEAT.toMillis() * 2, TimeUnit.MILLISECONDS);
        if (next == END) {
          break;
        }
        if (next == null) {
          continue;
        }
        out.write(((FlagsEventStream.Event) next).wireFormat().getBytes(StandardCharsets.UTF_8));
        out.flush();
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

  private static Map<String, List<String>> headers(HttpExchange exchange) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> out.put(k, List.copyOf(v)));
    return out;
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

  private static Map<String, String> form(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    query(body).forEach((k, v) -> out.put(k, v.get(0)));
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
