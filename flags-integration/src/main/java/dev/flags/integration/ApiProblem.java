package dev.flags.integration;

import dev.flags.core.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An answer of the admin API that is a problem (RFC 9457): thrown inside a handler, written as
 * {@code application/problem+json} with {@code type}, {@code title}, {@code status}, {@code detail}
 * and its extras. The kinds are the constants below; docs/admin-api.md lists them.
 */
final class ApiProblem extends RuntimeException {

  /** The prefix of every problem type: a URN, so it names no web site. */
  static final String TYPE_PREFIX = "urn:flags:problem:";

  final int status;
  final String type;
  final String title;
  final Map<String, Object> extras = new LinkedHashMap<>();
  final Map<String, String> headers = new LinkedHashMap<>();

  private ApiProblem(int status, String type, String title, @Nullable String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
  }

  static ApiProblem badRequest(@Nullable String detail) {
    return new ApiProblem(400, "bad-request", "Bad request", detail);
  }

  static ApiProblem invalidFlag(String path, @Nullable String detail) {
    return new ApiProblem(400, "invalid-definition", "Invalid definition", detail)
        .with("path", path);
  }

  static ApiProblem unauthenticated() {
    return new ApiProblem(
        401,
        "unauthenticated",
        "Authentication required",
        "the admin API needs an authenticated caller");
  }

  static ApiProblem forbidden(@Nullable String detail) {
    return new ApiProblem(403, "forbidden", "Forbidden", detail);
  }

  static ApiProblem notFound(@Nullable String detail) {
    return new ApiProblem(404, "not-found", "Not found", detail);
  }

  static ApiProblem noRoute(@Nullable String detail) {
    return new ApiProblem(404, "no-route", "No such resource", detail);
  }

  static ApiProblem methodNotAllowed(@Nullable String detail, String allow) {
    ApiProblem p = new ApiProblem(405, "method-not-allowed", "Method not allowed", detail);
    p.headers.put("Allow", allow);
    return p;
  }

  static ApiProblem writesDisabled(String allow) {
    ApiProblem p =
        new ApiProblem(
            405,
            "writes-disabled",
            "Writes are disabled",
            "this API accepts no writes; set "
                + Setting.ADMIN_WRITE_ENABLED.key()
                + "=true to enable them");
    p.headers.put("Allow", allow);
    return p.with("property", Setting.ADMIN_WRITE_ENABLED.key());
  }

  static ApiProblem conflict(@Nullable String detail) {
    return new ApiProblem(409, "version-conflict", "Version conflict", detail);
  }

  static ApiProblem exists(@Nullable String detail) {
    return new ApiProblem(409, "exists", "Already exists", detail);
  }

  static ApiProblem readOnly(@Nullable String reason) {
    return new ApiProblem(409, "read-only-store", "Read-only store", reason);
  }

  static ApiProblem malformed(@Nullable String detail) {
    return new ApiProblem(409, "malformed-definition", "Stored definition does not read", detail);
  }

  static ApiProblem rolloutsUnavailable(String detail) {
    return new ApiProblem(409, "rollouts-unavailable", "Guarded rollouts unavailable", detail);
  }

  static ApiProblem rolloutState(String detail, String state) {
    return new ApiProblem(409, "rollout-state", "Not in that state", detail).with("state", state);
  }

  static ApiProblem preconditionFailed(@Nullable String detail) {
    return new ApiProblem(412, "precondition-failed", "Precondition failed", detail);
  }

  static ApiProblem tooLarge(@Nullable String detail) {
    return new ApiProblem(413, "too-large", "Request body too large", detail);
  }

  static ApiProblem preconditionRequired(@Nullable String detail) {
    return new ApiProblem(428, "precondition-required", "If-Match required", detail);
  }

  static ApiProblem unavailable(@Nullable String detail, boolean mayHaveBeenApplied) {
    ApiProblem p = new ApiProblem(503, "store-unavailable", "Store unavailable", detail);
    p.headers.put("Retry-After", "1");
    return p.with("mayHaveBeenApplied", mayHaveBeenApplied);
  }

  static ApiProblem internal() {
    return new ApiProblem(
        500,
        "internal",
        "Internal error",
        "an unexpected error; the application log has the details");
  }

  ApiProblem with(String name, Object value) {
    extras.put(name, value);
    return this;
  }

  /** The problem document. */
  JsonValue json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE_PREFIX + type);
    m.put("title", title);
    m.put("status", status);
    m.put("detail", getMessage());
    m.putAll(extras);
    return Json.value(m);
  }
}
