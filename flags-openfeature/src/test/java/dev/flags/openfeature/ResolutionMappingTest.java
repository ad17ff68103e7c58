package dev.flags.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Clause;
import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.Flags;
import dev.flags.core.InMemoryFlagStore;
import dev.flags.core.Rollout;
import dev.flags.core.Rule;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Structure;
import dev.openfeature.sdk.Value;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One test per row of the reason, error-code, value and metadata tables of docs/openfeature.md,
 * through the OpenFeature API where it lets the row show, else through the provider itself.
 */
class ResolutionMappingTest {

  private static final MutableContext ALICE = new MutableContext("alice").add("country", "DE");
  private static final MutableContext BOB = new MutableContext("bob").add("country", "US");

  private final InMemoryFlagStore store =
      InMemoryFlagStore.of(
          Flag.builder("static_on").build(),
          Flag.simple("killed", false),
          Flag.builder("by_country")
              .rule(Rule.when(Clause.in("country", "DE")).serve(true).withId("de"))
              .fallthrough(false)
              .build(),
          Flag.builder("targeted").target(true, "alice").fallthrough(false).build(),
          Flag.builder("canary").percentageRollout(50).build(),
          Flag.builder("rule_canary")
              .rule(Rule.when(Clause.in("country", "DE")).rollout(Rollout.percentage(50)))
              .fallthrough(false)
              .build(),
          Flag.builder("needs_killed").prerequisite("killed", 1).build(),
          Flag.builder("color").variations("green", "blue").fallthroughVariation(1).build(),
          Flag.builder("limit").variations(10, 1_000).fallthroughVariation(1).build(),
          Flag.builder("big").variations(1L << 40).fallthroughVariation(0).build(),
          Flag.builder("ratio").variations(0.5, 1.5).fallthroughVariation(1).build(),
          Flag.builder("layout")
              .variations(Map.of("columns", 3), Map.of("title", "Pics", "tags", List.of("a", "b")))
              .fallthroughVariation(1)
              .build(),
          Flag.builder("documented")
              .version(7)
              .owner("team-payments")
              .description("The new checkout")
              .tags("checkout", "payments")
              .createdAt(Instant.parse("2026-01-05T00:00:00Z"))
              .killDate(Instant.parse("2026-06-30T00:00:00Z"))
              .build());
  private final Flags flags = Flags.builder().store(store).build();
  private final FlagsProvider provider = FlagsProvider.of(flags);
  private final OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
  private final Client client;

  ResolutionMappingTest() {
    api.setProviderAndWait(provider);
    client = api.getClient();
  }

  @AfterEach
  void close() {
    api.shutdown();
    flags.close();
  }

  // ---- reasons ------------------------------------------------------------------------------

  @Test
  void fallthroughOfAFlagWithoutTargetingIsStatic() {
    FlagEvaluationDetails<Boolean> d = client.getBooleanDetails("static_on", false, ALICE);
    assertThat(d.getValue()).isTrue();
    assertThat(d.getReason()).isEqualTo(Reason.STATIC.name());
    assertThat(d.getVariant()).isEqualTo("1");
    assertThat(d.getErrorCode()).isNull();
  }

  @Test
  void fallthroughOfAFlagWithTargetingIsDefault() {
    FlagEvaluationDetails<Boolean> d = client.getBooleanDetails("by_country", true, BOB);
    assertThat(d.getValue()).isFalse();
    assertThat(d.getReason()).isEqualTo(Reason.DEFAULT.name());
    assertThat(d.getVariant()).isEqualTo("0");
  }

  @Test
  void aRuleMatchIsTargetingMatchWithTheRuleInTheMetadata() {
    FlagEvaluationDetails<Boolean> d = client.getBooleanDetails("by_country", false, ALICE);
    assertThat(d.getValue()).isTrue();
    assertThat(d.getReason()).isEqualTo(Reason.TARGETING_MATCH.name());
    assertThat(d.getFlagMetadata().getInteger(Resolutions.RULE_INDEX)).isZero();
    assertThat(d.getFlagMetadata().getString(Resolutions.RULE_ID)).isEqualTo("de");
  }

