package dev.flags.integration.kit;

import dev.flags.core.JsonValue;
import dev.flags.integration.FlagsSettings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An application under test, started by a framework adapter's tests for the parity kit, serving
 * real HTTP on a loopback port. Besides the admin API at {@code flags.admin.path}, it serves:
 *
 * <ul>
 *   <li>a context probe ({@link #contextProbe()}): {@code GET} answers {@code {"key": …, "kind": …,
 *       "anonymous": …}}, the evaluation context the framework resolved for the request, with the
 *       anonymous cookie's {@code Set-Cookie} when one was made; reachable without credentials, and
 *       with them it sees the principal;
 *   <li>an outcome probe ({@link #outcomeProbe()}): {@code GET ?flag=…&user=…&status=…&fail=…}
 *       evaluates the boolean flag {@code flag} for the context with key {@code user} in the
 *       request's handler, then answers {@code status} (default 200) with the value, or with {@code
 *       fail=true} throws an exception the application does not handle; reachable without
 *       credentials;
 *   <li>the framework's own health output, read by {@link #health()}.
 * </ul>
 *
 * It authenticates the {@link KitUser}s (HTTP Basic by default, see {@link #authenticate}) and
 * gives them their roles.
 */
public interface KitApplication extends AutoCloseable {

  /** The root of the application: {@code http://127.0.0.1:<port>} plus any context path. */
  URI baseUri();

  /** The context probe's URI. */
  URI contextProbe();

  /** The outcome probe's URI. */
  default URI outcomeProbe() {
    return URI.create(baseUri() + "/kit/outcome");
  }

  /** The flags' health as the framework reports it now. */
  KitHealth health() throws Exception;

  /** The settings as the framework's adapter bound them. */
  FlagsSettings boundSettings();

  /** Adds {@code user}'s credentials to a request; by default HTTP Basic. */
  default HttpRequest.Builder authenticate(HttpRequest.Builder request, KitUser user) {
    if (user == KitUser.NONE) {
      return request;
    }
    String token =
        Base64.getEncoder()
            .encodeToString(
                (user.username() + ":" + user.password()).getBytes(StandardCharsets.UTF_8));
    return request.header("Authorization", "Basic " + token);
  }

  /** The admin API's root: {@link #baseUri()} plus {@code flags.admin.path}. */
  default URI adminBase() {
    String base = baseUri().toString();
    return URI.create(
        (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
            + boundSettings().admin().path());
  }

  /** Reads a health details value, for assertions. */
  static JsonValue detail(KitHealth health, String name) {
    return health.details().members().get(name);
  }

  @Override
  void close();
}
