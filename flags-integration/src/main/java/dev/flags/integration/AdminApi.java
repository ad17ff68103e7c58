package dev.flags.integration;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;

/**
 * The admin HTTP API (docs/admin-api.md, docs/openapi.json) as a plain request → response function:
 * list, read, explain, create, replace, delete, turn on or off, ramp, target, edit metadata,
 * restore, audit, segments, status, and a flag's guarded rollout (its plan and live state; pause,
 * resume, abort: {@link Builder#rolloutPlans}). A framework adapter mounts it at {@code
 * flags.admin.path} when {@code flags.admin.enabled=true}, turns each HTTP request into an {@link
 * FlagsHttpRequest} (with the caller its security established) and writes the {@link
 * FlagsHttpResponse} back as it is; the paths, bodies, status codes and JSON are this class's, the
 * same in every framework.
 *
 * <p><b>Security.</b> Every call needs an authenticated caller: reads the viewer role ({@code
 * flags.admin.viewer-role}) or the editor role, writes the editor role ({@code
 * flags.admin.editor-role}); 401 without a caller, 403 without the role. Writes also need {@code
 * flags.admin.write-enabled=true} (else 405). The actor of every change is the caller's name, never
 * a header or body field. An application with no security at all may serve the API only with {@code
 * flags.admin.insecure-local-development=true}: then to loopback callers only, as {@value
 * #LOCAL_DEVELOPER}, with a WARN at start-up.
 *
 * <p><b>Errors</b> are problem documents (RFC 9457, {@code application/problem+json}): 400 bad
 * input (with the path of a definition's problem), 404, 405, 409 (a version conflict, with {@code
 * currentVersion} and {@code changedBy}; already exists; a read-only store, with its reason; a
 * stored definition that does not read), 412/428 (If-Match), 413 (body too large), 503 when the
 * store does not answer (with {@code mayHaveBeenApplied}, logged as one WARN line). A caller's
 * mistake is never a 500.
 *
 * <p>Thread-safe; one instance serves all requests.
 */
public final class AdminApi implements FlagsHttpHandler {

  /** The actor of changes made in insecure local development. */
  public static final String LOCAL_DEVELOPER = "local-developer";

  /** The largest request body, in bytes (UTF-8): 1 MiB. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  /** The most context keys one targets call may add and remove together: a pasted list. */
  public static final int MAX_TARGET_KEYS = 10_000;

  /** The most audit entries one call returns. */
  public static final int MAX_AUDIT_LIMIT = 1000;

  /** The audit entries one call returns without {@code limit}. */
  public static final int DEFAULT_AUDIT_LIMIT = 100;

  private static final System.Logger LOG = System.getLogger(AdminApi.class.getName());

  private final AdminHandler handler;

  private AdminApi(AdminHandler handler) {
    this.handler = handler;
  }

  /** Starts an API over the runtime's client and admin, with its settings. */
  public static Builder builder(FlagsRuntime runtime) {
    return new Builder(runtime);
  }

  /**
   * Answers one request. Never throws: every failure is a response (a bug is a 500, logged with its
   * stack trace).
   */
  @Override
  public FlagsHttpResponse handle(FlagsHttpRequest request) {
    return handler.handle(Objects.requireNonNull(request, "request"));
  }

  /** Builds an {@link AdminApi}. Not thread-safe. */
  public static final class Builder {
    private final FlagsRuntime runtime;
    private boolean securityAvailable = true;
    private Optional<RolloutPlans> rolloutPlans = Optional.empty();

    private Builder(FlagsRuntime runtime) {
      this.runtime = Objects.requireNonNull(runtime, "runtime");
      this.rolloutPlans = runtime.rolloutPlans();
    }

    /**
     * Whether the application has security that authenticates callers (default true). Without it,
     * building fails unless {@code flags.admin.insecure-local-development=true}.
     */
    public Builder securityAvailable(boolean available) {
      this.securityAvailable = available;
      return this;
    }

    /**
     * The live side of guarded rollouts, for {@code GET /flags/{key}/guarded-rollout} and its
     * pause, resume and abort (docs/admin-api.md). Default: the runtime's {@link
     * FlagsRuntime#rolloutPlans()} (with {@code flags.guarded-rollouts.enabled}); without any,
     * those answer 409 {@code rollouts-unavailable}: a plan's state lives in Redis, with the
     * controller that runs it.
     */
    public Builder rolloutPlans(RolloutPlans plans) {
      this.rolloutPlans = Optional.of(Objects.requireNonNull(plans, "rolloutPlans"));
      return this;
    }

    /**
     * @throws FlagsConfigurationException when the application has no security and {@code
     *     flags.admin.insecure-local-development} is not {@code true}
     */
    public AdminApi build() {
      FlagsSettings.Admin admin = runtime.settings().admin();
      boolean insecure = false;
      if (!securityAvailable) {
        if (!admin.insecureLocalDevelopment()) {
          throw new FlagsConfigurationException(
              Setting.ADMIN_ENABLED.key(),
              Boolean.toString(admin.enabled()),
              "serves flag writes and reads, and this application has no security to check who"
                  + " calls",
              "Add the application's security (the API needs the roles "
                  + admin.viewerRole()
                  + " and "
                  + admin.editorRole()
                  + "), or, on a developer machine only, set "
                  + Setting.ADMIN_INSECURE_LOCAL_DEVELOPMENT.key()
                  + "=true.");
        }
        insecure = true;
        LOG.log(
            Level.WARNING,
            "flags: the admin API at "
                + admin.path()
                + " runs without security ("
                + Setting.ADMIN_INSECURE_LOCAL_DEVELOPMENT.key()
                + "=true): it serves loopback callers only, as "
                + LOCAL_DEVELOPER
                + "; never run this in production");
      }
      return new AdminApi(new AdminHandler(runtime, insecure, rolloutPlans));
    }
  }
}