  @Test
  void anIndividualTargetIsTargetingMatch() {
    FlagEvaluationDetails<Boolean> d = client.getBooleanDetails("targeted", false, ALICE);
    assertThat(d.getValue()).isTrue();
    assertThat(d.getReason()).isEqualTo(Reason.TARGETING_MATCH.name());
    assertThat(d.getFlagMetadata().getInteger(Resolutions.RULE_INDEX)).isNull();
  }

  @Test
  void aFallthroughRolloutIsSplitWithTheBucket() {
    FlagEvaluationDetails<Boolean> d = client.getBooleanDetails("canary", false, ALICE);
    assertThat(d.getReason()).isEqualTo(Reason.SPLIT.name());
    Integer bucket = d.getFlagMetadata().getInteger(Resolutions.BUCKET);
    assertThat(bucket).isBetween(0, 99_999);
    assertThat(d.getValue()).isEqualTo(bucket < 50_000); // the first half of the buckets is in
    assertThat(d.getVariant()).isEqualTo(d.getValue() ? "1" : "0");
  }

  @Test
  void aRuleWithARolloutIsSplitWithTheRuleAndTheBucket() {
    FlagEvaluationDetails<Boolean> d = client.getBooleanDetails("rule_canary", false, ALICE);
    assertThat(d.getReason()).isEqualTo(Reason.SPLIT.name());
    assertThat(d.getFlagMetadata().getInteger(Resolutions.RULE_INDEX)).isZero();
    assertThat(d.getFlagMetadata().getInteger(Resolutions.BUCKET)).isBetween(0, 99_999);
  }

  @Test
  void anOffFlagIsDisabledAndServesItsOffVariation() {
    FlagEvaluationDetails<Boolean> d = client.getBooleanDetails("killed", true, ALICE);
    assertThat(d.getValue()).isFalse();
    assertThat(d.getReason()).isEqualTo(Reason.DISABLED.name());
    assertThat(d.getVariant()).isEqualTo("0");
  }

  @Test
  void aFailedPrerequisiteIsDisabledWithThePrerequisiteInTheMetadata() {
    FlagEvaluationDetails<Boolean> d = client.getBooleanDetails("needs_killed", true, ALICE);
    assertThat(d.getValue()).isFalse();
    assertThat(d.getReason()).isEqualTo(Reason.DISABLED.name());
    assertThat(d.getFlagMetadata().getString(Resolutions.PREREQUISITE_KEY)).isEqualTo("killed");
  }

