package dev.flags.examples.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.JsonValue;
import dev.flags.core.json.FlagCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * Real HTTP calls to a started checkout service, either example's: they answer the same requests.
 * Requests that must succeed assert it. Thread-safe.
 */
public final class CheckoutHttp {

  /** The thousand users of the canary counts. */
  public static final int USERS = 1000;

  public static final int CONCURRENCY = 16;

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public CheckoutHttp(int port) {
    this.base = "http://localhost:" + port;
  }

  /** {@code GET /checkout} as {@code user} (the X-User-Id header), as field name to text. */
  public Map<String, String> checkout(String user) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(base + "/checkout")).header("X-User-Id", user).GET());
    assertThat(response.statusCode())
        .as("GET /checkout for %s: %s", user, response.body())
        .isEqualTo(200);
    return fields(response.body());
  }

  /** The users among user-1 … user-1000 whom {@code GET /checkout} gives the new flow. */
  public Set<String> canaryUsers() {
    Set<String> users = new TreeSet<>();
    checkoutAll(IntStream.rangeClosed(1, USERS).mapToObj(i -> "user-" + i).toList())
        .forEach(
            (user, checkout) -> {
              if ("new".equals(checkout.get("flow"))) {
                users.add(user);
              }
            });
    return users;
  }

  /** {@code GET /checkout} for each of {@code users}, {@value #CONCURRENCY} requests at a time. */
  public Map<String, Map<String, String>> checkoutAll(List<String> users) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (int from = 0; from < users.size(); from += CONCURRENCY) {
      List<String> slice = users.subList(from, Math.min(from + CONCURRENCY, users.size()));
      List<CompletableFuture<Map<String, String>>> batch =
          slice.stream()
              .map(
                  user ->
                      client
                          .sendAsync(
                              HttpRequest.newBuilder(URI.create(base + "/checkout"))
                                  .header("X-User-Id", user)
                                  .timeout(Duration.ofSeconds(10))
                                  .GET()
                                  .build(),
                              HttpResponse.BodyHandlers.ofString())
                          .thenApply(
                              response -> {
                                assertThat(response.statusCode())
                                    .as("GET /checkout for %s: %s", user, response.body())
                                    .isEqualTo(200);
                                return fields(response.body());
                              }))
              .toList();
      for (int i = 0; i < slice.size(); i++) {
        out.put(slice.get(i), batch.get(i).join());
      }
    }
    return out;
  }

  /** A {@code GET} of {@code path}, as {@code user} (the X-User-Id header) unless {@code null}. */
  public HttpResponse<String> get(String path, String user) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (user != null) {
      request.header("X-User-Id", user);
    }
    return send(request);
  }

  /** A JSON POST, with HTTP Basic credentials {@code user:password} unless {@code null}. */
  public HttpResponse<String> post(String path, String json, String credentials) {
    return send("POST", path, json, credentials);
  }

  /** A JSON PUT, with HTTP Basic credentials {@code user:password} unless {@code null}. */
  public HttpResponse<String> put(String path, String json, String credentials) {
    return send("PUT", path, json, credentials);
  }

  /** A GET with HTTP Basic credentials {@code user:password}: the admin API's reads. */
  public HttpResponse<String> getAs(String path, String credentials) {
    return send("GET", path, null, credentials);
  }

  /**
   * The keys of the flags the admin API lists as past their kill date ({@code GET
   * /flags/api/flags?pastKillDate=true}), asked with these credentials.
   */
  public List<String> pastKillDate(String credentials) {
    HttpResponse<String> r = getAs("/flags/api/flags?pastKillDate=true", credentials);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonValue flags = ((JsonValue.Obj) json(r.body())).members().get("flags");
    return ((JsonValue.Arr) Objects.requireNonNull(flags, r.body()))
        .elements().stream()
            .map(f -> (JsonValue.Str) ((JsonValue.Obj) f).members().get("key"))
            .map(key -> Objects.requireNonNull(key, r.body()).value())
            .toList();
  }

  /** A request with a JSON body (none when {@code null}) and HTTP Basic credentials, if given. */
  public HttpResponse<String> send(
      String method, String path, @Nullable String json, String credentials) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (credentials != null) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return send(request);
  }

  /** A response body, parsed. */
  public static JsonValue json(String body) {
    return FlagCodec.standard().parse(body);
  }

  /** The members of a JSON object, as text (strings unquoted). */
  public static Map<String, String> fields(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    ((JsonValue.Obj) json(body))
        .members()
        .forEach((k, v) -> out.put(k, v instanceof JsonValue.Str s ? s.value() : v.toString()));
    return out;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(
          request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
