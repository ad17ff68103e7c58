package dev.flags.micronaut;

import dev.flags.core.Flags;
import io.micronaut.aop.InterceptorBean;
import io.micronaut.aop.MethodInterceptor;
import io.micronaut.aop.MethodInvocationContext;
import io.micronaut.context.BeanContext;
import io.micronaut.core.annotation.AnnotationValue;
import io.micronaut.inject.ExecutableMethod;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The advice behind {@link FlagSwitch}: one flag evaluation per call, then a direct call. */
@InterceptorBean(FlagSwitch.class)
final class FlagSwitchInterceptor implements MethodInterceptor<Object, Object> {

  private final Flags flags;
  private final EvaluationContextProvider contexts;
  private final BeanContext beanContext;
  private final Map<Class<?>, Object> beans = new ConcurrentHashMap<>();

  FlagSwitchInterceptor(Flags flags, EvaluationContextProvider contexts, BeanContext beanContext) {
    this.flags = flags;
    this.contexts = contexts;
    this.beanContext = beanContext;
  }

  @Override
  public Object intercept(MethodInvocationContext<Object, Object> context) {
    AnnotationValue<FlagSwitch> annotation = context.getAnnotation(FlagSwitch.class);
    if (annotation == null) {
      return context.proceed();
    }
    String key = annotation.stringValue().orElse("");
    boolean on = flags.isEnabled(key, contexts.current());
    Class<?> type = annotation.classValue(on ? "on" : "off").orElseThrow(() -> new IllegalStateException(
        "@FlagSwitch(\"" + key + "\") on " + context.getDeclaringType().getName() + " has no " + (on ? "on" : "off")));
    Object target = beans.computeIfAbsent(type, beanContext::getBean);
    ExecutableMethod<Object, Object> method = context.getExecutableMethod();
    return method.invoke(target, context.getParameterValues());
  }
}
