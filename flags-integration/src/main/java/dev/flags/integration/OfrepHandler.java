package dev.flags.integration;

import dev.flags.core.EvaluationContext;
import dev.flags.core.EvaluationDetail;
import dev.flags.core.EvaluationReason;
import dev.flags.core.Flag;
import dev.flags.core.FlagMetadata;
import dev.flags.core.Flags;
import dev.flags.core.JsonValue;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The OFREP API's implementation: security, the two evaluation routes, the mapping of our reasons
 * and errors to OpenFeature's, and the bulk call's ETag.
 */
final class OfrepHandler {

  private static final System.Logger LOG = System.getLogger(OfrepApi.class.getName());
  private static final String JSON = "application/json";
  private static final String FLAGS = "/v1/evaluate/flags";
  private static final JsonValue EMPTY = new JsonValue.Obj(Map.of());

  private final Flags flags;
  private final FlagsSettings.Ofrep settings;
  private final Optional<byte[]> tokenDigest;

  OfrepHandler(Flags flags, FlagsSettings.Ofrep settings, Optional<byte[]> tokenDigest) {
    this.flags = flags;
    this.settings = settings;
    this.tokenDigest = tokenDigest;
  }

  FlagsHttpResponse handle(FlagsHttpRequest req) {
    String path =
        req.path().length() > 1 && req.path().endsWith("/")
            ? req.path().substring(0, req.path().length() - 1)
            : req.path();
    // The key of a single-flag call, when the path is one; an error answer then names it.
    Optional<String> key =
        path.startsWith(FLAGS + "/") && path.indexOf('/', FLAGS.length() + 1) < 0
            ? Optional.of(path.substring(FLAGS.length() + 1))
            : Optional.empty();
    try {
      // Who first: a caller without the right to evaluate learns nothing, not even the routes.
      authenticate(req);
      if (!path.equals(FLAGS) && key.isEmpty()) {
        throw OfrepError.noRoute(
            "no OFREP resource at "
                + req.path()
                + "; POST "
                + FLAGS
                + " or "
                + FLAGS
                + "/{key} (docs/ofrep.md)");
      }
      if (!req.method().toUpperCase(Locale.ROOT).equals("POST")) {
        throw OfrepError.methodNotAllowed(
            "OFREP evaluates with POST; " + req.method() + " is not allowed");
      }
      if (req.body().length() > OfrepApi.MAX_BODY_BYTES / 3
          && req.body().getBytes(StandardCharsets.UTF_8).length > OfrepApi.MAX_BODY_BYTES) {
        throw OfrepError.tooLarge("the body is larger than " + OfrepApi.MAX_BODY_BYTES + " bytes");
      }
      EvaluationContext context = OfrepContext.of(parse(req.body()));
      return key.isPresent() ? single(key.get(), context) : bulk(context, req);
    } catch (OfrepError e) {
      return error(e, key);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "flags OFREP: " + req.method() + " " + req.path() + " failed", e);
      return error(OfrepError.internal(), key);
    }
  }

  // ---------------------------------------------------------------- security

  private void authenticate(FlagsHttpRequest req) {
    if (tokenDigest.isPresent()) {
      Optional<String> given =
          req.header("Authorization")
              .map(String::strip)
              .filter(a -> a.regionMatches(true, 0, "Bearer ", 0, 7))
              .map(a -> a.substring(7).strip())
              .or(() -> req.header("X-API-Key").map(String::strip));
      if (given.isEmpty()) {
        throw OfrepError.unauthenticated(
            "OFREP needs the token of flags.ofrep.token: send Authorization: Bearer <token>"
                + " (or X-API-Key: <token>)",
            true);
      }
      // Digests of equal length, compared in constant time: the time says nothing of the token.
      if (!MessageDigest.isEqual(OfrepApi.Builder.digest(given.get()), tokenDigest.get())) {
        throw OfrepError.unauthenticated("the token is not the one of flags.ofrep.token", true);
      }
      return;
    }
    FlagsHttpRequest.Caller caller =
        req.caller()
            .orElseThrow(
                () ->
                    OfrepError.unauthenticated(
                        "OFREP needs a caller the application's security authenticated", false));
    if (settings.role().isPresent() && !caller.hasRole(settings.role().get())) {
      throw OfrepError.forbidden(
          caller.name() + " may not evaluate flags: that needs the role " + settings.role().get());
    }
  }

  // ---------------------------------------------------------------- evaluation

  private static JsonValue parse(String body) {
    if (body.isBlank()) {
      throw OfrepError.parse(
          "the body is empty; send {\"context\": {\"targetingKey\": …}} as application/json");
    }
    try {
      return Json.CODEC.parse(body);
    } catch (IllegalArgumentException e) {
      throw OfrepError.parse("the body is not JSON: " + e.getMessage());
    }
  }

  private FlagsHttpResponse single(String key, EvaluationContext context) {
    EvaluationDetail<JsonValue> detail = flags.getJsonDetail(key, context, JsonValue.NULL);
    Optional<EvaluationReason.ErrorKind> failed = detail.reason().errorKind();
    if (failed.isPresent()) {
      throw failure(key, failed.get());
    }
    return json(200, Map.of(), success(key, detail, flags.flag(key)));
  }

  private FlagsHttpResponse bulk(EvaluationContext context, FlagsHttpRequest req) {
    if (!flags.isInitialized()) {
      throw failure("", EvaluationReason.ErrorKind.CLIENT_NOT_READY);
    }
    List<Object> out = new ArrayList<>();
    for (Flag flag : flags.allFlags()) {
      EvaluationDetail<JsonValue> detail = flags.getJsonDetail(flag.key(), context, JsonValue.NULL);
      Optional<EvaluationReason.ErrorKind> failed = detail.reason().errorKind();
      if (failed.isEmpty()) {
        out.add(success(flag.key(), detail, Optional.of(flag)));
      } else if (failed.get() != EvaluationReason.ErrorKind.FLAG_NOT_FOUND) {
        // FLAG_NOT_FOUND: deleted since the list was read; the list is all flags, so leave it out.
        OfrepError e = failure(flag.key(), failed.get());
        if (e.status >= 500) {
          throw e;
        }
        out.add(failureItem(flag.key(), e));
      }
    }
    Map<String, Object> body = Json.object();
    body.put("flags", out);
    String text = Json.write(body);
    String etag = etag(text);
    if (req.header("If-None-Match").map(h -> matches(h, etag)).orElse(false)) {
      return new FlagsHttpResponse(304, Map.of("ETag", etag), "");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", JSON);
    headers.put("ETag", etag);
    return new FlagsHttpResponse(200, headers, text);
  }

  private static Map<String, Object> success(
      String key, EvaluationDetail<JsonValue> detail, Optional<Flag> flag) {
    Map<String, Object> m = Json.object();
    m.put("key", key);
    // No variation served (an off flag without an off variation): the caller's default, which
    // OFREP says by leaving the value out.
    if (detail.variationIndex().isPresent()) {
      m.put("value", detail.value());
    }
    m.put("reason", reason(detail.reason()));
    if (detail.variationIndex().isPresent()) {
      m.put("variant", Integer.toString(detail.variationIndex().getAsInt()));
    }
    m.put("metadata", metadata(detail.reason(), flag));
    return m;
  }

  /**
   * Our reason as one of OFREP's ({@code STATIC, TARGETING_MATCH, SPLIT, DISABLED, UNKNOWN}), as
   * flags-openfeature's provider maps it: a bucketed answer is a split, a failed prerequisite
   * serves the off variation. The details (rule, prerequisite) go in the metadata.
   */
  static String reason(EvaluationReason r) {
    return switch (r.kind()) {
      case OFF, PREREQUISITE_FAILED -> "DISABLED";
      case TARGET_MATCH -> "TARGETING_MATCH";
      case RULE_MATCH -> r.bucket().isPresent() ? "SPLIT" : "TARGETING_MATCH";
      // OpenFeature's DEFAULT (the provider's answer for a flag with rules that served its
      // fallthrough) is not among OFREP's reasons.
      case FALLTHROUGH -> r.bucket().isPresent() ? "SPLIT" : "STATIC";
      case ERROR -> "UNKNOWN";
    };
  }

  /** Flat metadata (OFREP allows strings, numbers and booleans only); always present. */
  private static Map<String, Object> metadata(EvaluationReason r, Optional<Flag> flag) {
    Map<String, Object> m = Json.object();
    if (flag.isPresent()) {
      FlagMetadata meta = flag.get().metadata();
      if (!meta.owner().isEmpty()) {
        m.put("owner", meta.owner());
      }
      if (!meta.description().isEmpty()) {
        m.put("description", meta.description());
      }
      if (!meta.tags().isEmpty()) {
        m.put("tags", String.join(",", meta.tags()));
      }
      meta.killDate().ifPresent(d -> m.put("killDate", d.atOffset(ZoneOffset.UTC).toString()));
      m.put("version", flag.get().version());
    }
    m.put("flagsReason", r.kind().name());
    r.ruleId().filter(id -> !id.isEmpty()).ifPresent(id -> m.put("ruleId", id));
    if (r.ruleIndex().isPresent()) {
      m.put("ruleIndex", r.ruleIndex().getAsInt());
    }
    r.prerequisiteKey().filter(p -> !p.isEmpty()).ifPresent(p -> m.put("prerequisite", p));
    return m;
  }

  private static OfrepError failure(String key, EvaluationReason.ErrorKind kind) {
    return switch (kind) {
      case FLAG_NOT_FOUND -> OfrepError.flagNotFound("no flag \"" + key + "\"");
      case MALFORMED_FLAG ->
          OfrepError.parse(
              "the stored definition of flag \"" + key + "\" does not read (flagctl explain)");
      case INVALID_ARGUMENT -> OfrepError.invalidContext("the context or the key is not valid");
      case STORE_UNAVAILABLE, CLIENT_NOT_READY ->
          OfrepError.unavailable("the flag store has not loaded yet; try again");
      case WRONG_TYPE, CLIENT_CLOSED, EXCEPTION -> {
        LOG.log(Level.ERROR, "flags OFREP: evaluating \"" + key + "\" failed: " + kind);
        yield OfrepError.internal();
      }
    };
  }

  private static Map<String, Object> failureItem(String key, OfrepError e) {
    Map<String, Object> m = Json.object();
    m.put("key", key);
    m.put("errorCode", e.code.orElse("GENERAL"));
    m.put("errorDetails", e.getMessage());
    m.put("metadata", EMPTY);
    return m;
  }

  private static FlagsHttpResponse error(OfrepError e, Optional<String> key) {
    Map<String, Object> m = Json.object();
    key.ifPresent(k -> m.put("key", k));
    e.code.ifPresent(c -> m.put("errorCode", c));
    m.put("errorDetails", e.getMessage());
    // OpenFeature's Java OFREP provider reads "metadata" from every answer, errors included, and
    // fails on a body without it.
    m.put("metadata", EMPTY);
    return json(e.status, e.headers, m);
  }

  private static FlagsHttpResponse json(int status, Map<String, String> extra, Object body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", JSON);
    headers.putAll(extra);
    return new FlagsHttpResponse(status, headers, Json.write(body));
  }

  // ---------------------------------------------------------------- ETag

  /**
   * A strong ETag of the bulk answer: a digest of its text. It changes exactly when what this
   * context is served changes, whatever changed it (a flag, a segment, a prerequisite).
   */
  static String etag(String body) {
    byte[] digest = OfrepApi.Builder.digest(body);
    return "\""
        + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27)
        + "\"";
  }

  /** RFC 9110 If-None-Match: {@code *} or a list of tags, compared weakly. */
  static boolean matches(String header, String etag) {
    String ours = etag.startsWith("W/") ? etag.substring(2) : etag;
    for (String part : header.split(",")) {
      String t = part.strip();
      if (t.equals("*")) {
        return true;
      }
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals(ours)) {
        return true;
      }
    }
    return false;
  }
}
