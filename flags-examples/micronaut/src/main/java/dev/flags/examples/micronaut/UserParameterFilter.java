package dev.flags.examples.micronaut;

import dev.flags.micronaut.FlagsConfiguration;
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

  UserParameterFilter(FlagsConfiguration configuration) {
    this.header = configuration.getContext().getHeader();
  }

  @RequestFilter
  public void userFromParameter(MutableHttpRequest<?> request) {
    String user = request.getParameters().get(PARAMETER);
    if (user != null && !user.isBlank() && request.getHeaders().get(header) == null) {
      request.header(header, user);
    }
  }
}
