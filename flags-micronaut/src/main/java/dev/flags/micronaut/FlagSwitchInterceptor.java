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
import org.jspecify.annotations.Nullable;

/**
 * The advice behind {@link FlagSwitch}: one flag evaluation per call, then a direct call. The two
 * beans are looked up on the switch's first call.
 */
@InterceptorBean(FlagSwitch.class)
final class FlagSwitchInterceptor implements MethodInterceptor<Object, Object> {

  /** One switch, resolved on its first call. */
  private record Switch(String key, Object on, Object off) {}

  private final Flags flags;
  private final EvaluationContextProvider contexts;
  private final BeanContext beanContext;
  private final Map<Class<?>, Switch> switches = new ConcurrentHashMap<>();

  FlagSwitchInterceptor(Flags flags, EvaluationContextProvider contexts, BeanContext beanContext) {
    this.flags = flags;
    this.contexts = contexts;
    this.beanContext = beanContext;
  }

  @Override
  public Object intercept(MethodInvocationContext<Object, Object> context) {
    // Keyed by the generated class: two switches may share the interface declaring the method.
    Switch choice = switches.computeIfAbsent(context.getTarget().getClass(), t -> resolve(context));
    if (choice == null) {
      return context.proceed();
    }
    Object target = flags.isEnabled(choice.key(), contexts.current()) ? choice.on() : choice.off();
    // The introduced method's generated handle calls the interface method on the chosen bean.
    ExecutableMethod<Object, Object> method = context.getExecutableMethod();
    return method.invoke(target, context.getParameterValues());
  }

  private @Nullable Switch resolve(MethodInvocationContext<Object, Object> context) {
    AnnotationValue<FlagSwitch> annotation = context.getAnnotation(FlagSwitch.class);
    if (annotation == null) {
      return null;
    }
    String key = annotation.stringValue().orElse("");
    return new Switch(
        key, bean(annotation, "on", key, context), bean(annotation, "off", key, context));
  }

  private Object bean(
      AnnotationValue<FlagSwitch> annotation,
      String member,
      String key,
      MethodInvocationContext<Object, Object> context) {
    Class<?> type =
        annotation
            .classValue(member)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "@FlagSwitch(\""
                            + key
                            + "\") on "
                            + context.getDeclaringType().getName()
                            + " has no "
                            + member));
    return beanContext.getBean(type);
  }
}
