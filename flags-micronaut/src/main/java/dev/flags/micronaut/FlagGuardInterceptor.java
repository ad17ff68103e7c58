package dev.flags.micronaut;

import dev.flags.core.Flags;
import io.micronaut.aop.InterceptorBean;
import io.micronaut.aop.MethodInterceptor;
import io.micronaut.aop.MethodInvocationContext;
import io.micronaut.context.BeanContext;
import io.micronaut.core.annotation.AnnotationValue;
import io.micronaut.core.convert.ConversionService;
import io.micronaut.core.type.ReturnType;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.inject.ExecutableMethod;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The advice behind {@link FlagGuarded}: one flag evaluation per call. */
@InterceptorBean(FlagGuarded.class)
final class FlagGuardInterceptor implements MethodInterceptor<Object, Object> {

  private static final String CONTROLLER = "io.micronaut.http.annotation.Controller";

  private final Flags flags;
  private final EvaluationContextProvider contexts;
  private final BeanContext beanContext;
  private final ConversionService conversion;
  private final int guardStatus;

  FlagGuardInterceptor(
      Flags flags,
      EvaluationContextProvider contexts,
      BeanContext beanContext,
      ConversionService conversion,
      FlagsConfiguration config) {
    this.guardStatus = config.getWeb().getGuardStatus();
    this.flags = flags;
    this.contexts = contexts;
    this.beanContext = beanContext;
    this.conversion = conversion;
  }

  @Override
  public Object intercept(MethodInvocationContext<Object, Object> context) {
    AnnotationValue<FlagGuarded> guard = context.getAnnotation(FlagGuarded.class);
    if (guard == null) {
      return context.proceed();
    }
    String key = guard.stringValue().orElse("");
    if (flags.isEnabled(key, contexts.current())) {
      return context.proceed();
    }
    String fallback = guard.stringValue("fallback").orElse("");
    if (!fallback.isEmpty()) {
      return fallback(context, fallback).invoke(context.getTarget(), context.getParameterValues());
    }
    String[] defaults = guard.stringValues("defaultValue");
    ReturnType<Object> returnType = context.getReturnType();
    if (defaults.length > 0) {
      return conversion.convert(defaults[0], returnType.asArgument()).orElseThrow(() -> new IllegalStateException(
          "@FlagGuarded(defaultValue = \"" + defaults[0] + "\") on " + describe(context)
              + ": cannot be converted to " + returnType.getType().getName()));
    }
    if (context.hasStereotype(CONTROLLER)) {
      HttpStatus status = HttpStatus.valueOf(guardStatus);
      throw new HttpStatusException(status, status.getReason());
    }
    if (returnType.isVoid()) {
      return null;
    }
    if (Optional.class.equals(returnType.getType())) {
      return Optional.empty();
    }
    throw new FlagDisabledException(key, describe(context));
  }

  private ExecutableMethod<Object, Object> fallback(MethodInvocationContext<Object, Object> context, String name) {
    Optional<ExecutableMethod<Object, Object>> method =
        beanContext.findExecutableMethod(context.getDeclaringType(), name, context.getArgumentTypes());
    return method.orElseThrow(() -> new IllegalStateException(
        "@FlagGuarded(fallback = \"" + name + "\") on " + describe(context) + ": no method " + name + "("
            + Arrays.stream(context.getArgumentTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "))
            + ") annotated @Executable in " + context.getDeclaringType().getName()));
  }

  private static String describe(MethodInvocationContext<Object, Object> context) {
    return context.getDeclaringType().getSimpleName() + "." + context.getMethodName();
  }
}
