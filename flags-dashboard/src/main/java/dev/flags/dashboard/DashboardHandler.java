package dev.flags.dashboard;

import dev.flags.core.Flag;
import dev.flags.core.FlagMetadata;
import dev.flags.core.FlagValidationException;
import dev.flags.core.Flags;
import dev.flags.core.JsonValue;
import dev.flags.core.admin.AuditEntry;
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
import dev.flags.core.json.FlagCodec;
import dev.flags.integration.FlagsHttpRequest;
import dev.flags.integration.FlagsHttpResponse;
import dev.flags.integration.FlagsSettings;
import dev.flags.integration.HealthReport;
import dev.flags.integration.RolloutPlans;
import dev.flags.integration.Setting;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** The dashboard's implementation: security, routing, the changes, and errors as pages. */
final class DashboardHandler implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Dashboard.class.getName());
  private static final FlagCodec CODEC = FlagCodec.standard();

  /** Everything the dashboard reads and writes. */
  record Backend(
      Flags flags,
      FlagAdmin admin,
      FlagsSettings settings,
      Supplier<HealthReport> health,
      Supplier<Optional<Instant>> lastSync,
      String storeDescription,
      Clock clock,
      Optional<RolloutPlans> rollouts) {}

  /** Who is asking, and what they may do. */
  record Viewer(String name, boolean editor, String csrf, Optional<Dashboard.HiddenField> extra) {}

  private final Backend b;
  private final String base;
  private final boolean insecure;
  private final Csrf csrf;
  private final Pages pages;
  private final Live live;
  private final Map<String, byte[]> assets = new LinkedHashMap<>();

  DashboardHandler(Backend backend, String base, boolean insecure) {
    this.b = backend;
    this.base = base;
    this.insecure = insecure;
    this.csrf = new Csrf(backend.settings().dashboard().csrfSecret());
    this.pages = new Pages(backend, base);
    for (String name : List.of("dashboard.js", "dashboard.css")) {
      assets.put(name, resource(name));
    }
    this.live = new Live(backend.flags(), this::flagEvent, this::statusEvent, this::invalidate);
  }

  // ---------------------------------------------------------------- the listing

  /**
   * How long a listing of every flag is reused: the client's listener drops it at every change it
   * hears, and this bounds how stale it can be for what the client does not hear (the last-change
   * of an audit-only write).
   */
  static final long LISTING_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

  /** Every flag as the listings show it, read from the store (or the client, when it is down). */
  record Listing(List<Row> rows, boolean fromClient, long generation, long builtAt) {}

  private final java.util.concurrent.atomic.AtomicLong generation =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicReference<Listing> listing =
      new java.util.concurrent.atomic.AtomicReference<>();

  private void invalidate() {
    generation.incrementAndGet();
    listing.set(null);
  }

  /**
   * The listing: 10,000 flags are one read of the store per 5 s at most, however many pages are
   * opened, and none while nothing changes.
   */
  Listing listing() {
    Listing l = listing.get();
    long gen = generation.get();
    if (l != null && l.generation() == gen && System.nanoTime() - l.builtAt() < LISTING_NANOS) {
      return l;
    }
    Instant now = b.clock().instant();
    List<Row> rows = new ArrayList<>();
    boolean fromClient = false;
    try {
      for (FlagRecord r : b.admin().list()) {
        rows.add(Row.of(r, now));
      }
    } catch (StoreUnavailableException e) {
      fromClient = true;
      rows.clear();
      for (Flag f : b.flags().allFlags()) {
        rows.add(Row.of(f, now));
      }
    }
    Listing built = new Listing(List.copyOf(rows), fromClient, gen, System.nanoTime());
    if (!fromClient && generation.get() == gen) {
      listing.set(built);
    }
    return built;
  }

  String base() {
    return base;
  }

  int openStreams() {
    return live.open();
  }

  @Override
  public void close() {
    live.close();
  }

  FlagsHttpResponse handle(FlagsHttpRequest req, Optional<Dashboard.HiddenField> frameworkCsrf) {
    String method = req.method().toUpperCase(Locale.ROOT);
    String path = req.path().isEmpty() ? "/" : req.path();
    Viewer viewer = null;
    try {
      if (method.equals("GET") && path.startsWith("/assets/")) {
        return asset(path.substring("/assets/".length()));
      }
      // Who first: a caller without a role learns nothing, not even which pages exist.
      viewer = authenticate(req, frameworkCsrf);
      List<String> parts = segments(path);
      if (method.equals("GET") || method.equals("HEAD")) {
        if (parts.isEmpty()) {
          return html(200, pages.allFlags(viewer, listing(), query(req)));
        }
        if (parts.size() == 1 && parts.get(0).equals("past-kill-date")) {
          return html(200, pages.pastKillDate(viewer, listing()));
        }
        if (parts.size() == 1 && parts.get(0).equals("status")) {
          return html(200, pages.status(viewer));
        }
        if (parts.size() == 1 && parts.get(0).equals("events")) {
          return FlagsHttpResponse.eventStream(live.stream());
        }
        if (parts.size() == 2 && parts.get(0).equals("flags")) {
          String key = key(parts.get(1));
          Optional<String> saved = req.parameter("saved");
          Optional<Pages.Notice> notice = saved.map(v -> Pages.Notice.saved(v));
          if (notice.isEmpty()) {
            notice = req.parameter("plan").flatMap(Pages.Notice::plan);
          }
          return flagPage(viewer, key, 200, notice);
        }
        return notFound(viewer, "There is no page at " + path + ".");
      }
      if (method.equals("POST")) {
        if (parts.size() == 3 && parts.get(0).equals("flags")) {
          return write(viewer, key(parts.get(1)), parts.get(2), req);
        }
        return notFound(viewer, "There is nothing to change at " + path + ".");
      }
      return new FlagsHttpResponse(
          405,
          Map.of("Allow", "GET, POST", "Content-Type", "text/plain; charset=utf-8"),
          method + " is not allowed here.");
    } catch (Refused r) {
      return html(r.status, pages.message(viewer, r.title, r.detail));
    } catch (StoreUnavailableException e) {
      LOG.log(
          Level.WARNING,
          "flags dashboard: "
              + method
              + " "
              + path
              + " by "
              + (viewer == null ? "?" : viewer.name())
              + ": the store is unavailable: "
              + e.getMessage()
              + (e.mayHaveBeenApplied() ? " (the write may have been applied)" : ""));
      return html(
          503,
          pages.message(
              viewer,
              "The flag store does not answer",
              e.getMessage()
                  + (e.mayHaveBeenApplied()
                      ? " The change may have been applied: look at the flag again before"
                          + " retrying."
                      : " Nothing was changed.")));
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "flags dashboard: " + method + " " + path + " failed", e);
      return html(
          500,
          pages.message(
              viewer,
              "Something went wrong",
              "The dashboard failed to answer; the application's log has the details."));
    }
  }

  // ---------------------------------------------------------------- security

  private Viewer authenticate(FlagsHttpRequest req, Optional<Dashboard.HiddenField> extra) {
    FlagsSettings.Admin roles = b.settings().admin();
    FlagsHttpRequest.Caller caller;
    if (req.caller().isPresent()) {
      caller = req.caller().get();
    } else if (insecure) {
      if (!isLoopback(req.remoteAddress())) {
        throw new Refused(
            403,
            "Not from here",
            Setting.DASHBOARD_INSECURE_LOCAL_DEVELOPMENT.key()
                + " serves this machine only, and this request came from "
                + req.remoteAddress()
                + ".");
      }
      caller = new FlagsHttpRequest.Caller(Dashboard.LOCAL_DEVELOPER, r -> true);
    } else {
      throw new Refused(401, "Sign in", "Sign in to see the flags.");
    }
    boolean editor = caller.hasRole(roles.editorRole());
    if (!editor && !caller.hasRole(roles.viewerRole())) {
      throw new Refused(
          403,
          "No access",
          caller.name()
              + " may not see the flags: that needs the role "
              + roles.viewerRole()
              + " or "
              + roles.editorRole()
              + ".");
    }
    return new Viewer(caller.name(), editor, csrf.token(caller.name()), extra);
  }

  private static boolean isLoopback(String address) {
    if (address.isEmpty() || !(address.indexOf(':') >= 0 || address.matches("[0-9.]+"))) {
      return false;
    }
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------- changes

  private FlagsHttpResponse write(Viewer viewer, String key, String action, FlagsHttpRequest req) {
    if (!viewer.editor()) {
      throw new Refused(
          403,
          "You can look, not change",
          viewer.name()
              + " may not change flags: that needs the role "
              + b.settings().admin().editorRole()
              + ".");
    }
    if (req.body().length() > Dashboard.MAX_BODY_BYTES / 3
        && req.body().getBytes(StandardCharsets.UTF_8).length > Dashboard.MAX_BODY_BYTES) {
      throw new Refused(
          413,
          "Too much at once",
          "The form is larger than "
              + Dashboard.MAX_BODY_BYTES
              + " bytes (docs/limits.md); send fewer targets at a time.");
    }
    Form form;
    try {
      form = Form.parse(req.body());
    } catch (IllegalArgumentException e) {
      throw new Refused(400, "The form did not read", String.valueOf(e.getMessage()));
    }
    if (!csrf.valid(viewer.name(), form.text(Dashboard.CSRF_FIELD))) {
      throw new Refused(
          403,
          "The form is not from this dashboard",
          "Changes are accepted only from a page this dashboard showed you (its CSRF token did not"
              + " match). Reload the page and try again.");
    }
    Optional<String> readOnly = b.admin().readOnlyReason();
    if (readOnly.isPresent()) {
      throw new Refused(409, "These flags cannot be changed here", readOnly.get());
    }
    String reason = form.text("reason");
    if (reason.length() > Change.MAX_REASON_LENGTH) {
      return flagPage(
          viewer,
          key,
          400,
          Optional.of(
              Pages.Notice.error(
                  "The reason is longer than " + Change.MAX_REASON_LENGTH + " characters.")));
    }
    if (action.startsWith("plan-")) {
      return planWrite(viewer, key, action.substring("plan-".length()), form, reason);
    }
    long version;
    try {
      version = Long.parseLong(form.text("version"));
    } catch (NumberFormatException e) {
      throw new Refused(
          400, "The form did not read", "version: the version the page showed, a number.");
    }
    Change change = Change.by(viewer.name()).because(reason).ifVersion(version);
    boolean confirmed = form.text("confirm").equals("yes");
    try {
      VersionedFlag after =
          switch (action) {
            case "state" -> {
              boolean on =
                  switch (form.text("on")) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new IllegalArgumentException("on: true or false");
                  };
              if (!confirmed) {
                yield null;
              }
              yield b.admin().setOn(key, on, change);
            }
            case "rollout" -> {
              double p = percentage(form.text("percentage"));
              if (!confirmed) {
                yield null;
              }
              yield b.admin().setRolloutPercentage(key, p, change);
            }
            case "targets" -> targets(key, form, change);
            case "metadata" -> metadata(key, form, change);
            case "restore" -> {
              RestorePoint point = restorePoint(form);
              if (!confirmed) {
                yield null;
              }
              yield b.admin().restore(key, point, change);
            }
            default -> throw new Refused(404, "Not found", "There is no change called " + action);
          };
      if (after == null) {
        return confirmPage(viewer, key, action, form, version);
      }
      return new FlagsHttpResponse(
          303,
          Map.of(
              "Location",
              base + "/flags/" + key + "?saved=" + after.version(),
              "Cache-Control",
              "no-store"),
          "");
    } catch (FlagConflictException e) {
      return flagPage(viewer, key, 409, Optional.of(conflict(e, version)));
    } catch (FlagNotFoundException e) {
      throw new Refused(404, "No such flag", "There is no flag \"" + key + "\" (any more).");
    } catch (MalformedFlagException e) {
      return flagPage(
          viewer,
          key,
          409,
          Optional.of(
              Pages.Notice.error(
                  "The stored flag does not read, so it cannot be edited: "
                      + e.problem()
                      + ". Restore a version from its history.")));
    } catch (ReadOnlyStoreException e) {
      throw new Refused(409, "These flags cannot be changed here", String.valueOf(e.getMessage()));
    } catch (IllegalArgumentException e) {
      // FlagValidationException is one: the message names the path of the problem.
      return flagPage(
          viewer, key, 400, Optional.of(Pages.Notice.error(String.valueOf(e.getMessage()))));
    }
  }

  /**
   * Pause, resume, abort or restart a flag's guarded rollout, after a confirmation page naming the
   * flag. A plan's state has no version: the controller may step the flag between the page and the
   * click, so the page's version is not checked.
   */
  private FlagsHttpResponse planWrite(
      Viewer viewer, String key, String action, Form form, String reason) {
    RolloutPlans.Action act =
        RolloutPlans.Action.of(action)
            .orElseThrow(
                () -> new Refused(404, "Not found", "There is no change called plan-" + action));
    RolloutPlans plans =
        b.rollouts()
            .orElseThrow(
                () ->
                    new Refused(
                        409,
                        "Guarded rollouts need a Redis store",
                        "A plan's state lives in Redis, with the controller that runs it, and this"
                            + " dashboard has none."));
    FlagRecord r =
        b.admin()
            .find(key)
            .orElseThrow(
                () -> new Refused(404, "No such flag", "There is no flag \"" + key + "\"."));
    if (r.flag().flatMap(Flag::guardedRollout).isEmpty()) {
      throw new Refused(
          404,
          "No guarded rollout",
          "Flag \"" + key + "\" has no guarded rollout plan (docs/guarded-rollouts.md).");
    }
    if (!form.text("confirm").equals("yes")) {
      return html(200, pages.confirm(viewer, r, "plan-" + action, form));
    }
    if (!plans.act(key, act, viewer.name(), reason)) {
      String state = Pages.planState(plans.status(key).state());
      return flagPage(
          viewer,
          key,
          409,
          Optional.of(
              Pages.Notice.conflict(
                  "The guarded rollout is "
                      + state
                      + " now, so it cannot be "
                      + act.done()
                      + ". Nothing was changed.")));
    }
    LOG.log(
        Level.INFO,
        "flags dashboard: guarded rollout of " + key + ": " + action + " by " + viewer.name());
    return new FlagsHttpResponse(
        303,
        Map.of("Location", base + "/flags/" + key + "?plan=" + action, "Cache-Control", "no-store"),
        "");
  }

  private VersionedFlag targets(String key, Form form, Change change) {
    int variation;
    try {
      variation = Integer.parseInt(form.text("variation"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("variation: the index of a variation");
    }
    List<String> add = form.keys("add");
    List<String> remove = new ArrayList<>(form.keys("remove"));
    for (String k : form.all("removeKey")) {
      if (!k.isEmpty() && !remove.contains(k)) {
        remove.add(k);
      }
    }
    if (add.isEmpty() && remove.isEmpty()) {
      throw new IllegalArgumentException(
          "Name the context keys to add, or tick or paste those to remove.");
    }
    if (add.size() + remove.size() > Dashboard.MAX_TARGET_KEYS) {
      throw new IllegalArgumentException(
          "At most "
              + Dashboard.MAX_TARGET_KEYS
              + " context keys per change (docs/limits.md), got "
              + (add.size() + remove.size())
              + ".");
    }
    return b.admin().editTargets(key, variation, add, remove, change);
  }

  private VersionedFlag metadata(String key, Form form, Change change) {
    String description = form.text("description");
    String owner = form.text("owner");
    List<String> tags = form.keys("tags");
    String kill = form.text("killDate");
    Optional<Instant> killDate;
    if (kill.isEmpty()) {
      killDate = Optional.empty();
    } else {
      try {
        killDate = Optional.of(LocalDate.parse(kill).atStartOfDay(ZoneOffset.UTC).toInstant());
      } catch (DateTimeParseException e) {
        throw new FlagValidationException(
            "killDate", "killDate: a date such as 2026-06-30, got " + kill);
      }
    }
    return b.admin()
        .updateMetadata(
            key, m -> new FlagMetadata(description, owner, tags, m.createdAt(), killDate), change);
  }

  private static RestorePoint restorePoint(Form form) {
    String entry = form.text("entry");
    String version = form.text("restoreVersion");
    if (!entry.isEmpty()) {
      return RestorePoint.entry(entry);
    }
    try {
      return RestorePoint.version(Long.parseLong(version));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("entry: the history entry to restore");
    }
  }

  private static double percentage(String text) {
    double p;
    try {
      p = Double.parseDouble(text.replace(',', '.').replace("%", "").strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("percentage: a number from 0 to 100, got " + text);
    }
    if (!(p >= 0 && p <= 100)) {
      throw new IllegalArgumentException("percentage: a number from 0 to 100, got " + text);
    }
    return Math.round(p * 1000) / 1000.0;
  }

  private Pages.Notice conflict(FlagConflictException e, long yours) {
    Instant now = b.clock().instant();
    String who =
        e.lastChange()
            .map(
                c ->
                    c.actor()
                        + " changed this flag "
                        + Readable.ago(c.time(), now)
                        + (c.reason().isEmpty() ? "" : " (“" + c.reason() + "”)"))
            .orElse("Someone changed this flag");
    return Pages.Notice.conflict(
        who
            + " — it is now version "
            + e.currentVersion()
            + ", your page showed version "
            + yours
            + ". Nothing was changed: review the flag below and retry.");
  }

  private FlagsHttpResponse confirmPage(
      Viewer viewer, String key, String action, Form form, long version) {
    FlagRecord r =
        b.admin()
            .find(key)
            .orElseThrow(
                () -> new Refused(404, "No such flag", "There is no flag \"" + key + "\"."));
    if (r.version() != version) {
      return flagPage(
          viewer,
          key,
          409,
          Optional.of(
              conflict(
                  new FlagConflictException(key, version, r.version(), r.lastChange(), ""),
                  version)));
    }
    return html(200, pages.confirm(viewer, r, action, form));
  }

  // ---------------------------------------------------------------- pages

  private FlagsHttpResponse flagPage(
      Viewer viewer, String key, int status, Optional<Pages.Notice> notice) {
    Optional<FlagRecord> r = b.admin().find(key);
    if (r.isEmpty()) {
      throw new Refused(404, "No such flag", "There is no flag \"" + key + "\".");
    }
    List<AuditEntry> history =
        b.admin().audit(AuditQuery.builder().flag(key).limit(Dashboard.HISTORY_LIMIT).build());
    return html(status, pages.flag(viewer, r.get(), history, notice));
  }

  private FlagsHttpResponse notFound(@Nullable Viewer viewer, String detail) {
    return html(404, pages.message(viewer, "Not found", detail));
  }

  private FlagsHttpResponse asset(String name) {
    byte[] bytes = assets.get(name);
    if (bytes == null) {
      return new FlagsHttpResponse(
          404, Map.of("Content-Type", "text/plain; charset=utf-8"), "no such file");
    }
    Map<String, String> h = new LinkedHashMap<>();
    h.put(
        "Content-Type",
        name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8");
    h.put("Cache-Control", "no-cache");
    h.put("X-Content-Type-Options", "nosniff");
    return new FlagsHttpResponse(200, h, new String(bytes, StandardCharsets.UTF_8));
  }

  private static FlagsHttpResponse html(int status, String page) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "text/html; charset=utf-8");
    h.put("Cache-Control", "no-store");
    h.put(
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    h.put("X-Content-Type-Options", "nosniff");
    h.put("X-Frame-Options", "DENY");
    h.put("Referrer-Policy", "same-origin");
    return new FlagsHttpResponse(status, h, page);
  }

  private static Map<String, String> query(FlagsHttpRequest req) {
    Map<String, String> q = new LinkedHashMap<>();
    req.query().forEach((k, v) -> q.put(k, v.isEmpty() ? "" : v.get(0)));
    return q;
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  private static String key(String segment) {
    try {
      Flag.builder(segment);
    } catch (FlagValidationException e) {
      throw new Refused(404, "No such flag", String.valueOf(e.getMessage()));
    }
    return segment;
  }

  // ---------------------------------------------------------------- live events

  private String flagEvent(String key) {
    Instant now = b.clock().instant();
    Map<String, JsonValue> m;
    try {
      Optional<FlagRecord> r = b.admin().find(key);
      if (r.isPresent()) {
        m = Row.of(r.get(), now).json(now);
      } else {
        m = deleted(key);
      }
    } catch (StoreUnavailableException e) {
      Optional<Flag> f = b.flags().flag(key);
      m = f.isPresent() ? Row.of(f.get(), now).json(now) : deleted(key);
    }
    m.put("sentAt", JsonValue.of(now.toEpochMilli()));
    return CODEC.write(new JsonValue.Obj(m));
  }

  private static Map<String, JsonValue> deleted(String key) {
    Map<String, JsonValue> m = new LinkedHashMap<>();
    m.put("key", JsonValue.of(key));
    m.put("deleted", JsonValue.TRUE);
    return m;
  }

  private String statusEvent() {
    HealthReport h = b.health().get();
    Map<String, JsonValue> m = new LinkedHashMap<>();
    m.put("status", JsonValue.of(h.status()));
    m.put("text", JsonValue.of(Pages.statusWord(h.status())));
    return CODEC.write(new JsonValue.Obj(m));
  }

  // ---------------------------------------------------------------- helpers

  private static byte[] resource(String name) {
    try (InputStream in = DashboardHandler.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the dashboard's " + name + " is missing from its jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("reading the dashboard's " + name, e);
    }
  }

  /** A request refused with a page: who, what or how. */
  static final class Refused extends RuntimeException {
    final int status;
    final String title;
    final String detail;

    Refused(int status, String title, String detail) {
      super(title + ": " + detail, null, false, false);
      this.status = status;
      this.title = title;
      this.detail = detail;
    }
  }
}