  @Test
  void aStaticFlagThatGetsARuleIsEvaluatedWithTheContextAgain() {
    // A static flag is evaluated without converting the caller's context; once it has a rule,
    // the context must reach the evaluator again.
    assertThat(client.getBooleanDetails("static_on", false, BOB).getReason())
        .isEqualTo(Reason.STATIC.name());
    store.upsert(
        Flag.builder("static_on")
            .rule(Rule.when(Clause.in("country", "US")).serve(false))
            .fallthrough(true)
            .build());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !client.getBooleanValue("static_on", true, BOB));
    assertThat(client.getBooleanDetails("static_on", true, BOB).getReason())
        .isEqualTo(Reason.TARGETING_MATCH.name());
    assertThat(client.getBooleanValue("static_on", false, ALICE)).isTrue();
  }

  // ---- error codes --------------------------------------------------------------------------

  @Test
  void aMissingFlagIsFlagNotFound() {
    FlagEvaluationDetails<String> d = client.getStringDetails("nope", "fallback", ALICE);
    assertThat(d.getValue()).isEqualTo("fallback");
    assertThat(d.getReason()).isEqualTo(Reason.ERROR.name());
    assertThat(d.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    assertThat(d.getErrorMessage()).contains("nope");
    assertThat(d.getVariant()).isNull();
  }

  @Test
  void anotherTypeIsTypeMismatch() {
    FlagEvaluationDetails<Boolean> d = client.getBooleanDetails("color", true, ALICE);
    assertThat(d.getValue()).isTrue();
    assertThat(d.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(client.getIntegerDetails("ratio", 3, ALICE).getErrorCode())
        .isEqualTo(ErrorCode.TYPE_MISMATCH); // 1.5 is no integer
    assertThat(client.getIntegerDetails("big", 3, ALICE).getErrorCode())
        .isEqualTo(ErrorCode.TYPE_MISMATCH); // 2^40 does not fit
    assertThat(client.getStringDetails("static_on", "x", ALICE).getErrorCode())
        .isEqualTo(ErrorCode.TYPE_MISMATCH);
  }

  @Test
  void aMalformedFlagIsParseError() {
    ControlledStore controlled = new ControlledStore();
    try (Flags other = Flags.builder().store(controlled).build()) {
      controlled.malformed(FlagSet.EMPTY, "broken", "variations: expected an array");
      ProviderEvaluation<Boolean> e =
          FlagsProvider.of(other).getBooleanEvaluation("broken", true, new ImmutableContext("a"));
      assertThat(e.getValue()).isTrue();
      assertThat(e.getErrorCode()).isEqualTo(ErrorCode.PARSE_ERROR);
      assertThat(e.getReason()).isEqualTo(Reason.ERROR.name());
    }
  }

  @Test
  void aStoreThatHasNotLoadedIsProviderNotReady() {
    try (Flags other = Flags.builder().store(new ControlledStore()).build()) {
      ProviderEvaluation<Boolean> e =
          FlagsProvider.of(other).getBooleanEvaluation("static_on", true, null);
      assertThat(e.getValue()).isTrue();
      assertThat(e.getErrorCode()).isEqualTo(ErrorCode.PROVIDER_NOT_READY);
    }
  }

  @Test
  void aClosedClientIsProviderNotReady() {
    Flags other = Flags.builder().store(InMemoryFlagStore.of(Flag.simple("x", true))).build();
    other.close();
    ProviderEvaluation<Boolean> e = FlagsProvider.of(other).getBooleanEvaluation("x", false, null);
    assertThat(e.getErrorCode()).isEqualTo(ErrorCode.PROVIDER_NOT_READY);
  }

  @Test
  void aMissingFlagKeyIsGeneral() {
    ProviderEvaluation<Boolean> e = provider.getBooleanEvaluation(null, true, null);
    assertThat(e.getValue()).isTrue();
    assertThat(e.getErrorCode()).isEqualTo(ErrorCode.GENERAL);
  }

  @Test
  void everyErrorKindHasAnErrorCode() {
    for (dev.flags.core.EvaluationReason.ErrorKind kind :
        dev.flags.core.EvaluationReason.ErrorKind.values()) {
      assertThat(Resolutions.errorCode(kind)).as(kind.name()).isNotNull();
    }
    assertThat(Resolutions.errorCode(dev.flags.core.EvaluationReason.ErrorKind.EXCEPTION))
        .isEqualTo(ErrorCode.GENERAL);
    assertThat(Resolutions.errorCode(dev.flags.core.EvaluationReason.ErrorKind.STORE_UNAVAILABLE))
        .isEqualTo(ErrorCode.PROVIDER_NOT_READY);
  }

  // ---- types --------------------------------------------------------------------------------

  @Test
  void stringIntegerLongAndDoubleFlagsResolve() {
    assertThat(client.getStringValue("color", "red", ALICE)).isEqualTo("blue");
    assertThat(client.getIntegerValue("limit", 0, ALICE)).isEqualTo(1_000);
    assertThat(client.getDoubleValue("limit", 0.0, ALICE)).isEqualTo(1_000.0);
    assertThat(client.getDoubleValue("ratio", 0.0, ALICE)).isEqualTo(1.5);
    assertThat(provider.getLongEvaluation("big", 0L, ALICE).getValue()).isEqualTo(1L << 40);
    assertThat(provider.getLongEvaluation("ratio", 2L, ALICE).getErrorCode())
        .isEqualTo(ErrorCode.TYPE_MISMATCH);
  }

  @Test
  void objectFlagsResolveToStructures() {
    FlagEvaluationDetails<Value> d = client.getObjectDetails("layout", new Value(), ALICE);
    Structure s = d.getValue().asStructure();
    assertThat(s.getValue("title").asString()).isEqualTo("Pics");
    assertThat(s.getValue("tags").asList()).extracting(Value::asString).containsExactly("a", "b");
    assertThat(d.getVariant()).isEqualTo("1");
    assertThat(client.getObjectValue("color", new Value(), ALICE).asString()).isEqualTo("blue");
    assertThat(client.getObjectValue("limit", new Value(), ALICE).asObject()).isEqualTo(1_000);
    assertThat(client.getObjectValue("big", new Value(), ALICE).asObject()).isEqualTo(1L << 40);
    assertThat(client.getObjectValue("ratio", new Value(), ALICE).asObject()).isEqualTo(1.5);
    Value fallback = new Value("fallback");
    assertThat(client.getObjectValue("nope", fallback, ALICE)).isEqualTo(fallback);
  }

  @Test
  void anObjectValueIsConvertedOncePerDefinition() {
    Value first = provider.getObjectEvaluation("layout", new Value(), ALICE).getValue();
    Value second = provider.getObjectEvaluation("layout", new Value(), ALICE).getValue();
    assertThat(second).isSameAs(first);
    store.upsert(
        Flag.builder("layout").variations(Map.of("columns", 4)).fallthroughVariation(0).build());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                provider
                        .getObjectEvaluation("layout", new Value(), ALICE)
                        .getValue()
                        .asStructure()
                        .getValue("columns")
                        .asInteger()
                    == 4);
  }

  // ---- metadata -----------------------------------------------------------------------------

  @Test
  void theFlagsMetadataIsOpenFeatureFlagMetadata() {
    FlagEvaluationDetails<Boolean> d = client.getBooleanDetails("documented", false, ALICE);
    assertThat(d.getFlagMetadata().getString(Resolutions.OWNER)).isEqualTo("team-payments");
    assertThat(d.getFlagMetadata().getString(Resolutions.DESCRIPTION))
        .isEqualTo("The new checkout");
    assertThat(d.getFlagMetadata().getString(Resolutions.TAGS)).isEqualTo("checkout,payments");
    assertThat(d.getFlagMetadata().getString(Resolutions.CREATED_AT))
        .isEqualTo("2026-01-05T00:00:00Z");
    assertThat(d.getFlagMetadata().getString(Resolutions.KILL_DATE))
        .isEqualTo("2026-06-30T00:00:00Z");
    assertThat(d.getFlagMetadata().getLong(Resolutions.VERSION)).isEqualTo(7L);
    // empty parts are left out
    FlagEvaluationDetails<Boolean> plain = client.getBooleanDetails("static_on", false, ALICE);
    assertThat(plain.getFlagMetadata().getString(Resolutions.OWNER)).isNull();
    assertThat(plain.getFlagMetadata().getString(Resolutions.KILL_DATE)).isNull();
  }

  @Test
  void theMetadataFollowsANewDefinition() {
    assertThat(
            client
                .getBooleanDetails("documented", false, ALICE)
                .getFlagMetadata()
                .getString(Resolutions.OWNER))
        .isEqualTo("team-payments");
    store.upsert(flags.flag("documented").orElseThrow().toBuilder().owner("team-growth").build());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                "team-growth"
                    .equals(
                        client
                            .getBooleanDetails("documented", false, ALICE)
                            .getFlagMetadata()
                            .getString(Resolutions.OWNER)));
  }

  @Test
  void aTypeMismatchStillCarriesTheFlagsMetadata() {
    FlagEvaluationDetails<String> d = client.getStringDetails("documented", "x", ALICE);
    assertThat(d.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(d.getFlagMetadata().getString(Resolutions.OWNER)).isEqualTo("team-payments");
  }
}
