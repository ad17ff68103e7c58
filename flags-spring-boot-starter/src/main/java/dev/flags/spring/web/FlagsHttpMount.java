package dev.flags.spring.web;

import dev.flags.integration.FlagsHttpHandler;
import java.util.Objects;

/**
 * A framework-neutral {@link FlagsHttpHandler} and the path the starter serves it at: every bean of
 * this type is mounted in one handler mapping, the longest path first (the admin API at {@code
 * /flags/api} below the dashboard at {@code /flags}), behind the application's filters. The starter
 * defines one for the admin API ({@code flags.admin.enabled}) and one for the dashboard ({@code
 * flags.dashboard.enabled}); an application (flags-server) adds its own handlers by defining more.
 * Immutable and thread-safe.
 *
 * @param path where the handler is served, such as {@code /flags/api}: starts with {@code /}, no
 *     trailing {@code /}, without the servlet context path
 * @param handler the handler
 */
public record FlagsHttpMount(String path, FlagsHttpHandler handler) {

  public FlagsHttpMount {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(handler, "handler");
    if (!path.matches("(/[A-Za-z0-9._~-]+)+")) {
      throw new IllegalArgumentException(
          "path: a path such as /flags/api (segments of letters, digits, '.', '_', '~', '-'), got "
              + path);
    }
  }
}
