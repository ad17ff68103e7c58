package dev.flags.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.FileFlagStore;
import dev.flags.core.Flags;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import org.junit.jupiter.api.Test;

/** The README's "Using OpenFeature" snippet, run (docs/tools/update_snippets.py copies it). */
class ReadmeExampleTest {

  @Test
  void usingOpenFeature() {
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    FileFlagStore store =
        FileFlagStore.builder()
            .classpathResource("dev/flags/openfeature/conformance/flags.json")
            .build();
    Flags flags = Flags.builder().store(store).build();
    try {
      // tag::openfeature-quick-start[]
      api.setProviderAndWait(FlagsProvider.of(flags)); // waits for the store's first load

      Client client = api.getClient();
      MutableContext user = new MutableContext("user-42").add("customer", false);
      String audience = client.getStringValue("context-aware", "EXTERNAL", user); // INTERNAL
      // end::openfeature-quick-start[]
      assertThat(audience).isEqualTo("INTERNAL");
    } finally {
      api.shutdown();
      flags.close();
    }
  }
}
