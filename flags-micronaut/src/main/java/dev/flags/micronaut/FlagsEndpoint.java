package dev.flags.micronaut;

import dev.flags.core.EvaluationContext;
import dev.flags.core.EvaluationDetail;
import dev.flags.core.EvaluationReason;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.JsonValue;
import dev.flags.core.json.FlagCodec;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.management.endpoint.annotation.Endpoint;
import io.micronaut.management.endpoint.annotation.Read;
import io.micronaut.management.endpoint.annotation.Selector;
import io.micronaut.management.endpoint.annotation.Write;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code flags} management endpoint ({@code /flags} by default):
 *
 * <ul>
 *   <li>{@code GET /flags}: the store's status and every flag (on, version, variations, owner,
 *       tags, kill date, whether it is stale);
 *   <li>{@code GET /flags/{flag}?key=user-1&kind=user&attributes=country:DE,plan:pro}: explains the
 *       evaluation for that context: value, variation, reason (rule, bucket…) and the flag's
 *       definition in the JSON format;
 *   <li>{@code POST /flags/{flag}} with a JSON body {@code {"on": true}}, {@code
 *       {"rolloutPercentage": 25}} or {@code {"addTargets": ["user-1"], "variation": 1}}, plus
 *       {@code "reason"} for the audit: changes the flag in the properties or Redis store. Refused
 *       with 403 unless {@code flags.endpoint.write-enabled=true}.
 * </ul>
 *
 * <p>The audit's actor is the request's authenticated principal ({@link
 * HttpRequest#getUserPrincipal()}: micronaut-security sets it, and any filter may); an {@code
 * "actor"} in the body is then ignored, so nobody can write in someone else's name. Only without an
 * authenticated principal is the body's {@code "actor"} recorded, as a claim nobody checked
 * (default {@value #DEFAULT_ACTOR}): put the writes behind authentication when the audit matters.
 *
 * <p>Like every Micronaut endpoint it is sensitive by default (only for authenticated users with
 * micronaut-security); set {@code endpoints.flags.sensitive=false} to open it, {@code
 * endpoints.flags.enabled=false} to remove it. Answers are written without a JSON mapper, in the
 * same form whatever the application uses. Thread-safe.
 */
@Endpoint(id = FlagsEndpoint.ID)
@Requires(classes = Endpoint.class)
@Requires(beans = Flags.class)
public class FlagsEndpoint {

  /** The endpoint id (and path). */
  public static final String ID = "flags";

  /**
   * The audit's actor of a write without an authenticated principal and without {@code "actor"}.
   */
  public static final String DEFAULT_ACTOR = "flags-endpoint";

  private final Flags flags;
  private final FlagWrites writes;
  private final boolean writeEnabled;
  private final FlagCodec codec = FlagCodec.standard();

  FlagsEndpoint(Flags flags, FlagWrites writes, FlagsConfiguration config) {
    this.flags = flags;
    this.writes = writes;
    this.writeEnabled = config.getEndpoint().isWriteEnabled();
  }

  /** The store's status and every flag. */
  @Read(produces = MediaType.APPLICATION_JSON)
  public String list() {
    Set<String> stale =
        flags.flagsPastKillDate().stream().map(Flag::key).collect(Collectors.toSet());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", flags.status().name());
    out.put("initialized", flags.isInitialized());
    out.put("writeEnabled", writeEnabled);
    out.put(
        "flags", flags.allFlags().stream().map(f -> summary(f, stale.contains(f.key()))).toList());
    return Json.write(JsonValue.from(out));
  }

  /**
   * Explains the evaluation of one flag for a context.
   *
   * @param flag the flag key
   * @param key the context key (default {@code anonymous})
   * @param kind the context kind (default {@code user})
   * @param attributes {@code name:value} pairs separated by commas; values are strings
   */
  @Read(produces = MediaType.APPLICATION_JSON)
  public String explain(
      @Selector String flag,
      @Nullable String key,
      @Nullable String kind,
      @Nullable String attributes) {
    EvaluationContext context = context(key, kind, attributes);
    Flag definition =
        flags
            .flag(flag)
            .orElseThrow(
                () -> new HttpStatusException(HttpStatus.NOT_FOUND, "no flag \"" + flag + "\""));
    EvaluationDetail<JsonValue> detail = flags.getJsonDetail(flag, context, JsonValue.NULL);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("flag", flag);
    out.put("context", contextJson(context));
    out.put("value", detail.value());
    out.put(
        "variation",
        detail.variationIndex().isPresent() ? detail.variationIndex().getAsInt() : null);
    out.put("reason", reason(detail.reason()));
    out.put("definition", codec.parse(codec.encode(definition)));
    return Json.write(JsonValue.from(out));
  }

  /**
   * Changes a flag: exactly one of {@code on}, {@code rolloutPercentage}, {@code addTargets}.
   *
   * @param flag the flag key
   * @param on switch the flag on or off
   * @param rolloutPercentage serve the flag's "on" variation to this percentage (0..100)
   * @param addTargets context keys to serve {@code variation} individually
   * @param variation the variation of {@code addTargets} (default 1, "true" of a boolean flag)
   * @param actor who, for the audit, used only when the request has no authenticated principal
   *     (default {@value #DEFAULT_ACTOR})
   * @param reason why, for the audit
   * @param request the request, whose authenticated principal is the actor
   */
  @Write(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public String update(
      @Selector String flag,
      @Nullable Boolean on,
      @Nullable Double rolloutPercentage,
      @Nullable List<String> addTargets,
      @Nullable Integer variation,
      @Nullable String actor,
      @Nullable String reason,
      HttpRequest<?> request) {
    if (!writeEnabled) {
      throw new HttpStatusException(
          HttpStatus.FORBIDDEN,
          "write operations are disabled; set flags.endpoint.write-enabled=true to allow them");
    }
    int changes =
        (on != null ? 1 : 0) + (rolloutPercentage != null ? 1 : 0) + (addTargets != null ? 1 : 0);
    if (changes != 1) {
      throw new HttpStatusException(
          HttpStatus.BAD_REQUEST,
          "give exactly one of \"on\", \"rolloutPercentage\", \"addTargets\"");
    }
    FlagWrites.Change change =
        on != null
            ? new FlagWrites.SetOn(on)
            : rolloutPercentage != null
                ? new FlagWrites.SetRollout(rolloutPercentage)
                : new FlagWrites.AddTargets(variation == null ? 1 : variation, addTargets);
    Flag updated =
        writes.apply(
            flag,
            change,
            actor(request.getUserPrincipal().orElse(null), actor),
            reason == null ? "" : reason);
    return Json.write(JsonValue.from(summary(updated, false)));
  }

  /** The authenticated principal's name; without one, what the body claims. */
  static String actor(@Nullable Principal principal, @Nullable String claimed) {
    if (principal != null && principal.getName() != null && !principal.getName().isBlank()) {
      return principal.getName();
    }
    return claimed == null || claimed.isBlank() ? DEFAULT_ACTOR : claimed;
  }

  private static Map<String, Object> summary(Flag f, boolean stale) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", f.key());
    m.put("on", f.on());
    m.put("version", f.version());
    m.put("variations", f.variations());
    m.put("description", f.metadata().description());
    m.put("owner", f.metadata().owner());
    m.put("tags", f.metadata().tags());
    m.put("killDate", f.metadata().killDate().map(Object::toString).orElse(null));
    m.put("stale", stale);
    return m;
  }

  private static EvaluationContext context(
      @Nullable String key, @Nullable String kind, @Nullable String attributes) {
    try {
      EvaluationContext.Builder b =
          EvaluationContext.builder(key == null || key.isBlank() ? "anonymous" : key);
      if (kind != null && !kind.isBlank()) {
        b.kind(kind);
      }
      if (attributes != null && !attributes.isBlank()) {
        for (String pair : attributes.split(",")) {
          int colon = pair.indexOf(':');
          if (colon <= 0) {
            throw new IllegalArgumentException("attributes: \"" + pair + "\" is not name:value");
          }
          b.set(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
        }
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new HttpStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
    }
  }

  private static Map<String, Object> contextJson(EvaluationContext c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", c.key());
    m.put("kind", c.kind());
    m.put("anonymous", c.anonymous());
    m.put("attributes", c.attributes());
    return m;
  }

  private static Map<String, Object> reason(EvaluationReason r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", r.kind().name());
    r.ruleIndex().ifPresent(i -> m.put("ruleIndex", i));
    r.ruleId().ifPresent(id -> m.put("ruleId", id));
    r.bucket().ifPresent(b -> m.put("bucket", b));
    r.prerequisiteKey().ifPresent(p -> m.put("prerequisiteKey", p));
    r.errorKind().ifPresent(e -> m.put("errorKind", e.name()));
    return m;
  }
}
