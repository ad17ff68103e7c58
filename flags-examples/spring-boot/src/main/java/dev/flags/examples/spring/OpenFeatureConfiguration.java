package dev.flags.examples.spring;

import dev.flags.core.Flags;
import dev.flags.openfeature.FlagsProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * OpenFeature for the code of this service written against its API: our provider over the
 * starter's {@link Flags} bean. Spring owns that client and closes it, so the provider leaves it
 * open on shutdown (its default).
 */
@Configuration(proxyBeanMethods = false)
class OpenFeatureConfiguration {

  // tag::spring-openfeature[]
  @Bean(destroyMethod = "shutdown")
  OpenFeatureAPI openFeature(Flags flags) {
    // An application would usually take OpenFeatureAPI.getInstance(); this example keeps an
    // instance of its own so that two of its application contexts in one JVM (its tests start
    // several) never replace each other's provider.
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    api.setProviderAndWait(FlagsProvider.of(flags)); // waits for the flags' first load
    return api;
  }

  @Bean
  Client openFeatureClient(OpenFeatureAPI openFeature) {
    return openFeature.getClient();
  }
  // end::spring-openfeature[]
}
