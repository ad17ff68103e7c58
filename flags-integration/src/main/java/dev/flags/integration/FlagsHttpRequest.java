package dev.flags.integration;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A request to a {@link FlagsHttpHandler} (the {@link AdminApi}…), as a framework adapter hands it
 * over: the method, the path below the handler's base path ({@code flags.admin.path}), the query,
 * the headers, the body, who is calling and from where. Immutable and thread-safe; header names are
 * matched in any case.
 *
 * @param method the HTTP method, such as {@code GET}
 * @param path the path below the API's base, starting with {@code /}: {@code /flags/new_ui}
 * @param query the query parameters, decoded, each with its values in order
 * @param headers the request headers, each with its values in order
 * @param body the body as text ({@code ""} for none); an adapter reads at most {@link
 *     AdminApi#MAX_BODY_BYTES} + 1 bytes of it
 * @param caller who is calling, as the application's security established it; empty when nobody
 *     authenticated
 * @param remoteAddress the address the connection came from, an IP literal
 */
public record FlagsHttpRequest(
    String method,
    String path,
    Map<String, List<String>> query,
    Map<String, List<String>> headers,
    String body,
    Optional<Caller> caller,
    String remoteAddress) {

  public FlagsHttpRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    query = copy(query, new TreeMap<>());
    headers = copy(headers, new TreeMap<>(String.CASE_INSENSITIVE_ORDER));
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
  }

  /** The first value of a header, by name in any case. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The first value of a query parameter. */
  public Optional<String> parameter(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  private static Map<String, List<String>> copy(
      Map<String, List<String>> from, Map<String, List<String>> into) {
    Objects.requireNonNull(from, "map");
    from.forEach((k, v) -> into.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    into.replaceAll((k, v) -> List.copyOf(v));
    return Collections.unmodifiableMap(into);
  }

  /**
   * An authenticated caller. Immutable; thread-safe if {@code roles} is.
   *
   * @param name the user's name, recorded as the actor of every change the caller makes
   * @param roles whether the caller has a role, by name ({@code FLAGS_VIEWER}); the adapter maps it
   *     to its security's notion (Spring's {@code ROLE_} authorities, Micronaut's roles)
   */
  public record Caller(String name, Predicate<String> roles) {
    public Caller {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(roles, "roles");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name: a caller has a name");
      }
    }

    /** Whether the caller has this role. */
    public boolean hasRole(String role) {
      return roles.test(role);
    }
  }
}
