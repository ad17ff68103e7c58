package dev.flags.integration;

/**
 * A framework-neutral HTTP handler of the SDK — the admin API, the dashboard, OFREP ({@link
 * OfrepApi}) — that each framework adapter mounts under its base path: the adapter turns its
 * request into a {@link FlagsHttpRequest} (the path below the base, the caller its security
 * authenticated) and writes the {@link FlagsHttpResponse} back as it is. Implementations are
 * thread-safe.
 */
public interface FlagsHttpHandler {

  /** Answers one request; never throws for a caller's mistake (that is a 4xx response). */
  FlagsHttpResponse handle(FlagsHttpRequest request);
}
