package dev.flags.spring;

import dev.flags.core.EvaluationContext;
import dev.flags.core.Flags;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Switches between two implementations of one interface on every call, by a boolean flag: the
 * runtime form of {@link ConditionalOnFlag}, for flags that change while the application runs.
 *
 * {@snippet :
 * @Bean
 * @Primary
 * PaymentGateway paymentGateway(Flags flags, FlagContextResolver users,
 *     StripeGateway newGateway, LegacyGateway legacyGateway) {
 *   return FlagSwitch.of(flags, "beta_payment_gateway", PaymentGateway.class,
 *       newGateway, legacyGateway, users::current);
 * }
 * }
 *
 * <p>The result is a JDK proxy of the interface that evaluates the flag for the context the
 * supplier gives (the current request's user with {@code FlagContextResolver::current}) and calls
 * the chosen implementation through the interface method. It therefore works when the
 * implementations are themselves proxies (CGLIB or JDK: {@code @Transactional}, {@code @Validated},
 * Spring Security): their advice runs as for any caller. Exceptions of the implementation reach the
 * caller unchanged. {@code equals}, {@code hashCode} and {@code toString} are the switch's own.
 *
 * <p>The switch is thread-safe when the implementations are; evaluating the flag costs a map
 * lookup, no I/O.
 */
public final class FlagSwitch {

  private FlagSwitch() {}

  /**
   * A proxy of {@code type} calling {@code whenOn} when {@code flagKey} is on for the context,
   * {@code whenOff} otherwise (also when the flag is missing or the store unavailable).
   *
   * @throws IllegalArgumentException if {@code type} is not an interface, or an implementation does
   *     not implement it
   */
  public static <T> T of(
      Flags flags,
      String flagKey,
      Class<T> type,
      T whenOn,
      T whenOff,
      Supplier<EvaluationContext> context) {
    Objects.requireNonNull(flags, "flags");
    Objects.requireNonNull(flagKey, "flagKey");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(context, "context");
    if (!type.isInterface()) {
      throw new IllegalArgumentException("type must be an interface, got " + type.getName());
    }
    if (!type.isInstance(Objects.requireNonNull(whenOn, "whenOn"))) {
      throw new IllegalArgumentException("whenOn does not implement " + type.getName());
    }
    if (!type.isInstance(Objects.requireNonNull(whenOff, "whenOff"))) {
      throw new IllegalArgumentException("whenOff does not implement " + type.getName());
    }
    Handler handler = new Handler(flags, flagKey, type, whenOn, whenOff, context);
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static final class Handler implements InvocationHandler {
    private final Flags flags;
    private final String flagKey;
    private final Class<?> type;
    private final Object whenOn;
    private final Object whenOff;
    private final Supplier<EvaluationContext> context;

    Handler(
        Flags flags,
        String flagKey,
        Class<?> type,
        Object whenOn,
        Object whenOff,
        Supplier<EvaluationContext> context) {
      this.flags = flags;
      this.flagKey = flagKey;
      this.type = type;
      this.whenOn = whenOn;
      this.whenOff = whenOff;
      this.context = context;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        switch (method.getName()) {
          case "equals":
            return proxy == args[0];
          case "hashCode":
            return System.identityHashCode(proxy);
          case "toString":
            return "FlagSwitch[" + type.getSimpleName() + " by " + flagKey + "]";
          default:
            break;
        }
      }
      Object target = flags.isEnabled(flagKey, context.get()) ? whenOn : whenOff;
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
