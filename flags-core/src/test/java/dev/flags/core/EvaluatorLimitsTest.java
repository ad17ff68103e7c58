package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flags.core.FlagClientTest.ManualStore;
import dev.flags.core.json.FlagCodec;
import dev.flags.core.json.FlagFormatException;
import dev.flags.core.spi.StoreSnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The evaluator's own limits (the bits of its packed result, the depth of prerequisite chains) are
 * validated where definitions are made, each at the limit and one past it.
 */
class EvaluatorLimitsTest {
  private static final EvaluationContext USER = EvaluationContext.of("user-1");

  private static Flag withVariations(int n, int fallthrough) {
    Object[] values = new Object[n];
    for (int i = 0; i < n; i++) {
      values[i] = i;
    }
    return Flag.builder("many").variations(values).fallthroughVariation(fallthrough).build();
  }

  private static String variationsJson(int n, int fallthrough) {
    StringBuilder sb = new StringBuilder("{\"variations\":[");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",").append(i);
    }
    return sb.append("],\"fallthrough\":{\"variation\":")
        .append(fallthrough)
        .append("}}")
        .toString();
  }

  @Test
  void theLastOf65535VariationsIsServed() {
    Flag flag = withVariations(Flag.MAX_VARIATIONS, 65_534);
    assertThat(FlagCodec.standard().decodeFlag("many", variationsJson(65_535, 65_534)))
        .isEqualTo(flag);
    try (Flags flags = Flags.builder().store(InMemoryFlagStore.of(flag)).build()) {
      assertThat(flags.getInt("many", USER, -1)).isEqualTo(65_534);
      assertThat(flags.getIntDetail("many", USER, -1).variationIndex()).hasValue(65_534);
    }
  }

  @Test
  void variationIndex65535AndAboveNoLongerServesTheWrongVariation() {
    // 70,000 variations, fallthrough 65,537: getInt used to return 1 (the index kept 16 bits).
    assertThatThrownBy(() -> withVariations(70_000, 65_537))
        .isInstanceOf(FlagValidationException.class)
        .hasMessage("variations: a flag has at most 65535 variations, got 70000");
    assertThatThrownBy(() -> withVariations(65_536, 0))
        .hasMessage("variations: a flag has at most 65535 variations, got 65536");
    assertThatThrownBy(
            () -> FlagCodec.standard().decodeFlag("many", variationsJson(70_000, 65_537)))
        .isInstanceOf(FlagFormatException.class)
        .hasMessage(
            "variations: a flag has at most 65535 variations, got 70000 (line 1, column 15)");
  }

  @Test
  void theLastOfAMillionRulesIsReportedByItsIndex() {
    Rule never = Rule.when(Clause.in("plan", "never")).serve(false);
    List<Rule> rules = new ArrayList<>(Collections.nCopies(Flag.MAX_RULES - 1, never));
    rules.add(Rule.when().serve(true).withId("last"));
    Flag flag = rulesFlag(rules);
    try (Flags flags = Flags.builder().store(InMemoryFlagStore.of(flag)).build()) {
      EvaluationReason reason = flags.getBooleanDetail("rules", USER, false).reason();
      assertThat(reason.kind()).isEqualTo(EvaluationReason.Kind.RULE_MATCH);
      assertThat(reason.ruleIndex()).hasValue(Flag.MAX_RULES - 1);
      assertThat(reason.ruleId()).hasValue("last");
    }
    rules.add(never);
    assertThatThrownBy(() -> rulesFlag(rules))
        .hasMessage("rules: a flag has at most 1000000 rules, got 1000001");
  }

  private static Flag rulesFlag(List<Rule> rules) {
    return new Flag(
        "rules",
        0,
        true,
        Flag.BOOLEAN_VARIATIONS,
        0,
        Serve.variation(0),
        List.of(),
        rules,
        List.of(),
        Optional.empty(),
        FlagMetadata.EMPTY);
  }

  @Test
  void theLastOfAMillionPrerequisitesIsReportedWhenItFails() {
    List<Prerequisite> prerequisites =
        new ArrayList<>(Collections.nCopies(Flag.MAX_PREREQUISITES - 1, new Prerequisite("p", 1)));
    prerequisites.add(new Prerequisite("q", 1));
    Flag flag = prerequisitesFlag(prerequisites);
    try (Flags flags =
        Flags.builder()
            .store(InMemoryFlagStore.of(flag, Flag.simple("p", true), Flag.simple("q", false)))
            .build()) {
      EvaluationReason reason = flags.getBooleanDetail("dependent", USER, true).reason();
      assertThat(reason.kind()).isEqualTo(EvaluationReason.Kind.PREREQUISITE_FAILED);
      assertThat(reason.prerequisiteKey()).hasValue("q");
    }
    prerequisites.add(new Prerequisite("p", 1));
    assertThatThrownBy(() -> prerequisitesFlag(prerequisites))
        .hasMessage("prerequisites: a flag has at most 1000000 prerequisites, got 1000001");
  }

  private static Flag prerequisitesFlag(List<Prerequisite> prerequisites) {
    return new Flag(
        "dependent",
        0,
        true,
        Flag.BOOLEAN_VARIATIONS,
        0,
        Serve.variation(1),
        List.of(),
        List.of(),
        prerequisites,
        Optional.empty(),
        FlagMetadata.EMPTY);
  }

  /** f0 requires f1, which requires f2, … : {@code links} links, f{links} at the bottom. */
  private static List<Flag> chain(int links) {
    List<Flag> flags = new ArrayList<>();
    for (int i = 0; i <= links; i++) {
      Flag.Builder b = Flag.builder("f" + i);
      if (i < links) {
        b.prerequisite("f" + (i + 1), 1);
      }
      flags.add(b.build());
    }
    return flags;
  }

  @Test
  void aChainOf64PrerequisiteLinksEvaluates() {
    FlagSet set = FlagSet.of(chain(Flag.MAX_PREREQUISITE_DEPTH).toArray(new Flag[0]));
    assertThat(FlagCodec.standard().decodeFlagSet(FlagCodec.standard().encode(set))).isEqualTo(set);
    try (Flags flags = Flags.builder().store(InMemoryFlagStore.of(set)).build()) {
      EvaluationDetail<Boolean> top = flags.getBooleanDetail("f0", USER, false);
      assertThat(top.value()).isTrue();
      assertThat(top.reason().kind()).isEqualTo(EvaluationReason.Kind.FALLTHROUGH);
    }
  }

  @Test
  void aChainOf65PrerequisiteLinksIsRefusedInsteadOfEvaluatingToMalformed() {
    List<Flag> chain = chain(65);
    String problem =
        "prerequisite chain of 65 links, over the limit of 64: f0 -> f1 -> f2 -> … -> f63 -> f64"
            + " -> f65";
    assertThatThrownBy(() -> FlagSet.of(chain.toArray(new Flag[0])))
        .isInstanceOf(FlagValidationException.class)
        .hasMessage("flags.f0.prerequisites: " + problem);
    StringBuilder json = new StringBuilder("{\"flags\": {");
    for (Flag f : chain) {
      json.append(f.key().equals("f0") ? "" : ",\n")
          .append('"')
          .append(f.key())
          .append("\": ")
          .append(FlagCodec.standard().encode(f));
    }
    json.append("}}");
    assertThatThrownBy(() -> FlagCodec.standard().decodeFlagSet(json.toString()))
        .isInstanceOf(FlagFormatException.class)
        .hasMessageStartingWith("flags.f0.prerequisites: " + problem + " (line 1, column ");

    // A store's flags are not a validated set: the client marks the top of the chain malformed.
    ManualStore store = new ManualStore();
    List<String> malformed = new CopyOnWriteArrayList<>();
    try (Flags flags = Flags.builder().store(store).build()) {
      flags.addListener(
          new FlagListener() {
            @Override
            public void onMalformedFlag(String flagKey, String why) {
              malformed.add(flagKey + ": " + why);
            }
          });
      Map<String, Flag> byKey = new java.util.LinkedHashMap<>();
      chain.forEach(f -> byKey.put(f.key(), f));
      store.sink.get().replaceAll(new StoreSnapshot(byKey, Map.of(), Map.of()));
      assertThat(flags.getBooleanDetail("f0", USER, false).reason().errorKind())
          .hasValue(EvaluationReason.ErrorKind.MALFORMED_FLAG);
      assertThat(flags.isEnabled("f1", USER)).as("64 links below f0").isTrue();
      org.awaitility.Awaitility.await().until(() -> malformed.equals(List.of("f0: " + problem)));

      // A change at the bottom of the chain judges the flags above it again, both ways.
      store.sink.get().upsertFlag(Flag.builder("f65").prerequisite("f66", 1).build());
      assertThat(flags.getBooleanDetail("f1", USER, false).reason().errorKind())
          .hasValue(EvaluationReason.ErrorKind.MALFORMED_FLAG);
      org.awaitility.Awaitility.await()
          .until(() -> malformed.stream().anyMatch(m -> m.startsWith("f1: prerequisite chain")));
      store.sink.get().upsertFlag(Flag.simple("f65", true));
      assertThat(flags.isEnabled("f1", USER)).isTrue();
      assertThat(flags.getBooleanDetail("f0", USER, false).reason().errorKind())
          .hasValue(EvaluationReason.ErrorKind.MALFORMED_FLAG);
      store.sink.get().removeFlag("f65");
      assertThat(flags.getBooleanDetail("f0", USER, false).reason().kind())
          .as("f64's prerequisite is missing now: the chain is 65 links to a missing flag")
          .isEqualTo(EvaluationReason.Kind.ERROR);
      store.sink.get().upsertFlag(Flag.builder("f64").build());
      assertThat(flags.isEnabled("f0", USER)).as("64 links now").isTrue();
    }
  }
}
