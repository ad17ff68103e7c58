package dev.flags.spring.actuate;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The query parameters of the servlet request being served, for the explain operation: actuator
 * operations only receive the parameters they declare, and the context attributes to explain with
 * are open-ended ({@code ?key=user-1&country=DE&plan=pro}). Loaded only when Spring MVC is present.
 */
final class RequestAttributes {

  private RequestAttributes() {}

  static Map<String, String> queryParameters(Set<String> reserved) {
    Map<String, String> attributes = new LinkedHashMap<>();
    if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes servlet) {
      HttpServletRequest request = servlet.getRequest();
      request
          .getParameterMap()
          .forEach(
              (name, values) -> {
                if (!reserved.contains(name) && values.length > 0) {
                  attributes.put(name, values[0]);
                }
              });
    }
    return attributes;
  }
}
