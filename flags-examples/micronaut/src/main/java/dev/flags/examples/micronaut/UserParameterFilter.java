package dev.flags.examples.micronaut;

import dev.flags.integration.FlagsSettings;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * A demo convenience: {@code ?user=alice} stands for the {@code X-User-Id: alice} header
 * flags-micronaut reads, so a browser can play any user. A real application has a login instead
 * (the authenticated principal comes first).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class UserParameterFilter {

  static final String PARAMETER = "user";

  private final String header;

  UserParameterFilter(FlagsSettings settings) {
    this.header = settings.context().header().orElse("");
  }

  @RequestFilter
  public void userFromParameter(MutableHttpRequest<?> request) {
    String user = request.getParameters().get(PARAMETER);
    if (!header.isEmpty()
        && user != null
        && !user.isBlank()
        && request.getHeaders().get(header) == null) {
      request.header(header, user);
    }
  }
}
