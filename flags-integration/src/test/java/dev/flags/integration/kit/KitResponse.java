package dev.flags.integration.kit;

import dev.flags.core.JsonValue;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Optional;

/**
 * An HTTP response as the kit reads it.
 *
 * @param status the status
 * @param headers the headers
 * @param body the body text
 */
public record KitResponse(int status, HttpHeaders headers, String body) {

  /** The body as JSON. */
  public JsonValue json() {
    return Kit.CODEC.parse(body);
  }

  /** A value inside the JSON body by path: {@code summary.rollout.percentage}, {@code flags[0]}. */
  public JsonValue at(String path) {
    return Kit.at(json(), path);
  }

  /** The text of a string inside the body. */
  public String text(String path) {
    return Kit.text(at(path));
  }

  /** A header's first value. */
  public Optional<String> header(String name) {
    return headers.firstValue(name);
  }

  /** Every value of a header. */
  public List<String> headers(String name) {
    return headers.allValues(name);
  }

  @Override
  public String toString() {
    return status + " " + headers.map() + " " + body;
  }
}
