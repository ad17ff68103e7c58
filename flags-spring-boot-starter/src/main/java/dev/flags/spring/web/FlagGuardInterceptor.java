package dev.flags.spring.web;

import dev.flags.core.Flags;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Enforces {@link FlagGuard}. The annotation is looked up once per handler method, on the target
 * class behind any proxy, and cached; the flag is evaluated per request.
 */
final class FlagGuardInterceptor implements HandlerInterceptor {

  private final Flags flags;
  private final FlagContextResolver contexts;
  private final int defaultStatus;
  private final Map<Key, Optional<FlagGuard>> guards = new ConcurrentHashMap<>();

  FlagGuardInterceptor(Flags flags, FlagContextResolver contexts, int defaultStatus) {
    this.flags = flags;
    this.contexts = contexts;
    this.defaultStatus = defaultStatus;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws Exception {
    if (!(handler instanceof HandlerMethod method)) {
      return true;
    }
    Object bean = method.getBean();
    Class<?> targetClass =
        bean instanceof String ? method.getBeanType() : AopUtils.getTargetClass(bean);
    Optional<FlagGuard> guard =
        guards.computeIfAbsent(
            new Key(targetClass, method.getMethod()), k -> find(k.targetClass, k.method, method));
    if (guard.isEmpty()) {
      return true;
    }
    if (flags.isEnabled(guard.get().value(), contexts.resolve(request, response))) {
      return true;
    }
    response.sendError(guard.get().status() > 0 ? guard.get().status() : defaultStatus);
    return false;
  }

  private static Optional<FlagGuard> find(
      Class<?> targetClass, Method method, HandlerMethod handlerMethod) {
    Class<?> userClass = ClassUtils.getUserClass(targetClass);
    // The method as declared on the target class: annotations of a CGLIB subclass or of a JDK
    // proxy's interface method are not where users put them.
    Method specific = AopUtils.getMostSpecificMethod(method, userClass);
    FlagGuard guard = AnnotatedElementUtils.findMergedAnnotation(specific, FlagGuard.class);
    if (guard == null) {
      guard = AnnotatedElementUtils.findMergedAnnotation(method, FlagGuard.class);
    }
    if (guard == null) {
      guard = AnnotatedElementUtils.findMergedAnnotation(userClass, FlagGuard.class);
    }
    if (guard == null) {
      guard =
          AnnotatedElementUtils.findMergedAnnotation(
              ClassUtils.getUserClass(handlerMethod.getBeanType()), FlagGuard.class);
    }
    return Optional.ofNullable(guard);
  }

  private record Key(Class<?> targetClass, Method method) {}
}
