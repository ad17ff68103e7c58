package dev.flags.spring.web;

import dev.flags.core.Flags;
import dev.flags.spring.FlagsAutoConfiguration;
import dev.flags.spring.FlagsProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * In a Spring MVC application: the {@link FlagContextResolver} (Spring Security principal when
 * Spring Security is present, else header, else sticky anonymous id) and the interceptor that
 * enforces {@link FlagGuard}.
 */
@AutoConfiguration(after = FlagsAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({HandlerInterceptor.class, WebMvcConfigurer.class})
@ConditionalOnBean({Flags.class, FlagsProperties.class})
public final class FlagsWebMvcAutoConfiguration {

  /** The default resolver; define your own {@link FlagContextResolver} bean to replace it. */
  @Bean
  @ConditionalOnMissingBean
  public FlagContextResolver flagContextResolver(
      FlagsProperties properties, ApplicationContext context) {
    boolean security =
        ClassUtils.isPresent(SecurityPrincipals.SECURITY_CONTEXT_HOLDER, context.getClassLoader());
    return new DefaultFlagContextResolver(properties.getContext(), security);
  }

  /** Registers the {@link FlagGuard} interceptor. */
  @Bean
  @ConditionalOnMissingBean(name = "flagGuardWebMvcConfigurer")
  public WebMvcConfigurer flagGuardWebMvcConfigurer(
      Flags flags, FlagContextResolver flagContextResolver, FlagsProperties properties) {
    FlagGuardInterceptor interceptor =
        new FlagGuardInterceptor(flags, flagContextResolver, properties.getWeb().getGuardStatus());
    return new WebMvcConfigurer() {
      @Override
      public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(interceptor);
      }
    };
  }
}
