package dev.flags.integration;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link FlagsHttpHandler} (the {@link AdminApi}…) answers: a status, headers ({@code
 * Content-Type}, {@code ETag}, {@code Location}, {@code Allow}…) and a body, JSON ({@code
 * application/json}) or a problem ({@code application/problem+json}, RFC 9457). The adapter writes
 * them as they are. Immutable and thread-safe.
 *
 * @param status the HTTP status
 * @param headers the response headers, in order
 * @param body the body; {@code ""} for none (204)
 */
public record FlagsHttpResponse(int status, Map<String, String> headers, String body) {

  public FlagsHttpResponse {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    Objects.requireNonNull(body, "body");
  }

  /** A header's value, if set. */
  public java.util.Optional<String> header(String name) {
    return headers.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst();
  }
}
