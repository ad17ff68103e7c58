package dev.flags.micronaut;

import dev.flags.core.Flags;
import dev.flags.integration.FlagsSettings;
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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The advice behind {@link FlagGuarded}: one flag evaluation per call. What the annotation says
 * (key, fallback handle, converted default) is worked out on a method's first call and kept.
 */
@InterceptorBean(FlagGuarded.class)
final class FlagGuardInterceptor implements MethodInterceptor<Object, Object> {

  private static final String CONTROLLER = "io.micronaut.http.annotation.Controller";

  /** What to do when the flag is off. */
  private enum Off {
    FALLBACK,
    DEFAULT,
    HTTP_STATUS,
    NOTHING,
    EMPTY,
    THROW
  }

  /** One guarded method, resolved once. */
  private record Guard(
      String key,
      Off off,
      @Nullable ExecutableMethod<Object, Object> fallback, // set for Off.FALLBACK only
      @Nullable Object defaultValue,
      String name) {}

  private final Flags flags;
  private final EvaluationContextProvider contexts;
  private final BeanContext beanContext;
  private final ConversionService conversion;
  private final HttpStatus guardStatus;
  private final Map<ExecutableMethod<Object, Object>, Guard> guards = new ConcurrentHashMap<>();

  FlagGuardInterceptor(
      Flags flags,
      EvaluationContextProvider contexts,
      BeanContext beanContext,
      ConversionService conversion,
      FlagsSettings settings) {
    this.flags = flags;
    this.contexts = contexts;
    this.beanContext = beanContext;
    this.conversion = conversion;
    this.guardStatus = HttpStatus.valueOf(settings.webGuardStatus());
  }

  @Override
  public @Nullable Object intercept(MethodInvocationContext<Object, Object> context) {
    Guard guard = guards.computeIfAbsent(context.getExecutableMethod(), m -> resolve(context));
    if (guard == null || flags.isEnabled(guard.key(), contexts.current())) {
      return context.proceed();
    }
    return switch (guard.off()) {
      case FALLBACK ->
          Objects.requireNonNull(guard.fallback())
              .invoke(context.getTarget(), context.getParameterValues());
      case DEFAULT -> guard.defaultValue();
      case HTTP_STATUS -> throw new HttpStatusException(guardStatus, guardStatus.getReason());
      case NOTHING -> null;
      case EMPTY -> Optional.empty();
      case THROW -> throw new FlagDisabledException(guard.key(), guard.name());
    };
  }

  private @Nullable Guard resolve(MethodInvocationContext<Object, Object> context) {
    AnnotationValue<FlagGuarded> annotation = context.getAnnotation(FlagGuarded.class);
    if (annotation == null) {
      return null;
    }
    String key = annotation.stringValue().orElse("");
    String name = context.getDeclaringType().getSimpleName() + "." + context.getMethodName();
    String fallback = annotation.stringValue("fallback").orElse("");
    if (!fallback.isEmpty()) {
      return new Guard(key, Off.FALLBACK, fallback(context, fallback, name), null, name);
    }
    String[] defaults = annotation.stringValues("defaultValue");
    ReturnType<Object> returnType = context.getReturnType();
    if (defaults.length > 0) {
      Object value =
          conversion
              .convert(defaults[0], returnType.asArgument())
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "@FlagGuarded(defaultValue = \""
                              + defaults[0]
                              + "\") on "
                              + name
                              + ": cannot be converted to "
                              + returnType.getType().getName()));
      return new Guard(key, Off.DEFAULT, null, value, name);
    }
    if (context.hasStereotype(CONTROLLER)) {
      return new Guard(key, Off.HTTP_STATUS, null, null, name);
    }
    if (returnType.isVoid()) {
      return new Guard(key, Off.NOTHING, null, null, name);
    }
    if (Optional.class.equals(returnType.getType())) {
      return new Guard(key, Off.EMPTY, null, null, name);
    }
    return new Guard(key, Off.THROW, null, null, name);
  }

  private ExecutableMethod<Object, Object> fallback(
      MethodInvocationContext<Object, Object> context, String fallback, String name) {
    Optional<ExecutableMethod<Object, Object>> method =
        beanContext.findExecutableMethod(
            context.getDeclaringType(), fallback, context.getArgumentTypes());
    return method.orElseThrow(
        () ->
            new IllegalStateException(
                "@FlagGuarded(fallback = \""
                    + fallback
                    + "\") on "
                    + name
                    + ": no method "
                    + fallback
                    + "("
                    + Arrays.stream(context.getArgumentTypes())
                        .map(Class::getSimpleName)
                        .collect(Collectors.joining(", "))
                    + ") annotated @Executable in "
                    + context.getDeclaringType().getName()));
  }
}
