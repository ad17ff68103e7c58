package dev.flags.cli;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.JsonValue;
import dev.flags.core.Segment;
import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.DefinitionKind;
import dev.flags.core.admin.FlagConflictException;
import dev.flags.core.admin.ImportPlan;
import dev.flags.core.admin.ReadOnlyStoreException;
import dev.flags.core.admin.RestorePoint;
import dev.flags.core.admin.StoreUnavailableException;
import dev.flags.core.json.FlagCodec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A running application's (or flags-server's) admin HTTP API as a backend: an HTTP client of the
 * routes in docs/admin-api.md, JSON through flags-core's codec. The server authenticates the caller
 * (a bearer token, or basic authentication) and records that user as the actor; it has no
 * all-or-nothing import and no adoption, so those are refused here, and watch polls the listing.
 */
final class HttpBackend implements Backend {

  /** The most context keys one targets call takes (the API's limit). */
  static final int MAX_TARGET_KEYS = 10_000;

  /** The largest audit page the API serves. */
  static final int MAX_AUDIT_LIMIT = 1000;

  /** How often watch polls the listing. */
  static final Duration WATCH_INTERVAL = Duration.ofSeconds(1);

  private static final FlagCodec CODEC = FlagCodec.standard();

  private final String base;
  private final String shown;
  private final Optional<String> authorization;
  private final HttpClient client;
  private final Duration timeout;
  private boolean readOnlyKnown; // readOnly is asked once, or learnt from a list
  private Optional<String> readOnly = Optional.empty();

