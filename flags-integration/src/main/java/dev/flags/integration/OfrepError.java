package dev.flags.integration;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An OFREP answer that is an error, thrown inside {@link OfrepHandler}: the status, the OpenFeature
 * error code ({@code errorCode}; none for 401, 403, 404 of a path, 405, 413 and 5xx) and the
 * details ({@code errorDetails}).
 */
final class OfrepError extends RuntimeException {

  final int status;
  final Optional<String> code;
  final Map<String, String> headers = new LinkedHashMap<>();

  private OfrepError(int status, Optional<String> code, String details) {
    super(details, null, false, false);
    this.status = status;
    this.code = code;
  }

  static OfrepError parse(String details) {
    return new OfrepError(400, Optional.of("PARSE_ERROR"), details);
  }

  static OfrepError invalidContext(String details) {
    return new OfrepError(400, Optional.of("INVALID_CONTEXT"), details);
  }

  static OfrepError targetingKeyMissing(String details) {
    return new OfrepError(400, Optional.of("TARGETING_KEY_MISSING"), details);
  }

  static OfrepError flagNotFound(String details) {
    return new OfrepError(404, Optional.of("FLAG_NOT_FOUND"), details);
  }

  static OfrepError unauthenticated(String details, boolean bearer) {
    OfrepError e = new OfrepError(401, Optional.empty(), details);
    if (bearer) {
      e.headers.put("WWW-Authenticate", "Bearer realm=\"ofrep\"");
    }
    return e;
  }

  static OfrepError forbidden(String details) {
    return new OfrepError(403, Optional.empty(), details);
  }

  static OfrepError noRoute(String details) {
    return new OfrepError(404, Optional.empty(), details);
  }

  static OfrepError methodNotAllowed(String details) {
    OfrepError e = new OfrepError(405, Optional.empty(), details);
    e.headers.put("Allow", "POST");
    return e;
  }

  static OfrepError tooLarge(String details) {
    return new OfrepError(413, Optional.empty(), details);
  }

  static OfrepError unavailable(String details) {
    OfrepError e = new OfrepError(503, Optional.of("GENERAL"), details);
    e.headers.put("Retry-After", "1");
    return e;
  }

  static OfrepError internal() {
    return new OfrepError(
        500, Optional.empty(), "an unexpected error; the application log has the details");
  }
}
