package dev.flags.integration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;

/**
 * OpenFeature's Remote Evaluation Protocol (OFREP, the {@code open-feature/protocol} OpenAPI
 * document, version 0.3.0) over this application's flags, so services in other languages evaluate
 * them through OpenFeature's OFREP providers and get the same answers as the Java client: {@code
 * POST /v1/evaluate/flags/{key}} (one flag) and {@code POST /v1/evaluate/flags} (every flag, with
 * an {@code ETag} and {@code 304 Not Modified} for a matching {@code If-None-Match}), below {@code
 * flags.ofrep.path} ({@code /ofrep}), so a provider's base URL is the application's root.
 *
 * <p>A framework adapter mounts it at {@code flags.ofrep.path} when {@code
 * flags.ofrep.enabled=true} and hands over requests as it does for the {@link AdminApi};
 * docs/ofrep.md describes the endpoints, the context mapping ({@code targetingKey} is the context
 * key, other attributes keep their JSON types), reasons and errors.
 *
 * <p><b>Security.</b> With {@code flags.ofrep.token} set, every call must carry it ({@code
 * Authorization: Bearer <token>} or {@code X-API-Key: <token>}; compared in constant time, never
 * logged). Without a token, the caller is the one the application's security authenticated, and it
 * needs {@code flags.ofrep.role} when that is set; an application with no security and no token
 * cannot serve OFREP (building fails). 401 / 403 otherwise.
 *
 * <p>Thread-safe; one instance serves all requests.
 */
public final class OfrepApi implements FlagsHttpHandler {

  /** The largest request body, in bytes (UTF-8): 1 MiB, as for the admin API. */
  public static final int MAX_BODY_BYTES = AdminApi.MAX_BODY_BYTES;

  /** The most attributes an evaluation context may have, {@code targetingKey} included. */
  public static final int MAX_CONTEXT_ATTRIBUTES = 1000;

  /** The longest {@code targetingKey}, in characters. */
  public static final int MAX_TARGETING_KEY_LENGTH = 1024;

  private final OfrepHandler handler;

  private OfrepApi(OfrepHandler handler) {
    this.handler = handler;
  }

  /** Starts an OFREP API over the runtime's client, with its {@code flags.ofrep.*} settings. */
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

  /** Builds an {@link OfrepApi}. Not thread-safe. */
  public static final class Builder {
    private final FlagsRuntime runtime;
    private boolean securityAvailable = true;

    private Builder(FlagsRuntime runtime) {
      this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /**
     * Whether the application has security that authenticates callers (default true). Without it,
     * building fails unless {@code flags.ofrep.token} is set.
     */
    public Builder securityAvailable(boolean available) {
      this.securityAvailable = available;
      return this;
    }

    /**
     * @throws FlagsConfigurationException when neither {@code flags.ofrep.token} is set nor the
     *     application has security
     */
    public OfrepApi build() {
      FlagsSettings.Ofrep settings = runtime.settings().ofrep();
      if (settings.token().isEmpty() && !securityAvailable) {
        throw new FlagsConfigurationException(
            Setting.OFREP_ENABLED.key(),
            Boolean.toString(settings.enabled()),
            "serves every flag's value to whoever asks, and neither "
                + Setting.OFREP_TOKEN.key()
                + " is set nor has this application security to check who calls",
            "Set "
                + Setting.OFREP_TOKEN.key()
                + " to a long random value (openssl rand -base64 32) and give it to the OFREP"
                + " providers as a bearer token, or add the application's security.");
      }
      Optional<byte[]> digest = settings.token().map(Builder::digest);
      return new OfrepApi(new OfrepHandler(runtime.flags(), settings, digest));
    }

    static byte[] digest(String token) {
      try {
        return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      } catch (java.security.NoSuchAlgorithmException e) {
        // SHA-256 is in every Java runtime (a required algorithm).
        throw new IllegalStateException("SHA-256 is not available", e);
      }
    }
  }
}