  private HttpBackend(String base, Optional<String> authorization, Duration timeout) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.shown = "server " + Mask.url(this.base);
    this.authorization = authorization;
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** The backend; {@code clock} is unused (the server's clock dates its answers). */
  static Backend open(Settings s, Clock clock, Duration timeout) {
    String url = s.get(Key.SERVER).orElseThrow();
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw CliException.invalid(
          "--server: \"" + Mask.url(url) + "\" is not a URL: " + e.getMessage());
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null) {
      throw CliException.invalid(
          "--server: \""
              + Mask.url(url)
              + "\" is not an http(s) URL; give the admin API's base, e.g."
              + " https://app.example/flags/api");
    }
    if (uri.getUserInfo() != null) {
      throw CliException.invalid(
          "--server: put no credentials in the URL; use FLAGCTL_TOKEN, or FLAGCTL_SERVER_USER and"
              + " FLAGCTL_SERVER_PASSWORD (or the profile's token, server-user, server-password)");
    }
    Optional<String> auth = Optional.empty();
    if (s.get(Key.TOKEN).isPresent()) {
      auth = Optional.of("Bearer " + s.get(Key.TOKEN).orElseThrow());
    } else if (s.get(Key.SERVER_USER).isPresent()) {
      String pair =
          s.get(Key.SERVER_USER).orElseThrow() + ":" + s.get(Key.SERVER_PASSWORD).orElse("");
      auth =
          Optional.of(
              "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return new HttpBackend(url, auth, timeout);
  }

  // ------------------------------------------------------------------ HTTP

  private record Answer(int status, Optional<JsonValue.Obj> body, String text) {}

  private Answer call(
      String method, String path, Optional<JsonValue> body, Optional<String> ifMatch) {
    boolean write = !method.equals("GET");
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout)
            .header("Accept", "application/json, application/problem+json");
    authorization.ifPresent(a -> r.header("Authorization", a));
    ifMatch.ifPresent(v -> r.header("If-Match", v));
    if (body.isPresent()) {
      r.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(CODEC.write(body.get())));
    } else {
      r.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> response;
    try {
      response = client.send(r.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new StoreUnavailableException(
          shown + " did not answer within " + timeout.toMillis() + " ms", write, e);
    } catch (ConnectException e) {
      throw new StoreUnavailableException(
          "cannot connect to " + shown + " (" + rootMessage(e) + ")", false, e);
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "cannot talk to " + shown + " (" + rootMessage(e) + ")", write, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted", write, e);
    }
    Optional<JsonValue.Obj> json = Optional.empty();
    String text = response.body() == null ? "" : response.body();
    if (!text.isBlank()) {
      try {
        if (CODEC.parse(text) instanceof JsonValue.Obj o) {
          json = Optional.of(o);
        }
      } catch (IllegalArgumentException e) {
        // Not JSON (a proxy's error page): reported by status below.
      }
    }
    return new Answer(response.statusCode(), json, text);
  }

  /** The first message along the causes (the JDK client's innermost one is often empty). */
  private static String rootMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
  }

  /** The body of a 2xx answer, or the error the problem document describes. */
  private JsonValue.Obj ok(Answer a, @Nullable String key) {
    if (a.status() >= 200 && a.status() < 300) {
      return a.body().orElse(new JsonValue.Obj(Map.of()));
    }
    throw problem(a, key);
  }

  private RuntimeException problem(Answer a, @Nullable String key) {
    JsonValue.Obj p = a.body().orElse(new JsonValue.Obj(Map.of()));
    String type = str(p, "type").orElse("");
    String kind = type.startsWith("urn:flags:problem:") ? type.substring(18) : "";
    String detail =
        str(p, "detail")
            .or(() -> str(p, "title"))
            .orElse(
                "HTTP "
                    + a.status()
                    + (a.text().isBlank() ? "" : ": " + Render.cut(a.text().strip(), 200)));
    switch (kind) {
      case "not-found":
        return CliException.notFound(detail + "; flagctl list shows the flags there");
      case "bad-request":
      case "invalid-definition":
        return CliException.invalid(detail);
      case "version-conflict":
      case "exists":
      case "precondition-failed":
        {
          Optional<AuditEntry> changedBy =
              obj(p, "changedBy")
                  .map(
                      c ->
                          new AuditEntry(
                              "",
                              instant(c, "time").orElse(Instant.EPOCH),
                              DefinitionKind.FLAG,
                              key == null ? "" : key,
                              num(p, "currentVersion").orElse(0L),
                              "",
                              str(c, "actor").orElse("?"),
                              str(c, "reason").orElse(""),
                              Optional.empty(),
                              Optional.empty()));
          return new FlagConflictException(
              key == null ? "" : key,
              kind.equals("exists") ? -1 : 0,
              num(p, "currentVersion").orElse(0L),
              changedBy,
              detail);
        }
      case "malformed-definition":
        return new CliException(Exit.CONFLICT, detail);
      case "read-only-store":
        return new ReadOnlyStoreException(detail);
      case "store-unavailable":
        return new StoreUnavailableException(
            detail, bool(p, "mayHaveBeenApplied").orElse(true), null);
      case "unauthenticated":
      case "forbidden":
        return CliException.unreachable(
            shown
                + " refused the request ("
                + a.status()
                + ": "
                + detail
                + "); give credentials with the viewer role, or the editor role to write:"
                + " FLAGCTL_TOKEN, or FLAGCTL_SERVER_USER and FLAGCTL_SERVER_PASSWORD");
      case "writes-disabled":
        return CliException.unreachable(shown + " does not accept writes: " + detail);
      default:
        if (a.status() == 404) {
          return CliException.unreachable(
              shown
                  + " has no admin API there (404"
                  + (kind.isEmpty() ? "" : " " + kind)
                  + "); check the URL: it ends with the admin path, /flags/api by default");
        }
        return CliException.unreachable(shown + " answered " + a.status() + ": " + detail);
    }
  }

  private Answer get(String path) {
    return call("GET", path, Optional.empty(), Optional.empty());
  }

  private static Optional<String> ifMatch(Write w) {
    return w.ifVersion().isPresent()
        ? Optional.of("\"" + w.ifVersion().getAsLong() + "\"")
        : Optional.empty();
  }

  private static JsonValue.Obj body(Write w, Object... members) {
    JsonOut.Obj o = JsonOut.obj();
    for (int i = 0; i < members.length; i += 2) {
      o.put((String) members[i], members[i + 1]);
    }
    if (!w.reason().isEmpty()) {
      o.put("reason", w.reason());
    }
    return o.build();
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ reads

  @Override
  public String description() {
    return shown;
  }

  @Override
  public Optional<String> readOnlyReason() {
    if (!readOnlyKnown) {
      JsonValue.Obj l = ok(get("/flags"), null);
      readOnly =
          bool(l, "writable").orElse(true)
              ? Optional.empty()
              : Optional.of(str(l, "readOnlyReason").orElse("the server's store is read-only"));
      readOnlyKnown = true;
    }
    return readOnly;
  }

  @Override
  public List<Summary> list() {
    JsonValue.Obj l = ok(get("/flags"), null);
    readOnly =
        bool(l, "writable").orElse(true)
            ? Optional.empty()
            : Optional.of(str(l, "readOnlyReason").orElse("the server's store is read-only"));
    readOnlyKnown = true;
    List<Summary> out = new ArrayList<>();
    for (JsonValue v : arr(l, "flags")) {
      out.add(summary((JsonValue.Obj) v));
    }
    out.sort(java.util.Comparator.comparing(Summary::key));
    return out;
  }

  @Override
  public Optional<FlagState> find(String key) {
    Answer a = get("/flags/" + key);
    if (a.status() == 404
        && a.body().flatMap(b -> str(b, "type")).orElse("").endsWith(":not-found")) {
      return Optional.empty();
    }
    return Optional.of(state(key, ok(a, key)));
  }

  private FlagState state(String key, JsonValue.Obj o) {
    long version = num(o, "version").orElse(0L);
    Summary summary =
        obj(o, "summary")
            .map(HttpBackend::summary)
            .orElseThrow(
                () -> CliException.unreachable(shown + " answered without a summary of " + key));
    Optional<JsonValue.Obj> definition = obj(o, "definition");
    if (definition.isEmpty()) {
      return new FlagState(
          key, version, Optional.empty(), Optional.empty(), str(o, "stored").orElse(""), summary);
    }
    String text = CODEC.write(definition.get());
    Flag f;
    try {
      f = CODEC.decodeFlag(key, text).toBuilder().version(version).build();
    } catch (IllegalArgumentException e) {
      // A definition this flagctl cannot read (a newer operator): shown as malformed here.
      return new FlagState(key, version, Optional.empty(), definition, text, summary);
    }
    return new FlagState(key, version, Optional.of(f), definition, text, summary);
  }

  static Summary summary(JsonValue.Obj o) {
    Optional<Summary.RolloutInfo> rollout =
        obj(o, "rollout")
            .map(
                r ->
                    new Summary.RolloutInfo(
                        dbl(r, "percentage"),
                        str(r, "algorithm").orElse("murmur3-v1"),
                        str(r, "bucketBy"),
                        arr(r, "weights").stream()
                            .map(w -> (JsonValue.Obj) w)
                            .map(
                                w ->
                                    new Summary.Weight(
                                        num(w, "variation").orElse(0L).intValue(),
                                        num(w, "weight").orElse(0L).intValue()))
                            .toList()));
    return new Summary(
        str(o, "key").orElse(""),
        num(o, "version").orElse(0L),
        bool(o, "on"),
        str(o, "type").orElse(""),
        num(o, "variations").orElse(0L).intValue(),
        rollout,
        num(o, "targets").orElse(0L).intValue(),
        num(o, "rules").orElse(0L).intValue(),
        str(o, "owner").orElse(""),
        str(o, "description").orElse(""),
        arr(o, "tags").stream()
            .filter(t -> t instanceof JsonValue.Str)
            .map(t -> ((JsonValue.Str) t).value())
            .toList(),
        instant(o, "killDate"),
        bool(o, "pastKillDate").orElse(false),
        obj(o, "lastChange")
            .map(
                c ->
                    new Summary.LastChange(
                        str(c, "id").orElse(""),
                        instant(c, "time").orElse(Instant.EPOCH),
                        str(c, "action").orElse(""),
                        str(c, "actor").orElse(""),
                        str(c, "reason").orElse(""))),
        str(o, "malformed"),
        bool(o, "killedByRawEdit").orElse(false));
  }

  // ------------------------------------------------------------------ writes

  @Override
  public FlagState setOn(String key, boolean on, Write write) {
    return state(
        key,
        ok(
            call(
                "POST",
                "/flags/" + key + (on ? "/on" : "/off"),
                Optional.of(body(write)),
                ifMatch(write)),
            key));
  }

  @Override
  public FlagState setRollout(String key, double percent, Write write) {
    return state(
        key,
        ok(
            call(
                "PUT",
                "/flags/" + key + "/rollout",
                Optional.of(body(write, "percentage", percent)),
                ifMatch(write)),
            key));
  }

  @Override
  public FlagState targets(
      String key,
      boolean add,
      Optional<Integer> variation,
      Optional<Boolean> value,
      Collection<String> contextKeys,
      Write write) {
    if (contextKeys.size() > MAX_TARGET_KEYS) {
      throw CliException.invalid(
          "the admin HTTP API takes at most "
              + MAX_TARGET_KEYS
              + " context keys in one change, not "
              + contextKeys.size()
              + "; split the list, or write to the store itself (--file, --redis); nothing was"
              + " written");
    }
    JsonValue.Obj b =
        variation.isPresent()
            ? body(
                write,
                "variation",
                variation.get(),
                add ? "add" : "remove",
                List.copyOf(contextKeys))
            : body(
                write,
                "value",
                value.orElse(true),
                add ? "add" : "remove",
                List.copyOf(contextKeys));
    return state(
        key, ok(call("POST", "/flags/" + key + "/targets", Optional.of(b), ifMatch(write)), key));
  }

  @Override
  public FlagState restore(String key, RestorePoint point, Write write) {
    JsonValue.Obj b =
        point instanceof RestorePoint.Version v
            ? body(write, "version", v.version())
            : body(write, "entry", ((RestorePoint.Entry) point).id());
    return state(
        key, ok(call("POST", "/flags/" + key + "/restore", Optional.of(b), ifMatch(write)), key));
  }

  @Override
  public List<AuditEntry> audit(AuditQuery query) {
    StringBuilder path = new StringBuilder();
    List<String> params = new ArrayList<>();
    if (query.key().isPresent() && query.kind().orElse(null) == DefinitionKind.FLAG) {
      path.append("/flags/").append(query.key().get()).append("/audit");
    } else {
      path.append("/audit");
    }
    query.actor().ifPresent(a -> params.add("actor=" + q(a)));
    query.from().ifPresent(f -> params.add("since=" + q(f.toString())));
    query.to().ifPresent(t -> params.add("until=" + q(t.toString())));
    params.add("limit=" + Math.min(query.limit(), MAX_AUDIT_LIMIT));
    path.append('?').append(String.join("&", params));
    JsonValue.Obj o = ok(get(path.toString()), query.key().orElse(null));
    List<AuditEntry> out = new ArrayList<>();
    for (JsonValue v : arr(o, "entries")) {
      JsonValue.Obj e = (JsonValue.Obj) v;
      out.add(
          new AuditEntry(
              str(e, "id").orElse(""),
              instant(e, "time").orElse(Instant.EPOCH),
              "segment".equals(str(e, "kind").orElse("flag"))
                  ? DefinitionKind.SEGMENT
                  : DefinitionKind.FLAG,
              str(e, "key").orElse(""),
              num(e, "version").orElse(0L),
              str(e, "action").orElse(""),
              str(e, "actor").orElse(""),
              str(e, "reason").orElse(""),
              str(e, "before"),
              str(e, "after")));
    }
    return out;
  }

  @Override
  public ImportPlan plan(FlagSet set, boolean prune) {
    // The API has no plan route: compare each definition with what it stores.
    List<ImportPlan.Item> items = new ArrayList<>();
    Map<String, String> storedSegments = new LinkedHashMap<>();
    Map<String, Long> segmentVersions = new HashMap<>();
    for (JsonValue v : arr(ok(get("/segments"), null), "segments")) {
      String k = str((JsonValue.Obj) v, "key").orElse("");
      JsonValue.Obj s = ok(get("/segments/" + k), k);
      storedSegments.put(k, obj(s, "definition").map(CODEC::write).orElse(""));
      segmentVersions.put(k, num(s, "version").orElse(0L));
    }
    for (Segment s : new java.util.TreeMap<>(set.segments()).values()) {
      String after = CODEC.encode(s);
      String before = storedSegments.get(s.key());
      ImportPlan.Action action =
          before == null
              ? ImportPlan.Action.CREATE
              : sameSegment(s, before) ? ImportPlan.Action.UNCHANGED : ImportPlan.Action.UPDATE;
      items.add(
          new ImportPlan.Item(
              DefinitionKind.SEGMENT,
              s.key(),
              action,
              segmentVersions.getOrDefault(s.key(), 0L),
              Optional.ofNullable(before),
              Optional.of(after)));
    }
    if (prune) {
      for (String k : storedSegments.keySet()) {
        if (!set.segments().containsKey(k)) {
          items.add(
              new ImportPlan.Item(
                  DefinitionKind.SEGMENT,
                  k,
                  ImportPlan.Action.DELETE,
                  Objects.requireNonNull(segmentVersions.get(k)),
                  Optional.of(storedSegments.get(k)),
                  Optional.empty()));
        }
      }
    }
    Set<String> storedKeys = new TreeSet<>();
    list().forEach(s -> storedKeys.add(s.key()));
    for (Flag f : new java.util.TreeMap<>(set.flags()).values()) {
      String after = CODEC.encode(f);
      Optional<FlagState> now = storedKeys.contains(f.key()) ? find(f.key()) : Optional.empty();
      ImportPlan.Action action =
          now.isEmpty()
              ? ImportPlan.Action.CREATE
              : now.get()
                      .flag()
                      .map(x -> x.toBuilder().version(0).build())
                      .equals(Optional.of(f.toBuilder().version(0).build()))
                  ? ImportPlan.Action.UNCHANGED
                  : ImportPlan.Action.UPDATE;
      items.add(
          new ImportPlan.Item(
              DefinitionKind.FLAG,
              f.key(),
              action,
              now.map(FlagState::version).orElse(0L),
              now.map(FlagState::stored),
              Optional.of(after)));
    }
    if (prune) {
      for (String k : storedKeys) {
        if (!set.flags().containsKey(k)) {
          FlagState s = find(k).orElseThrow();
          items.add(
              new ImportPlan.Item(
                  DefinitionKind.FLAG,
                  k,
                  ImportPlan.Action.DELETE,
                  s.version(),
                  Optional.of(s.stored()),
                  Optional.empty()));
        }
      }
    }
    return new ImportPlan(items);
  }

  private static boolean sameSegment(Segment s, String stored) {
    try {
      Segment t = CODEC.decodeSegment(s.key(), stored);
      return new Segment(t.key(), 0, t.included(), t.excluded(), t.rules(), t.description())
          .equals(new Segment(s.key(), 0, s.included(), s.excluded(), s.rules(), s.description()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public List<AuditEntry> apply(ImportPlan plan, Write write) {
    throw CliException.invalid(
        "the admin HTTP API has no all-or-nothing import, so flagctl does not import through it;"
            + " import into the store itself (--file or --redis); nothing was written");
  }

  @Override
  public Export export() {
    Map<String, JsonValue> flags = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    for (Summary s : list()) {
      Optional<FlagState> f = find(s.key());
      if (f.isEmpty()) {
        continue;
      }
      if (f.get().definition().isEmpty()) {
        skipped.add(s.key() + ": " + s.malformed().orElse("?"));
      } else {
        flags.put(s.key(), f.get().definition().get());
      }
    }
    Map<String, JsonValue> segments = new LinkedHashMap<>();
    for (JsonValue v : arr(ok(get("/segments"), null), "segments")) {
      String k = str((JsonValue.Obj) v, "key").orElse("");
      obj(ok(get("/segments/" + k), k), "definition").ifPresent(d -> segments.put(k, d));
    }
    return new Export(
        JsonOut.obj()
            .put("flags", new JsonValue.Obj(flags))
            .put("segments", new JsonValue.Obj(segments))
            .build(),
        skipped);
  }

  @Override
  public Explanation explain(String key, EvaluationContext context) {
    List<String> params = new ArrayList<>();
    params.add("key=" + q(context.key()));
    params.add("kind=" + q(context.kind()));
    params.add("anonymous=" + context.anonymous());
    for (Map.Entry<String, JsonValue> a : context.attributes().entrySet()) {
      if (!(a.getValue() instanceof JsonValue.Str s)) {
        throw CliException.invalid(
            "--attr "
                + a.getKey()
                + ":= the admin HTTP API takes text attributes only; write "
                + a.getKey()
                + "=VALUE");
      }
      params.add("attr." + q(a.getKey()) + "=" + q(s.value()));
    }
    JsonValue.Obj o = ok(get("/flags/" + key + "/explain?" + String.join("&", params)), key);
    return new Explanation(
        key,
        context.key(),
        context.kind(),
        context.anonymous(),
        context.attributes(),
        o.members().getOrDefault("value", JsonValue.NULL),
        num(o, "variation").map(v -> OptionalInt.of(v.intValue())).orElse(OptionalInt.empty()),
        str(o, "reason").orElse("?"),
        num(o, "ruleIndex").map(v -> OptionalInt.of(v.intValue())).orElse(OptionalInt.empty()),
        str(o, "ruleId"),
        num(o, "bucket").map(v -> OptionalInt.of(v.intValue())).orElse(OptionalInt.empty()),
        str(o, "prerequisite"),
        str(o, "error"),
        str(o, "explanation").orElse(""));
  }

  // The poll's future is not needed: closing the returned handle shuts the poller down.
  @SuppressWarnings("FutureReturnValueIgnored")
  @Override
  public AutoCloseable watch(WatchListener listener) {
    Map<String, Long> versions = new HashMap<>();
    for (Summary s : list()) {
      versions.put(s.key(), s.version());
    }
    ScheduledExecutorService poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "flagctl-watch");
              t.setDaemon(true);
              return t;
            });
    boolean[] failing = {false};
    poller.scheduleWithFixedDelay(
        () -> {
          List<Summary> now;
          try {
            now = list();
          } catch (RuntimeException e) {
            if (!failing[0]) {
              failing[0] = true;
              listener.problem(String.valueOf(e.getMessage()));
            }
            return;
          }
          if (failing[0]) {
            failing[0] = false;
            listener.recovered(shown);
          }
          Set<String> seen = new TreeSet<>();
          for (Summary s : now) {
            seen.add(s.key());
            Long before = versions.put(s.key(), s.version());
            if (before == null || before != s.version()) {
              listener.changed(s.key());
            }
          }
          for (String k : new TreeSet<>(versions.keySet())) {
            if (!seen.contains(k)) {
              versions.remove(k);
              listener.changed(k);
            }
          }
        },
        WATCH_INTERVAL.toMillis(),
        WATCH_INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
    return poller::shutdownNow;
  }

  @Override
  public PlanStatus planStatus(String key) {
    return planStatus(plan(get("/flags/" + key + "/guarded-rollout"), key, "status"));
  }

  @Override
  public PlanStatus planAction(String key, String action, Write write) {
    // The server records its authenticated user as the actor; the reason goes in the body.
    Answer a =
        call(
            "POST",
            "/flags/" + key + "/guarded-rollout/" + action,
            Optional.of(body(write)),
            Optional.empty());
    return planStatus(plan(a, key, action));
  }

  @Override
  public boolean keepsPlans() {
    return true; // the server's audit log says whether it has any
  }

  /** The answer of a guarded rollout route, its 409s as flagctl's errors. */
  private JsonValue.Obj plan(Answer a, String key, String action) {
    if (a.status() == 409 && a.body().isPresent()) {
      JsonValue.Obj p = a.body().get();
      String type = str(p, "type").orElse("");
      if (type.endsWith(":rollout-state")) {
        throw PlanStatus.refused(key, action, str(p, "state").orElse("?"));
      }
      if (type.endsWith(":rollouts-unavailable")) {
        throw CliException.unreachable(shown + ": " + str(p, "detail").orElse(type));
      }
    }
    return ok(a, key);
  }

  private static PlanStatus planStatus(JsonValue.Obj o) {
    return new PlanStatus(
        str(o, "state").orElse("pending"),
        num(o, "step").orElse(0L).intValue(),
        instant(o, "stepStartedAt"),
        str(o, "note").orElse(""),
        obj(o, "lastVerdict")
            .map(
                v ->
                    new PlanStatus.Verdict(
                        str(v, "outcome").orElse(""),
                        str(v, "detail").orElse(""),
                        instant(v, "at").orElse(Instant.EPOCH))));
  }

  @Override
  public List<String> adopt() {
    throw CliException.invalid(
        "adopt talks to Redis itself: give --redis (or a Redis profile); an application adopts"
            + " raw keys when it starts");
  }

  @Override
  public void close() {
    // The JDK's client keeps no connection a short-lived process must close.
  }

  // ------------------------------------------------------------------ JSON helpers

  static Optional<String> str(JsonValue.Obj o, String name) {
    return o.members().get(name) instanceof JsonValue.Str s
        ? Optional.of(s.value())
        : Optional.empty();
  }

  static Optional<Long> num(JsonValue.Obj o, String name) {
    return o.members().get(name) instanceof JsonValue.Num n
        ? Optional.of(n.value().longValue())
        : Optional.empty();
  }

  static Optional<Double> dbl(JsonValue.Obj o, String name) {
    return o.members().get(name) instanceof JsonValue.Num n
        ? Optional.of(n.value().doubleValue())
        : Optional.empty();
  }

  static Optional<Boolean> bool(JsonValue.Obj o, String name) {
    return o.members().get(name) instanceof JsonValue.Bool b
        ? Optional.of(b.value())
        : Optional.empty();
  }

  static Optional<JsonValue.Obj> obj(JsonValue.Obj o, String name) {
    return o.members().get(name) instanceof JsonValue.Obj x ? Optional.of(x) : Optional.empty();
  }

  static List<JsonValue> arr(JsonValue.Obj o, String name) {
    return o.members().get(name) instanceof JsonValue.Arr a ? a.elements() : List.of();
  }

  static Optional<Instant> instant(JsonValue.Obj o, String name) {
    try {
      return str(o, name).map(Instant::parse);
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
