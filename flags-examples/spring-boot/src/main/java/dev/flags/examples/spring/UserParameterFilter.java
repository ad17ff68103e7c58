package dev.flags.examples.spring;

import dev.flags.integration.FlagsSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A demo convenience: {@code ?user=alice} stands for the {@code X-User-Id: alice} header the
 * starter's context resolver reads ({@code flags.context.header}), so a browser on this machine can
 * play any user. A real application has a login instead (the resolver takes the Spring Security
 * principal first).
 */
@Component
class UserParameterFilter extends OncePerRequestFilter {

  static final String PARAMETER = "user";

  private final String header;

  UserParameterFilter(FlagsSettings settings) {
    this.header = settings.context().header().orElse("");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String user = request.getParameter(PARAMETER);
    if (header.isEmpty() || user == null || user.isBlank() || request.getHeader(header) != null) {
      chain.doFilter(request, response);
      return;
    }
    chain.doFilter(
        new HttpServletRequestWrapper(request) {
          @Override
          public String getHeader(String name) {
            return header.equalsIgnoreCase(name) ? user : super.getHeader(name);
          }

          @Override
          public Enumeration<String> getHeaders(String name) {
            return header.equalsIgnoreCase(name)
                ? Collections.enumeration(List.of(user))
                : super.getHeaders(name);
          }
        },
        response);
  }
}
