package dev.flags.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Clause;
import dev.flags.core.Flag;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.JsonValue;
import dev.flags.core.Operator;
import dev.flags.core.Rule;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.MutableStructure;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One test per row of the context table of docs/openfeature.md. */
class ContextMappingTest {

  private final ContextMapping mapping = new ContextMapping();

  @Test
  void theTargetingKeyIsTheContextKey() {
    dev.flags.core.EvaluationContext c = mapping.toFlags(new ImmutableContext("alice"));
    assertThat(c.key()).isEqualTo("alice");
    assertThat(c.anonymous()).isFalse();
    assertThat(c.attributes()).isEmpty(); // the targeting key is no attribute
    assertThat(mapping.toFlags(new MutableContext("bob").add("plan", "pro")).key())
        .isEqualTo("bob");
  }

  @Test
  void withoutATargetingKeyTheContextIsAnonymous() {
    for (dev.openfeature.sdk.EvaluationContext of :
        List.of(
            new ImmutableContext(),
            new ImmutableContext(""),
            new MutableContext().add("plan", "pro"))) {
      dev.flags.core.EvaluationContext c = mapping.toFlags(of);
      assertThat(c.key()).isEqualTo(FlagsProvider.ANONYMOUS_KEY);
      assertThat(c.anonymous()).isTrue();
    }
    assertThat(mapping.toFlags(null)).isSameAs(ContextMapping.NO_CONTEXT);
    assertThat(mapping.toFlags(new ImmutableContext())).isSameAs(ContextMapping.NO_CONTEXT);
  }

  @Test
  void typedAttributesKeepTheirTypes() {
    Instant when = Instant.parse("2026-05-01T10:15:30Z");
    MutableContext of =
        new MutableContext("alice")
            .add("country", "DE")
            .add("age", 29)
            .add("score", 0.75)
            .add("beta", true)
            .add("signedUpAt", when);
    of.add("nothing", (String) null);
    Map<String, JsonValue> a = mapping.toFlags(of).attributes();
    assertThat(a)
        .containsEntry("country", JsonValue.of("DE"))
        .containsEntry("age", JsonValue.of(29))
        .containsEntry("score", JsonValue.of(0.75))
        .containsEntry("beta", JsonValue.TRUE)
        .containsEntry("signedUpAt", JsonValue.of("2026-05-01T10:15:30Z"))
        .containsEntry("nothing", JsonValue.NULL);
    ImmutableContext longs =
        new ImmutableContext("alice", Map.of("visits", new Value(12_345_678_901L)));
    assertThat(mapping.toFlags(longs).attributes())
        .containsEntry("visits", JsonValue.of(12_345_678_901L));
  }

  @Test
  void nestedStructuresAndListsBecomeJsonObjectsAndArrays() {
    MutableStructure address = new MutableStructure().add("city", "Berlin").add("zip", 10115);
    MutableContext of =
        new MutableContext("alice")
            .add("address", address)
            .add("groups", List.of(new Value("admins"), new Value(3)));
    Map<String, JsonValue> a = mapping.toFlags(of).attributes();
    assertThat(a.get("address"))
        .isEqualTo(
            new JsonValue.Obj(Map.of("city", JsonValue.of("Berlin"), "zip", JsonValue.of(10115))));
    assertThat(a.get("groups")).isEqualTo(JsonValue.array(JsonValue.of("admins"), JsonValue.of(3)));
  }

  @Test
  void aContextSeenAgainIsConvertedOnceButAChangeIsSeen() {
    MutableContext of = new MutableContext("alice").add("plan", "pro");
    dev.flags.core.EvaluationContext first = mapping.toFlags(of);
    assertThat(mapping.toFlags(new MutableContext("alice").add("plan", "pro"))).isSameAs(first);
    of.add("plan", "free");
    assertThat(mapping.toFlags(of).attributes()).containsEntry("plan", JsonValue.of("free"));
    // a nested structure changed in place must be seen too: such contexts are never reused
    MutableStructure address = new MutableStructure().add("city", "Berlin");
    MutableContext nested = new MutableContext("bob").add("address", address);
    assertThat(mapping.toFlags(nested).attributes().get("address").toString()).contains("Berlin");
    address.add("city", "Paris");
    assertThat(mapping.toFlags(nested).attributes().get("address"))
        .isEqualTo(new JsonValue.Obj(Map.of("city", JsonValue.of("Paris"))));
  }

  @Test
  void kindAndAnonymousAreTheBuiltInOnes() {
    dev.flags.core.EvaluationContext c =
        mapping.toFlags(
            new MutableContext("acme").add("kind", "organization").add("anonymous", true));
    assertThat(c.kind()).isEqualTo("organization");
    assertThat(c.anonymous()).isTrue();
    assertThat(c.attributes()).isEmpty();
  }

  @Test
  void whatCannotMapIsLeftOut() {
    MutableContext of =
        new MutableContext("alice")
            .add("key", "mallory") // the key is the targeting key
            .add("kind", 3) // not a string
            .add("anonymous", "yes") // not a boolean
            .add("ratio", Double.NaN) // JSON has no NaN
            .add("plan", "pro");
    dev.flags.core.EvaluationContext c = mapping.toFlags(of);
    assertThat(c.key()).isEqualTo("alice");
    assertThat(c.kind()).isEqualTo(dev.flags.core.EvaluationContext.DEFAULT_KIND);
    assertThat(c.anonymous()).isFalse();
    assertThat(c.attributes()).containsOnlyKeys("plan");
  }

  @Test
  void insideStructuresAMemberThatCannotMapIsLeftOutAndAListElementBecomesNull() {
    MutableContext of =
        new MutableContext("alice")
            .add("s", new MutableStructure().add("bad", Double.POSITIVE_INFINITY).add("ok", 1))
            .add("l", List.of(new Value(Double.NaN), new Value("x")));
    Map<String, JsonValue> a = mapping.toFlags(of).attributes();
    assertThat(a.get("s")).isEqualTo(new JsonValue.Obj(Map.of("ok", JsonValue.of(1))));
    assertThat(a.get("l")).isEqualTo(JsonValue.array(JsonValue.NULL, JsonValue.of("x")));
  }

  @Test
  void contextsReachTheEvaluatorThroughOpenFeaturesLayers() {
    InMemoryFlagStore store =
        InMemoryFlagStore.of(
            Flag.builder("pro_de")
                .rule(
                    Rule.when(
                            Clause.in("country", "DE"),
                            Clause.in("plan", "pro"),
                            Clause.of("age", Operator.GTE, 18))
                        .serve(true))
                .fallthrough(false)
                .build(),
            Flag.builder("vip")
                .target(true, FlagsProvider.ANONYMOUS_KEY)
                .fallthrough(false)
                .build());
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    try (Flags flags = Flags.builder().store(store).build()) {
      api.setProviderAndWait(FlagsProvider.of(flags));
      api.setEvaluationContext(new MutableContext().add("country", "DE")); // the API layer
      Client client = api.getClient();
      client.setEvaluationContext(new MutableContext().add("plan", "pro")); // the client layer
      assertThat(
              client.getBooleanValue("pro_de", false, new MutableContext("alice").add("age", 30)))
          .isTrue();
      assertThat(client.getBooleanValue("pro_de", false, new MutableContext("kid").add("age", 9)))
          .isFalse();
      // a caller without a key never matches an individual target, even the placeholder's
      assertThat(client.getBooleanDetails("vip", true, new ImmutableContext()).getReason())
          .isEqualTo(Reason.DEFAULT.name());
    } finally {
      api.shutdown();
    }
  }
}
