package dev.flags.spring.web;

import dev.flags.core.EvaluationContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Builds the evaluation context of a web request: who the flags are evaluated for. The starter's
 * default follows flags-integration's {@code RequestContextPolicy}, as Micronaut does: the
 * authenticated principal's name (Spring Security's, through the servlet request); else the header
 * {@code flags.context.header} (off by default), believed only from {@code
 * flags.context.trusted-proxies}; else an anonymous visitor whose random id is kept in a signed
 * cookie ({@code flags.context.anonymous-cookie.*}), so a rollout gives the same answer on every
 * page load. Define a bean of this type to replace it (for example to add a tenant or a country
 * attribute).
 *
 * <p>Implementations must be thread-safe: one instance serves all requests.
 */
public interface FlagContextResolver {

  /** The key of the context used when there is no request and no user. */
  String ANONYMOUS_KEY = "anonymous";

  /**
   * The context of this request.
   *
   * @param response where an anonymous visitor's cookie is set; {@code null} when there is none
   */
  EvaluationContext resolve(HttpServletRequest request, @Nullable HttpServletResponse response);

  /**
   * The context of the request the calling thread is serving, or an anonymous context of key {@link
   * #ANONYMOUS_KEY} outside a request (scheduled jobs, start-up).
   */
  default EvaluationContext current() {
    RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
    if (attributes instanceof ServletRequestAttributes servlet) {
      return resolve(servlet.getRequest(), servlet.getResponse());
    }
    return EvaluationContext.builder(ANONYMOUS_KEY).anonymous(true).build();
  }
}
