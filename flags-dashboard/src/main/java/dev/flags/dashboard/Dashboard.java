package dev.flags.dashboard;

import dev.flags.core.Flags;
import dev.flags.core.admin.FlagAdmin;
import dev.flags.integration.AdminApi;
import dev.flags.integration.FlagsConfigurationException;
import dev.flags.integration.FlagsHttpHandler;
import dev.flags.integration.FlagsHttpRequest;
import dev.flags.integration.FlagsHttpResponse;
import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.FlagsSettings;
import dev.flags.integration.HealthReport;
import dev.flags.integration.RolloutPlans;
import dev.flags.integration.Setting;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The dashboard: web pages for the people who release features (docs/dashboard.md). All flags
 * (search as you type, filters), one flag (turn on or off, ramp a rollout, targets, rules,
 * variations, details, its guarded rollout plan with pause, resume, abort and restart, the audit
 * history with "restore this version"), the flags past their kill date, and the store's status —
 * server-rendered HTML with a small script and style sheet of its own, updated live through
 * server-sent events.
 *
 * <p>A framework-neutral {@link FlagsHttpHandler}: an adapter mounts it at {@code
 * flags.dashboard.path} when {@code flags.dashboard.enabled=true}, hands each request over as a
 * {@link FlagsHttpRequest} (path below the mount point, the form body as text, the caller its
 * security established) and writes the {@link FlagsHttpResponse} back — including, for {@code GET
 * <path>/events}, the {@linkplain dev.flags.integration.FlagsEventStream event stream}.
 *
 * <p><b>Security.</b> Every page needs a caller with the viewer role ({@code
 * flags.admin.viewer-role}) or the editor role ({@code flags.admin.editor-role}); only an editor
 * sees the controls that change flags, and only an editor's change is accepted. Every change is a
 * POST carrying a CSRF token (HMAC-SHA256 of the caller's name under {@code
 * flags.dashboard.csrf-secret}), checked here; an adapter whose framework has CSRF protection of
 * its own passes its token with {@link #handle(FlagsHttpRequest, HiddenField)} so every form
 * carries it too. Changes are written through {@link FlagAdmin} as the caller, with the version the
 * page was rendered from (a change made meanwhile is reported, never overwritten) and the reason
 * given. An application without security may serve the dashboard only with {@code
 * flags.dashboard.insecure-local-development=true}: then to loopback callers only, as {@value
 * #LOCAL_DEVELOPER}, with a WARN.
 *
 * <p>Thread-safe; one instance serves all requests. {@link #close()} ends the live updates (it does
 * not close the client or the admin).
 */
public final class Dashboard implements FlagsHttpHandler, AutoCloseable {

  /** The actor of changes made in insecure local development. */
  public static final String LOCAL_DEVELOPER = AdminApi.LOCAL_DEVELOPER;

  /** The form field that carries the dashboard's CSRF token. */
  public static final String CSRF_FIELD = "flags_csrf";

  /** The largest form body the dashboard reads, in bytes: that of the admin API, 1 MiB. */
  public static final int MAX_BODY_BYTES = AdminApi.MAX_BODY_BYTES;

  /** The most context keys one targets change may add and remove: that of the admin API. */
  public static final int MAX_TARGET_KEYS = AdminApi.MAX_TARGET_KEYS;

  /** The most history entries the flag page shows. */
  public static final int HISTORY_LIMIT = 100;

  private static final System.Logger LOG = System.getLogger(Dashboard.class.getName());

  private final DashboardHandler handler;

  private Dashboard(DashboardHandler handler) {
    this.handler = handler;
  }

  /** Starts a dashboard over the runtime's client and admin, with its settings. */
  public static Builder builder(FlagsRuntime runtime) {
    Objects.requireNonNull(runtime, "runtime");
    Builder b =
        new Builder(
            runtime.flags(),
            runtime.admin(),
            runtime.settings(),
            runtime::health,
            runtime::lastSync,
            runtime.storeDescription(),
            runtime.clock());
    runtime.rolloutPlans().ifPresent(b::rolloutPlans);
    return b;
  }

  /**
   * Starts a dashboard over a client and an admin the application built itself: its status page
   * then has no last sync time, and counts malformed flags from what the client heard.
   */
  public static Builder builder(Flags flags, FlagAdmin admin, FlagsSettings settings) {
    Objects.requireNonNull(flags, "flags");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(settings, "settings");
    MalformedCount malformed = new MalformedCount(flags);
    return new Builder(
        flags,
        admin,
        settings,
        () ->
            HealthReport.of(
                flags, admin.description(), malformed.count(), settings.healthFailOnUnavailable()),
        Optional::empty,
        admin.description(),
        Clock.systemUTC());
  }

  /**
   * Answers one request. Never throws: every failure is a page (a bug is a 500, logged with its
   * stack trace).
   */
  @Override
  public FlagsHttpResponse handle(FlagsHttpRequest request) {
    return handler.handle(Objects.requireNonNull(request, "request"), Optional.empty());
  }

  /**
   * Answers one request, adding the framework's own CSRF token to every form as a hidden field (the
   * framework checks it before the request reaches here; the dashboard checks its own as well).
   */
  public FlagsHttpResponse handle(FlagsHttpRequest request, HiddenField frameworkCsrfToken) {
    return handler.handle(
        Objects.requireNonNull(request, "request"),
        Optional.of(Objects.requireNonNull(frameworkCsrfToken, "frameworkCsrfToken")));
  }

  /** The path the pages link to: {@code flags.dashboard.path}, or {@link Builder#mountPath}. */
  public String path() {
    return handler.base();
  }

  /** How many pages have a live-update stream open. */
  public int openStreams() {
    return handler.openStreams();
  }

  /** Ends the live updates: open streams are closed. Idempotent. */
  @Override
  public void close() {
    handler.close();
  }

  /**
   * A hidden form field: a framework's CSRF token ({@code _csrf} and its value, for Spring
   * Security). Immutable and thread-safe.
   *
   * @param name the field's name
   * @param value its value
   */
  public record HiddenField(String name, String value) {
    public HiddenField {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name: a field has a name");
      }
    }
  }

  /** Builds a {@link Dashboard}. Not thread-safe. */
  public static final class Builder {
    private final Flags flags;
    private final FlagAdmin admin;
    private final FlagsSettings settings;
    private final Supplier<HealthReport> health;
    private final Supplier<Optional<Instant>> lastSync;
    private final String storeDescription;
    private Clock clock;
    private boolean securityAvailable = true;
    private Optional<String> mountPath = Optional.empty();
    private Optional<RolloutPlans> rolloutPlans = Optional.empty();

    private Builder(
        Flags flags,
        FlagAdmin admin,
        FlagsSettings settings,
        Supplier<HealthReport> health,
        Supplier<Optional<Instant>> lastSync,
        String storeDescription,
        Clock clock) {
      this.flags = flags;
      this.admin = admin;
      this.settings = settings;
      this.health = health;
      this.lastSync = lastSync;
      this.storeDescription = storeDescription;
      this.clock = clock;
    }

    /**
     * Whether the application has security that authenticates callers (default true). Without it,
     * building fails unless {@code flags.dashboard.insecure-local-development=true}.
     */
    public Builder securityAvailable(boolean available) {
      this.securityAvailable = available;
      return this;
    }

    /**
     * The path the browser sees the dashboard at, when it differs from {@code
     * flags.dashboard.path}: with a servlet context path ({@code /app/flags}) or behind a proxy
     * that adds a prefix. Starts with {@code /}, no trailing one.
     */
    public Builder mountPath(String path) {
      Objects.requireNonNull(path, "path");
      if (!path.matches("(/[A-Za-z0-9._~-]+)+")) {
        throw new IllegalArgumentException(
            "mountPath: a path such as /app/flags (segments of letters, digits, '.', '_', '~',"
                + " '-'), got "
                + path);
      }
      this.mountPath = Optional.of(path);
      return this;
    }

    /**
     * The live side of guarded rollouts: with it, a flag with a plan shows where the plan is and
     * editors may pause, resume, abort or restart it. Default: the runtime's {@link
     * FlagsRuntime#rolloutPlans()} (with {@code flags.guarded-rollouts.enabled}); without any, the
     * page shows the plan and says its state needs a Redis store.
     */
    public Builder rolloutPlans(RolloutPlans plans) {
      this.rolloutPlans = Optional.of(Objects.requireNonNull(plans, "rolloutPlans"));
      return this;
    }

    /** The clock of "20 s ago" and kill dates (default: the runtime's, or the system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @throws FlagsConfigurationException when the application has no security and {@code
     *     flags.dashboard.insecure-local-development} is not {@code true}
     */
    public Dashboard build() {
      FlagsSettings.Dashboard d = settings.dashboard();
      boolean insecure = false;
      String base = mountPath.orElse(d.path());
      if (!securityAvailable) {
        if (!d.insecureLocalDevelopment()) {
          throw new FlagsConfigurationException(
              Setting.DASHBOARD_ENABLED.key(),
              Boolean.toString(d.enabled()),
              "serves pages that change flags, and this application has no security to check who"
                  + " uses them",
              "Add the application's security (the dashboard needs the roles "
                  + settings.admin().viewerRole()
                  + " and "
                  + settings.admin().editorRole()
                  + "), or, on a developer machine only, set "
                  + Setting.DASHBOARD_INSECURE_LOCAL_DEVELOPMENT.key()
                  + "=true.");
        }
        insecure = true;
        LOG.log(
            Level.WARNING,
            "flags: the dashboard at "
                + base
                + " runs without security ("
                + Setting.DASHBOARD_INSECURE_LOCAL_DEVELOPMENT.key()
                + "=true): it serves loopback callers only, as "
                + LOCAL_DEVELOPER
                + ", who may change every flag; never run this in production");
      }
      return new Dashboard(
          new DashboardHandler(
              new DashboardHandler.Backend(
                  flags, admin, settings, health, lastSync, storeDescription, clock, rolloutPlans),
              base,
              insecure));
    }
  }
}
