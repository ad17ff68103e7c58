package dev.flags.integration;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link FlagsHttpHandler} (the {@link AdminApi}…) answers: a status, headers ({@code
 * Content-Type}, {@code ETag}, {@code Location}, {@code Allow}…) and a body — JSON ({@code
 * application/json}), a problem ({@code application/problem+json}, RFC 9457), an HTML page — or,
 * instead of a body, a stream of server-sent events that goes on after the handler returned. The
 * adapter writes them as they are; for {@link #events()} it follows {@link FlagsEventStream}'s
 * contract. Immutable and thread-safe.
 *
 * @param status the HTTP status
 * @param headers the response headers, in order
 * @param body the body; {@code ""} for none (204, or an event stream)
 * @param events the events to stream to the client after the headers, instead of the body
 */
public record FlagsHttpResponse(
    int status, Map<String, String> headers, String body, Optional<FlagsEventStream> events) {

  public FlagsHttpResponse {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(events, "events");
    if (events.isPresent() && !body.isEmpty()) {
      throw new IllegalArgumentException("body: an event stream has no body");
    }
  }

  /** A response with a body (or none, {@code ""}) and no event stream. */
  public FlagsHttpResponse(int status, Map<String, String> headers, String body) {
    this(status, headers, body, Optional.empty());
  }

  /**
   * A {@code 200 text/event-stream} response whose events {@code stream} sends, with {@code
   * Cache-Control: no-cache} and {@code X-Accel-Buffering: no} (so nginx passes events on at once).
   */
  public static FlagsHttpResponse eventStream(FlagsEventStream stream) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "text/event-stream; charset=utf-8");
    headers.put("Cache-Control", "no-cache");
    headers.put("X-Accel-Buffering", "no");
    return new FlagsHttpResponse(200, headers, "", Optional.of(stream));
  }

  /** A header's value, if set. */
  public Optional<String> header(String name) {
    return headers.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst();
  }
}
