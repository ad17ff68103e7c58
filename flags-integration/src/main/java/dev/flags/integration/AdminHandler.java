package dev.flags.integration;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.FlagMetadata;
import dev.flags.core.FlagValidationException;
import dev.flags.core.Flags;
import dev.flags.core.JsonValue;
import dev.flags.core.Segment;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.Change;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.core.admin.FlagConflictException;
import dev.flags.core.admin.FlagNotFoundException;
import dev.flags.core.admin.FlagRecord;
import dev.flags.core.admin.MalformedFlagException;
import dev.flags.core.admin.ReadOnlyStoreException;
import dev.flags.core.admin.RestorePoint;
import dev.flags.core.admin.StoreUnavailableException;
import dev.flags.core.admin.VersionedFlag;
import dev.flags.core.admin.VersionedSegment;
import dev.flags.core.json.FlagFormatException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** The admin API's implementation: routing, security, the operations, and errors as problems. */
final class AdminHandler {

  private static final System.Logger LOG = System.getLogger(AdminApi.class.getName());
  private static final String JSON = "application/json";
  private static final String PROBLEM = "application/problem+json";

  /** How often a read-then-edit without If-Match tries again when someone wrote in between. */
  private static final int EDIT_ATTEMPTS = 10;

  private final FlagsRuntime runtime;
  private final Flags flags;
  private final FlagAdmin admin;
  private final FlagsSettings.Admin settings;
  private final boolean insecure;
  private final Clock clock;
  private final Optional<RolloutPlans> rollouts;

  AdminHandler(FlagsRuntime runtime, boolean insecure, Optional<RolloutPlans> rollouts) {
    this.runtime = runtime;
    this.rollouts = rollouts;
    this.flags = runtime.flags();
    this.admin = runtime.admin();
    this.settings = runtime.settings().admin();
    this.insecure = insecure;
    this.clock = runtime.clock();
  }

  /** A successful answer: status, extra headers, and a JSON body (none for 204). */
  private record Reply(int status, Map<String, String> headers, @Nullable Object body) {
    static Reply ok(Object body) {
      return new Reply(200, Map.of(), body);
    }

    static Reply ok(Object body, long version) {
      return new Reply(200, Map.of("ETag", etag(version)), body);
    }
  }

