package dev.flags.spring.actuate;

import dev.flags.integration.FlagsRuntime;
import dev.flags.integration.HealthReport;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Spring Boot 3.5's health indicator of the flags. The starter is compiled against Boot 4, where
 * {@code org.springframework.boot.actuate.health.HealthIndicator} no longer exists, so this
 * registers a bean typed as that interface (looked up by name) whose instance is a JDK proxy
 * building {@code Health} from the runtime's {@link HealthReport} through its public builder by
 * reflection. The simplest robust choice: no second source set compiled against Boot 3.5, no stub
 * jar; the Boot 3.5 test run proves it.
 */
final class Boot3HealthIndicatorRegistrar implements ImportBeanDefinitionRegistrar {

  static final String INDICATOR = "org.springframework.boot.actuate.health.HealthIndicator";
  static final String BEAN_NAME = "flagsHealthIndicator";
  private static final String BUILDER = "org.springframework.boot.actuate.health.Health$Builder";

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    if (registry.containsBeanDefinition(BEAN_NAME)
        || !(registry instanceof BeanFactory beanFactory)) {
      return;
    }
    ClassLoader classLoader = ClassUtils.getDefaultClassLoader();
    Class<?> indicator;
    try {
      indicator = ClassUtils.forName(INDICATOR, classLoader);
    } catch (ClassNotFoundException | LinkageError e) {
      return;
    }
    @SuppressWarnings("unchecked")
    Class<Object> type = (Class<Object>) indicator;
    RootBeanDefinition definition =
        new RootBeanDefinition(type, () -> proxy(indicator, beanFactory));
    registry.registerBeanDefinition(BEAN_NAME, definition);
  }

  private static Object proxy(Class<?> indicator, BeanFactory beanFactory) {
    FlagsRuntime runtime = beanFactory.getBean(FlagsRuntime.class);
    InvocationHandler handler =
        new InvocationHandler() {
          @Override
          public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("health") && method.getParameterCount() == 0) {
              return health(indicator.getClassLoader(), runtime.health());
            }
            if (method.isDefault()) {
              return InvocationHandler.invokeDefault(proxy, method, args);
            }
            switch (method.getName()) {
              case "equals":
                return proxy == args[0];
              case "hashCode":
                return System.identityHashCode(proxy);
              case "toString":
                return "FlagsHealthIndicator (Spring Boot 3)";
              default:
                throw new UnsupportedOperationException(method.toString());
            }
          }
        };
    return Proxy.newProxyInstance(indicator.getClassLoader(), new Class<?>[] {indicator}, handler);
  }

  static Object health(ClassLoader classLoader, HealthReport report)
      throws ReflectiveOperationException {
    Class<?> builderType = ClassUtils.forName(BUILDER, classLoader);
    Object builder = builderType.getConstructor().newInstance();
    builderType.getMethod("status", String.class).invoke(builder, report.up() ? "UP" : "DOWN");
    builderType.getMethod("withDetails", Map.class).invoke(builder, report.details());
    return builderType.getMethod("build").invoke(builder);
  }
}
