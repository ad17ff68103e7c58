package dev.flags.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Clause;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.Rule;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Reason;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The examples of the javadoc and of docs/openfeature.md, run. */
class ProviderExamplesTest {

  @Test
  void setUp() {
    InMemoryFlagStore store =
        InMemoryFlagStore.of(
            Flag.builder("new_checkout_flow")
                .rule(Rule.when(Clause.in("country", "DE", "FR")).serve(true))
                .fallthrough(false)
                .build());
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated(); // in an application: getInstance()
    // @start region="set-up"
    Flags flags = Flags.builder().store(store).build(); // any store: a file, Redis…
    api.setProviderAndWait( // waits for the store's first load (5 s at most by default)
        FlagsProvider.builder(flags).initializationTimeout(Duration.ofSeconds(10)).build());

    Client client = api.getClient();
    MutableContext alice = new MutableContext("alice").add("country", "DE");
    boolean on = client.getBooleanValue("new_checkout_flow", false, alice); // true
    FlagEvaluationDetails<Boolean> why =
        client.getBooleanDetails("new_checkout_flow", false, alice); // TARGETING_MATCH, variant "1"
    // @end
    try {
      assertThat(on).isTrue();
      assertThat(why.getReason()).isEqualTo(Reason.TARGETING_MATCH.name());
      assertThat(why.getVariant()).isEqualTo("1");
    } finally {
      api.shutdown();
      flags.close();
    }
  }
}