  FlagsHttpResponse handle(FlagsHttpRequest req) {
    String actor = "(unauthenticated)";
    String method = req.method().toUpperCase(Locale.ROOT);
    try {
      // Who first: a caller without the right to read learns nothing, not even which paths exist.
      FlagsHttpRequest.Caller caller = authenticate(req);
      actor = caller.name();
      authorize(false, caller);
      List<String> segments = Route.split(req.path());
      List<Route> candidates = Route.ALL.stream().filter(r -> r.matches(segments)).toList();
      if (candidates.isEmpty()) {
        throw ApiProblem.noRoute(
            "no resource at " + req.path() + " (docs/admin-api.md lists the routes)");
      }
      Route route =
          candidates.stream()
              .filter(r -> r.method().equals(method))
              .findFirst()
              .orElseThrow(
                  () ->
                      ApiProblem.methodNotAllowed(
                          method + " is not allowed on " + req.path(), allow(candidates, false)));
      authorize(route.write(), caller);
      if (route.write()) {
        if (!settings.writeEnabled()) {
          throw ApiProblem.writesDisabled(allow(candidates, true));
        }
        Optional<String> readOnly = admin.readOnlyReason();
        if (readOnly.isPresent()) {
          throw ApiProblem.readOnly(readOnly.get());
        }
      }
      // Routes that read no body ignore one, whatever its size.
      if (route.statuses().contains(413)
          && req.body().length() > AdminApi.MAX_BODY_BYTES / 3
          && req.body().getBytes(StandardCharsets.UTF_8).length > AdminApi.MAX_BODY_BYTES) {
        throw ApiProblem.tooLarge(
            "the body is larger than " + AdminApi.MAX_BODY_BYTES + " bytes (docs/limits.md)");
      }
      String key = Route.key(route.template(), segments);
      Reply reply = dispatch(route, key, req, caller);
      Map<String, String> headers = new LinkedHashMap<>();
      if (reply.body() != null) {
        headers.put("Content-Type", JSON);
      }
      headers.putAll(reply.headers());
      return new FlagsHttpResponse(
          reply.status(), headers, reply.body() == null ? "" : Json.write(reply.body()));
    } catch (ApiProblem p) {
      return problem(p);
    } catch (FlagFormatException e) {
      return problem(ApiProblem.invalidFlag(e.path(), e.getMessage()));
    } catch (FlagValidationException e) {
      return problem(ApiProblem.invalidFlag(e.path(), e.getMessage()));
    } catch (FlagNotFoundException e) {
      return problem(ApiProblem.notFound(e.getMessage()));
    } catch (FlagConflictException e) {
      return problem(conflict(e));
    } catch (MalformedFlagException e) {
      return problem(
          ApiProblem.malformed(e.getMessage())
              .with("currentVersion", e.version())
              .with("problem", e.problem()));
    } catch (ReadOnlyStoreException e) {
      return problem(ApiProblem.readOnly(e.getMessage()));
    } catch (StoreUnavailableException e) {
      LOG.log(
          Level.WARNING,
          "flags admin API: "
              + method
              + " "
              + req.path()
              + " by "
              + actor
              + ": the store is unavailable: "
              + e.getMessage()
              + (e.mayHaveBeenApplied() ? " (the write may have been applied)" : ""));
      return problem(ApiProblem.unavailable(e.getMessage(), e.mayHaveBeenApplied()));
    } catch (IllegalArgumentException e) {
      return problem(ApiProblem.badRequest(e.getMessage()));
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "flags admin API: " + method + " " + req.path() + " failed", e);
      return problem(ApiProblem.internal());
    }
  }

  private Reply dispatch(
      Route route, String key, FlagsHttpRequest req, FlagsHttpRequest.Caller caller) {
    return switch (route.operation()) {
      case "listFlags" -> listFlags(req);
      case "createFlag" -> createFlag(req, caller);
      case "getFlag" -> getFlag(key, req);
      case "replaceFlag" -> replaceFlag(key, req, caller);
      case "deleteFlag" -> deleteFlag(key, req, caller);
      case "turnFlagOn" -> setOn(key, true, req, caller);
      case "turnFlagOff" -> setOn(key, false, req, caller);
      case "setRollout" -> setRollout(key, req, caller);
      case "changeTargets" -> changeTargets(key, req, caller);
      case "updateMetadata" -> updateMetadata(key, req, caller);
      case "restoreFlag" -> restore(key, req, caller);
      case "explainFlag" -> explain(key, req);
      case "flagAudit" -> audit(Optional.of(key), req);
      case "audit" -> audit(Optional.empty(), req);
      case "listSegments" -> listSegments(req);
      case "getSegment" -> getSegment(key, req);
      case "putSegment" -> putSegment(key, req, caller);
      case "deleteSegment" -> deleteSegment(key, req, caller);
      case "status" -> status(req);
      case "getGuardedRollout" -> guardedRollout(key, req);
      case "pauseGuardedRollout" -> rolloutAction(key, RolloutPlans.Action.PAUSE, req, caller);
      case "resumeGuardedRollout" -> rolloutAction(key, RolloutPlans.Action.RESUME, req, caller);
      case "abortGuardedRollout" -> rolloutAction(key, RolloutPlans.Action.ABORT, req, caller);
      case "restartGuardedRollout" -> rolloutAction(key, RolloutPlans.Action.RESTART, req, caller);
      default -> throw new IllegalStateException("no handler for " + route.operation());
    };
  }

  // ---------------------------------------------------------------- security

  private FlagsHttpRequest.Caller authenticate(FlagsHttpRequest req) {
    if (req.caller().isPresent()) {
      return req.caller().get();
    }
    if (insecure) {
      if (AddressRange.isLoopback(req.remoteAddress())) {
        return new FlagsHttpRequest.Caller(AdminApi.LOCAL_DEVELOPER, role -> true);
      }
      throw ApiProblem.forbidden(
          Setting.ADMIN_INSECURE_LOCAL_DEVELOPMENT.key()
              + " serves loopback callers only, and this call came from "
              + req.remoteAddress());
    }
    throw ApiProblem.unauthenticated();
  }

  private void authorize(boolean write, FlagsHttpRequest.Caller caller) {
    boolean editor = caller.hasRole(settings.editorRole());
    if (write && !editor) {
      throw ApiProblem.forbidden(
          caller.name() + " may not write: that needs the role " + settings.editorRole());
    }
    if (!editor && !caller.hasRole(settings.viewerRole())) {
      throw ApiProblem.forbidden(
          caller.name()
              + " may not read: that needs the role "
              + settings.viewerRole()
              + " or "
              + settings.editorRole());
    }
  }

  private static String allow(List<Route> routes, boolean readsOnly) {
    return String.join(
        ", ",
        routes.stream()
            .filter(r -> !readsOnly || !r.write())
            .map(Route::method)
            .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
  }

  // ---------------------------------------------------------------- flags

  private Reply listFlags(FlagsHttpRequest req) {
    params(req, Set.of("q", "tag", "owner", "on", "pastKillDate", "malformed"));
    Optional<String> q = req.parameter("q").map(s -> s.toLowerCase(Locale.ROOT));
    Optional<String> tag = req.parameter("tag");
    Optional<String> owner = req.parameter("owner");
    Optional<Boolean> on = bool(req, "on");
    Optional<Boolean> past = bool(req, "pastKillDate");
    Optional<Boolean> malformed = bool(req, "malformed");
    Instant now = clock.instant();
    List<Object> out = new ArrayList<>();
    for (FlagRecord r : admin.list()) {
      Optional<Flag> f = r.flag();
      boolean keep =
          q.map(
                      s ->
                          r.key().toLowerCase(Locale.ROOT).contains(s)
                              || f.map(x -> x.metadata().description().toLowerCase(Locale.ROOT))
                                  .orElse("")
                                  .contains(s))
                  .orElse(true)
              && tag.map(t -> f.map(x -> x.metadata().tags().contains(t)).orElse(false))
                  .orElse(true)
              && owner
                  .map(o -> f.map(x -> x.metadata().owner().equals(o)).orElse(false))
                  .orElse(true)
              && on.map(o -> f.map(x -> x.on() == o).orElse(false)).orElse(true)
              && past.map(p -> f.map(x -> x.metadata().isPastKillDate(now)).orElse(false).equals(p))
                  .orElse(true)
              && malformed.map(m -> r.isMalformed() == m).orElse(true);
      if (keep) {
        out.add(Views.summary(r, now));
      }
    }
    Map<String, Object> body = Json.object();
    body.put("store", runtime.health().details());
    Optional<String> readOnly = admin.readOnlyReason();
    body.put("writable", settings.writeEnabled() && readOnly.isEmpty());
    body.put("readOnlyReason", readOnly);
    body.put("flags", out);
    return Reply.ok(body);
  }

  private Reply getFlag(String key, FlagsHttpRequest req) {
    params(req, Set.of());
    FlagRecord r =
        admin.find(key).orElseThrow(() -> ApiProblem.notFound("no flag \"" + key + "\""));
    return Reply.ok(Views.flag(r, clock.instant()), r.version());
  }

  private Reply createFlag(FlagsHttpRequest req, FlagsHttpRequest.Caller caller) {
    params(req, Set.of());
    JsonValue json = parse(req.body());
    if (!(json instanceof JsonValue.Obj o)
        || !(o.members().get("key") instanceof JsonValue.Str keyValue)) {
      throw ApiProblem.invalidFlag(
          "key", "key: a new flag is a JSON object with its key (docs/flag-format.md)");
    }
    String key = keyValue.value();
    Flag flag = Json.CODEC.decodeFlag(key, req.body());
    VersionedFlag created;
    try {
      created = admin.create(flag, change(caller, "", OptionalLong.empty()));
    } catch (FlagConflictException e) {
      throw ApiProblem.exists(e.getMessage()).with("currentVersion", e.currentVersion());
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Location", (req.path().endsWith("/") ? "" : "flags/") + key);
    headers.put("ETag", etag(created.version()));
    return new Reply(201, headers, Views.flag(stored(created), clock.instant()));
  }

  private Reply replaceFlag(String key, FlagsHttpRequest req, FlagsHttpRequest.Caller caller) {
    params(req, Set.of());
    checkKey(key);
    IfMatch ifMatch =
        ifMatch(req)
            .orElseThrow(
                () ->
                    ApiProblem.preconditionRequired(
                        "replacing a flag needs If-Match: \"<version>\" (the ETag of the version"
                            + " you read), or If-Match: * to replace whatever is stored"));
    Flag flag = Json.CODEC.decodeFlag(key, req.body());
    VersionedFlag replaced =
        ifPresent(
            key,
            Optional.of(ifMatch),
            () -> admin.replace(flag, change(caller, "", ifMatch.version())));
    return written(replaced);
  }

  private Reply deleteFlag(String key, FlagsHttpRequest req, FlagsHttpRequest.Caller caller) {
    params(req, Set.of());
    checkKey(key);
    Optional<IfMatch> ifMatch = ifMatch(req);
    if (!admin.delete(key, change(caller, "", version(ifMatch)))) {
      throw missing("flag", key, ifMatch);
    }
    return new Reply(204, Map.of(), null);
  }

  private Reply setOn(
      String key, boolean on, FlagsHttpRequest req, FlagsHttpRequest.Caller caller) {
    params(req, Set.of());
    checkKey(key);
    Bodies body = Bodies.of(req.body(), Set.of("reason"));
    Optional<IfMatch> ifMatch = ifMatch(req);
    VersionedFlag v =
        ifPresent(
            key,
            ifMatch,
            () -> admin.setOn(key, on, change(caller, body.reason(), version(ifMatch))));
    return written(v);
  }

  private Reply setRollout(String key, FlagsHttpRequest req, FlagsHttpRequest.Caller caller) {
    params(req, Set.of());
    checkKey(key);
    Bodies body = Bodies.of(req.body(), Set.of("percentage", "reason"));
    double percentage =
        body.number("percentage")
            .orElseThrow(
                () -> ApiProblem.badRequest("percentage: give the new percentage, 0 to 100"));
    double[] from = new double[1];
    VersionedFlag after =
        readThenEdit(
            key,
            req,
            caller,
            body.reason(),
            (current, change) -> {
              from[0] =
                  Views.truePercentage(current.flag())
                      .orElseThrow(
                          () ->
                              ApiProblem.badRequest(
                                  "flag \""
                                      + key
                                      + "\" is not a boolean flag; a percentage ramps the share"
                                      + " served true (replace the flag to change other rollouts)"));
              return admin.setRolloutPercentage(key, percentage, change);
            });
    double to = Views.truePercentage(after.flag()).orElse(percentage);
    Map<String, Object> body2 = Views.flag(stored(after), clock.instant());
    Map<String, Object> c = Json.object();
    c.put("from", from[0]);
    c.put("to", to);
    c.put("share", Math.round(Math.abs(to - from[0]) * 1000) / 1000.0);
    c.put("direction", to > from[0] ? "adds" : to < from[0] ? "removes" : "none");
    body2.put("change", c);
    return Reply.ok(body2, after.version());
  }

  private Reply changeTargets(String key, FlagsHttpRequest req, FlagsHttpRequest.Caller caller) {
    params(req, Set.of());
    checkKey(key);
    Bodies body = Bodies.of(req.body(), Set.of("variation", "value", "add", "remove", "reason"));
    if (body.has("variation") == body.has("value")) {
      throw ApiProblem.badRequest(
          "give either variation (an index) or value (a variation's value, such as true)");
    }
    List<String> add = body.strings("add");
    List<String> remove = body.strings("remove");
    if (add.isEmpty() && remove.isEmpty()) {
      throw ApiProblem.badRequest(
          "add or remove: name the context keys to target or to stop targeting");
    }
    if (add.size() + remove.size() > AdminApi.MAX_TARGET_KEYS) {
      throw ApiProblem.badRequest(
          "add, remove: at most "
              + AdminApi.MAX_TARGET_KEYS
              + " context keys per call (docs/limits.md), got "
              + (add.size() + remove.size()));
    }
    Optional<Long> variationIndex = body.whole("variation");
    JsonValue value = body.get("value");
    VersionedFlag after =
        readThenEdit(
            key,
            req,
            caller,
            body.reason(),
            (current, change) -> {
              int index;
              if (variationIndex.isPresent()) {
                long i = variationIndex.get();
                if (i < 0 || i >= current.flag().variations().size()) {
                  throw ApiProblem.badRequest(
                      "variation: flag \""
                          + key
                          + "\" has variations 0 to "
                          + (current.flag().variations().size() - 1)
                          + ", got "
                          + i);
                }
                index = (int) i;
              } else {
                index = current.flag().variations().indexOf(value);
                if (index < 0) {
                  throw ApiProblem.badRequest(
                      "value: flag \""
                          + key
                          + "\" has no variation "
                          + (value == null ? "null" : Json.CODEC.write(value)));
                }
              }
              return admin.editTargets(key, index, add, remove, change);
            });
    return written(after);
  }

  private Reply updateMetadata(String key, FlagsHttpRequest req, FlagsHttpRequest.Caller caller) {
    params(req, Set.of());
    checkKey(key);
    Bodies body =
        Bodies.of(req.body(), Set.of("description", "owner", "tags", "killDate", "reason"));
    if (!body.has("description")
        && !body.has("owner")
        && !body.has("tags")
        && !body.has("killDate")) {
      throw ApiProblem.badRequest("give one or more of description, owner, tags and killDate");
    }
    Optional<String> description = body.string("description");
    Optional<String> owner = body.string("owner");
    Optional<List<String>> tags =
        body.has("tags") ? Optional.of(body.strings("tags")) : Optional.empty();
    boolean setKillDate = body.has("killDate");
    Optional<Instant> killDate = body.string("killDate").map(AdminHandler::instant);
    Optional<IfMatch> ifMatch = ifMatch(req);
    VersionedFlag v =
        ifPresent(
            key,
            ifMatch,
            () ->
                admin.updateMetadata(
                    key,
                    m ->
                        new FlagMetadata(
                            body.has("description") ? description.orElse("") : m.description(),
                            body.has("owner") ? owner.orElse("") : m.owner(),
                            tags.orElse(m.tags()),
                            m.createdAt(),
                            setKillDate ? killDate : m.killDate()),
                    change(caller, body.reason(), version(ifMatch))));
    return written(v);
  }

  private Reply restore(String key, FlagsHttpRequest req, FlagsHttpRequest.Caller caller) {
    params(req, Set.of());
    checkKey(key);
    Bodies body = Bodies.of(req.body(), Set.of("version", "entry", "reason"));
    if (body.has("version") == body.has("entry")) {
      throw ApiProblem.badRequest(
          "give either version (a version the audit log records) or entry (an audit entry id)");
    }
    RestorePoint point =
        body.has("version")
            ? RestorePoint.version(
                body.whole("version").orElseThrow(() -> ApiProblem.badRequest("version: a number")))
            : RestorePoint.entry(
                body.string("entry").orElseThrow(() -> ApiProblem.badRequest("entry: an id")));
    Optional<IfMatch> ifMatch = ifMatch(req);
    if (ifMatch.isPresent() && admin.find(key).isEmpty()) {
      throw missing("flag", key, ifMatch);
    }
    VersionedFlag v = admin.restore(key, point, change(caller, body.reason(), version(ifMatch)));
    return written(v);
  }

  private Reply explain(String key, FlagsHttpRequest req) {
    for (String name : req.query().keySet()) {
      if (!Set.of("key", "kind", "anonymous").contains(name) && !name.startsWith("attr.")) {
        throw ApiProblem.badRequest(
            "unknown parameter " + name + "; expected key, kind, anonymous and attr.<name>");
      }
    }
    checkKey(key);
    String contextKey =
        req.parameter("key")
            .filter(k -> !k.isEmpty())
            .orElseThrow(() -> ApiProblem.badRequest("key: give the context key, ?key=user-1"));
    EvaluationContext.Builder b = EvaluationContext.builder(contextKey);
    req.parameter("kind").filter(k -> !k.isEmpty()).ifPresent(b::kind);
    bool(req, "anonymous").ifPresent(b::anonymous);
    req.query()
        .forEach(
            (name, values) -> {
              if (name.startsWith("attr.")) {
                String attribute = name.substring("attr.".length());
                if (attribute.isEmpty()) {
                  throw ApiProblem.badRequest("attr.: name the attribute, attr.country=DE");
                }
                if (values.size() == 1) {
                  b.set(attribute, values.get(0));
                } else {
                  b.set(attribute, values);
                }
              }
            });
    EvaluationContext context = b.build();
    Optional<String> malformed = runtime.malformedProblem(key);
    if (flags.flag(key).isEmpty() && malformed.isEmpty()) {
      throw ApiProblem.notFound("no flag \"" + key + "\" is served");
    }
    return Reply.ok(Explain.explain(flags, key, context, malformed));
  }

  private Reply audit(Optional<String> flagKey, FlagsHttpRequest req) {
    params(
        req,
        flagKey.isPresent()
            ? Set.of("actor", "since", "until", "limit")
            : Set.of("flag", "actor", "since", "until", "limit"));
    flagKey.ifPresent(AdminHandler::checkKey);
    AuditQuery.Builder q = AuditQuery.builder();
    Optional<String> flag = flagKey.or(() -> req.parameter("flag"));
    flag.ifPresent(q::flag);
    req.parameter("actor").ifPresent(q::actor);
    req.parameter("since").map(s -> time("since", s)).ifPresent(q::from);
    req.parameter("until").map(s -> time("until", s)).ifPresent(q::to);
    int limit = AdminApi.DEFAULT_AUDIT_LIMIT;
    Optional<String> l = req.parameter("limit");
    if (l.isPresent()) {
      try {
        limit = Integer.parseInt(l.get());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > AdminApi.MAX_AUDIT_LIMIT) {
        throw ApiProblem.badRequest(
            "limit: must be within 1.."
                + AdminApi.MAX_AUDIT_LIMIT
                + " (docs/limits.md), got "
                + l.get());
      }
    }
    q.limit(limit);
    List<Object> entries = new ArrayList<>();
    admin.audit(q.build()).forEach(e -> entries.add(Views.auditEntry(e)));
    Map<String, Object> body = Json.object();
    body.put("entries", entries);
    return Reply.ok(body);
  }

  // ---------------------------------------------------------------- guarded rollouts

  private Reply guardedRollout(String key, FlagsHttpRequest req) {
    params(req, Set.of());
    checkKey(key);
    VersionedFlag f = planned(key);
    RolloutPlans plans = plans();
    return Reply.ok(
        Views.guardedRollout(
            f.flag(), f.version(), f.flag().guardedRollout().orElseThrow(), plans.status(key)),
        f.version());
  }

  private Reply rolloutAction(
      String key,
      RolloutPlans.Action action,
      FlagsHttpRequest req,
      FlagsHttpRequest.Caller caller) {
    params(req, Set.of());
    checkKey(key);
    Bodies body = Bodies.of(req.body(), Set.of("reason"));
    planned(key);
    RolloutPlans plans = plans();
    if (!plans.act(key, action, caller.name(), body.reason())) {
      String state = plans.status(key).state().wireName();
      throw ApiProblem.rolloutState(
          "the guarded rollout of \"" + key + "\" is " + state + "; " + action.refusal(), state);
    }
    LOG.log(
        Level.INFO,
        "flags admin API: guarded rollout of "
            + key
            + ": "
            + action.wireName()
            + " by "
            + caller.name());
    // The flag may have moved meanwhile (a step): read it again for the answer.
    VersionedFlag f = planned(key);
    return Reply.ok(
        Views.guardedRollout(
            f.flag(), f.version(), f.flag().guardedRollout().orElseThrow(), plans.status(key)),
        f.version());
  }

  /** The flag, if it has a guarded rollout plan; else 404. */
  private VersionedFlag planned(String key) {
    VersionedFlag f =
        admin.get(key).orElseThrow(() -> ApiProblem.notFound("no flag \"" + key + "\""));
    if (f.flag().guardedRollout().isEmpty()) {
      throw ApiProblem.notFound(
          "flag \""
              + key
              + "\" has no guarded rollout plan (member guardedRollout, docs/guarded-rollouts.md)");
    }
    return f;
  }

  private RolloutPlans plans() {
    return rollouts.orElseThrow(
        () ->
            ApiProblem.rolloutsUnavailable(
                "guarded rollouts need a Redis store ("
                    + Setting.STORE.key()
                    + "=redis) and "
                    + Setting.GUARDED_ROLLOUTS_ENABLED.key()
                    + "=true: their state lives in Redis with the controller that runs them,"
                    + " and this API was given none (docs/guarded-rollouts.md)"));
  }

  // ---------------------------------------------------------------- segments

  private Reply listSegments(FlagsHttpRequest req) {
    params(req, Set.of());
    List<Object> out = new ArrayList<>();
    admin.segments().forEach(s -> out.add(Views.segmentSummary(s)));
    Map<String, Object> body = Json.object();
    body.put("segments", out);
    return Reply.ok(body);
  }

  private Reply getSegment(String key, FlagsHttpRequest req) {
    params(req, Set.of());
    checkKey(key);
    VersionedSegment s =
        admin.segment(key).orElseThrow(() -> ApiProblem.notFound("no segment \"" + key + "\""));
    return Reply.ok(Views.segment(s), s.version());
  }

  private Reply putSegment(String key, FlagsHttpRequest req, FlagsHttpRequest.Caller caller) {
    params(req, Set.of());
    checkKey(key);
    Segment segment = Json.CODEC.decodeSegment(key, req.body());
    Optional<IfMatch> ifMatch = ifMatch(req);
    if (ifMatch.isPresent() && admin.segment(key).isEmpty()) {
      throw missing("segment", key, ifMatch);
    }
    VersionedSegment s = admin.putSegment(segment, change(caller, "", version(ifMatch)));
    return Reply.ok(Views.segment(s), s.version());
  }

  private Reply deleteSegment(String key, FlagsHttpRequest req, FlagsHttpRequest.Caller caller) {
    params(req, Set.of());
    checkKey(key);
    Optional<IfMatch> ifMatch = ifMatch(req);
    if (!admin.deleteSegment(key, change(caller, "", version(ifMatch)))) {
      throw missing("segment", key, ifMatch);
    }
    return new Reply(204, Map.of(), null);
  }

  private Reply status(FlagsHttpRequest req) {
    params(req, Set.of());
    HealthReport health = runtime.health();
    Map<String, Object> body = Json.object();
    body.put("up", health.up());
    body.put("details", health.details());
    body.put("instance", runtime.instanceName());
    body.put("lastSync", runtime.lastSync());
    return Reply.ok(body);
  }

  // ---------------------------------------------------------------- helpers

  /** What {@code If-Match} asks: any version ({@code *}) or one. */
  private record IfMatch(OptionalLong version) {}

  private static Optional<IfMatch> ifMatch(FlagsHttpRequest req) {
    Optional<String> h = req.header("If-Match").map(String::strip);
    if (h.isEmpty()) {
      return Optional.empty();
    }
    String v = h.get();
    if (v.equals("*")) {
      return Optional.of(new IfMatch(OptionalLong.empty()));
    }
    String digits =
        v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2
            ? v.substring(1, v.length() - 1)
            : v;
    if (digits.matches("\\d{1,18}")) {
      return Optional.of(new IfMatch(OptionalLong.of(Long.parseLong(digits))));
    }
    throw ApiProblem.badRequest(
        "If-Match: give the ETag of the version you read, such as \"7\", or *; got " + v);
  }

  private static OptionalLong version(Optional<IfMatch> ifMatch) {
    return ifMatch.map(IfMatch::version).orElse(OptionalLong.empty());
  }

  private static String etag(long version) {
    return "\"" + version + "\"";
  }

  /** 412 when If-Match named a version of something that is not there, else 404. */
  private static ApiProblem missing(String what, String key, Optional<IfMatch> ifMatch) {
    String detail = "no " + what + " \"" + key + "\"";
    return ifMatch.isPresent()
        ? ApiProblem.preconditionFailed(detail + ", so If-Match cannot match")
        : ApiProblem.notFound(detail);
  }

  /** Runs an edit of a flag, turning "not found" into 404 or, with If-Match, 412. */
  private static VersionedFlag ifPresent(
      String key, Optional<IfMatch> ifMatch, java.util.function.Supplier<VersionedFlag> edit) {
    try {
      return edit.get();
    } catch (FlagNotFoundException e) {
      throw missing("flag", key, ifMatch);
    }
  }

  /**
   * Reads the flag, then edits it at the version read, so what the edit depends on (the percentage
   * before, the index of a value) is what it changed; without If-Match a write in between makes it
   * read again.
   */
  private VersionedFlag readThenEdit(
      String key,
      FlagsHttpRequest req,
      FlagsHttpRequest.Caller caller,
      String reason,
      java.util.function.BiFunction<VersionedFlag, Change, VersionedFlag> edit) {
    Optional<IfMatch> ifMatch = ifMatch(req);
    for (int attempt = 1; ; attempt++) {
      VersionedFlag current = admin.get(key).orElseThrow(() -> missing("flag", key, ifMatch));
      OptionalLong expected = version(ifMatch);
      Change change =
          change(
              caller, reason, expected.isPresent() ? expected : OptionalLong.of(current.version()));
      try {
        return ifPresent(key, ifMatch, () -> edit.apply(current, change));
      } catch (FlagConflictException e) {
        if (expected.isPresent() || attempt >= EDIT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static Change change(
      FlagsHttpRequest.Caller caller, String reason, OptionalLong version) {
    Change c = Change.by(caller.name()).because(reason);
    return version.isPresent() ? c.ifVersion(version.getAsLong()) : c;
  }

  private Reply written(VersionedFlag v) {
    return Reply.ok(Views.flag(stored(v), clock.instant()), v.version());
  }

  /**
   * The flag as stored after a write: read back (with its last change and any member this version
   * does not know), unless someone wrote again since, then as written.
   */
  private FlagRecord stored(VersionedFlag v) {
    Optional<FlagRecord> r = admin.find(v.flag().key());
    if (r.isPresent() && r.get().version() == v.version()) {
      return r.get();
    }
    return new FlagRecord(
        v.flag().key(),
        v.version(),
        Optional.of(v.flag()),
        Optional.empty(),
        Json.CODEC.encode(v.flag()),
        Optional.empty());
  }

  private static ApiProblem conflict(FlagConflictException e) {
    return ApiProblem.conflict(e.getMessage())
        .with("currentVersion", e.currentVersion())
        .with("changedBy", e.lastChange().map(Views::changedBy));
  }

  private static void checkKey(String key) {
    Flag.builder(key); // throws FlagValidationException naming the rule
  }

  private static JsonValue parse(String body) {
    if (body.isBlank()) {
      throw ApiProblem.badRequest("the body is empty; send the flag as JSON (docs/flag-format.md)");
    }
    return Json.CODEC.parse(body);
  }

  private static void params(FlagsHttpRequest req, Set<String> allowed) {
    for (String name : req.query().keySet()) {
      if (!allowed.contains(name)) {
        throw ApiProblem.badRequest(
            "unknown parameter "
                + name
                + (allowed.isEmpty()
                    ? "; this resource takes none"
                    : "; expected " + String.join(", ", new TreeSet<>(allowed))));
      }
    }
  }

  private static Optional<Boolean> bool(FlagsHttpRequest req, String name) {
    Optional<String> v = req.parameter(name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    return switch (v.get().toLowerCase(Locale.ROOT)) {
      case "true" -> Optional.of(true);
      case "false" -> Optional.of(false);
      default -> throw ApiProblem.badRequest(name + ": true or false, got " + v.get());
    };
  }

  /** An instant in ISO-8601 ({@code 2026-06-30T00:00:00Z}) or a date ({@code 2026-06-30}, UTC). */
  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e2) {
        throw ApiProblem.badRequest(
            "killDate: an ISO-8601 instant (2026-06-30T00:00:00Z) or date (2026-06-30), got "
                + text);
      }
    }
  }

  /** A point in time: ISO-8601, a date, or a duration back from now ({@code 2h}, {@code 7d}). */
  private Instant time(String name, String text) {
    Optional<java.time.Duration> ago = Durations.parse(text);
    if (ago.isPresent()) {
      return clock.instant().minus(ago.get());
    }
    try {
      return instant(text);
    } catch (ApiProblem p) {
      throw ApiProblem.badRequest(
          name
              + ": an instant (2026-06-30T12:00:00Z), a date (2026-06-30) or a time ago (2h, 7d),"
              + " got "
              + text);
    }
  }

  private static FlagsHttpResponse problem(ApiProblem p) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", PROBLEM);
    headers.putAll(p.headers);
    return new FlagsHttpResponse(p.status, headers, Json.CODEC.write(p.json()));
  }
}
