package dev.flags.integration.kit;

import dev.flags.core.JsonValue;
import dev.flags.core.json.FlagCodec;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The kit's HTTP and JSON helpers: real HTTP with the JDK client, JSON with flags-core. */
public final class Kit {

  /** The codec the kit reads and writes JSON with. */
  public static final FlagCodec CODEC = FlagCodec.standard();

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private Kit() {}

  /**
   * Sends a request as {@code user}.
   *
   * @param headers name, value, name, value…
   */
  public static KitResponse send(
      KitApplication app, KitUser user, String method, URI uri, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    app.authenticate(b, user);
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new KitResponse(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new AssertionError(method + " " + uri + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** A value inside a JSON document by path: {@code a.b}, {@code a[0].b}. */
  public static JsonValue at(JsonValue json, String path) {
    JsonValue v = json;
    for (String part : path.split("\\.")) {
      String name = part.contains("[") ? part.substring(0, part.indexOf('[')) : part;
      if (!name.isEmpty()) {
        if (!(v instanceof JsonValue.Obj o) || !o.members().containsKey(name)) {
          throw new AssertionError(
              "no member " + name + " of " + path + " in " + CODEC.write(json));
        }
        v = o.members().get(name);
      }
      int at = part.indexOf('[');
      while (at >= 0) {
        int end = part.indexOf(']', at);
        int index = Integer.parseInt(part.substring(at + 1, end));
        if (!(v instanceof JsonValue.Arr a) || index >= a.elements().size()) {
          throw new AssertionError(
              "no element " + index + " of " + path + " in " + CODEC.write(json));
        }
        v = a.elements().get(index);
        at = part.indexOf('[', end);
      }
    }
    return v;
  }

  /** The text of a JSON string. */
  public static String text(JsonValue v) {
    if (v instanceof JsonValue.Str s) {
      return s.value();
    }
    throw new AssertionError("not a string: " + CODEC.write(v));
  }

  /** A JSON number, exactly. */
  public static BigDecimal number(JsonValue v) {
    if (v instanceof JsonValue.Num n) {
      return n.value();
    }
    throw new AssertionError("not a number: " + CODEC.write(v));
  }

  /** The elements of a JSON array. */
  public static List<JsonValue> elements(JsonValue v) {
    if (v instanceof JsonValue.Arr a) {
      return a.elements();
    }
    throw new AssertionError("not an array: " + CODEC.write(v));
  }

  /** The texts of a JSON array of strings. */
  public static List<String> texts(JsonValue v) {
    List<String> out = new ArrayList<>();
    elements(v).forEach(e -> out.add(text(e)));
    return out;
  }

  /** The members of a JSON object. */
  public static Map<String, JsonValue> members(JsonValue v) {
    if (v instanceof JsonValue.Obj o) {
      return o.members();
    }
    throw new AssertionError("not an object: " + CODEC.write(v));
  }

  /** JSON text from plain values (maps, lists, strings, numbers, booleans, null). */
  public static String json(Object plain) {
    return CODEC.write(JsonValue.from(plain));
  }
}
