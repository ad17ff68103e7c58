package dev.flags.examples.spring;

import dev.flags.core.Flags;
import dev.flags.openfeature.FlagsProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.exceptions.OpenFeatureError;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * OpenFeature for the code of this service written against its API: our provider over the starter's
 * {@link Flags} bean. Spring owns that client and closes it, so the provider leaves it open on
 * shutdown (its default).
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
    try {
      api.setProviderAndWait( // waits for the flags' first load, 2 s at most
          FlagsProvider.builder(flags).initializationTimeout(Duration.ofSeconds(2)).build());
    } catch (OpenFeatureError e) {
      // The service starts while Redis is down: OpenFeature serves the callers' defaults until
      // the flags load, then the provider turns READY by itself.
    }
    return api;
  }

  @Bean
  Client openFeatureClient(OpenFeatureAPI openFeature) {
    return openFeature.getClient();
  }
  // end::spring-openfeature[]
}
