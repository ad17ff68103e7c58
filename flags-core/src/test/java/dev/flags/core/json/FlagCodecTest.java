package dev.flags.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flags.core.BucketingAlgorithm;
import dev.flags.core.Clause;
import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.JsonValue;
import dev.flags.core.Operator;
import dev.flags.core.Rollout;
import dev.flags.core.Rule;
import dev.flags.core.Segment;
import dev.flags.core.Serve;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlagCodecTest {

  private final FlagCodec codec = FlagCodec.standard();

  static final String CHECKOUT = """
      {
        "key": "new_checkout_flow", "version": 3, "on": true,
        "variations": [false, true], "offVariation": 0,
        "fallthrough": { "rollout": { "weights": [ {"variation": 1, "weight": 10000}, {"variation": 0, "weight": 90000} ],
                                      "bucketBy": "tenantId", "algorithm": "murmur3-v1" } },
        "targets": [ { "variation": 1, "values": ["user-1", "user-2"] } ],
        "rules": [ { "id": "de-pro",
                     "clauses": [ { "attribute": "country", "op": "in", "values": ["DE", "FR"], "negate": false, "ignoreCase": false } ],
                     "variation": 1 } ],
        "prerequisites": [ { "key": "checkout_api_v2", "variation": 1 } ],
        "salt": "new_checkout_flow",
        "description": "...", "owner": "team-payments", "tags": ["checkout"],
        "createdAt": "2026-01-05T00:00:00Z", "killDate": "2026-06-30T00:00:00Z"
      }
      """;

  @Test
  void decodesTheArchitectureExample() {
    Flag flag = codec.decodeFlag("new_checkout_flow", CHECKOUT);

    assertThat(flag.version()).isEqualTo(3);
    assertThat(flag.on()).isTrue();
    assertThat(flag.variations()).containsExactly(JsonValue.FALSE, JsonValue.TRUE);
    Rollout rollout = (Rollout) flag.fallthrough();
    assertThat(rollout.weights()).containsExactly(
        new Rollout.WeightedVariation(1, 10_000), new Rollout.WeightedVariation(0, 90_000));
    assertThat(rollout.bucketBy()).contains("tenantId");
    assertThat(rollout.algorithm()).isEqualTo(BucketingAlgorithm.MURMUR3_V1);
    assertThat(flag.targets().get(0).keys()).containsExactlyInAnyOrder("user-1", "user-2");
    assertThat(flag.rules().get(0).id()).isEqualTo("de-pro");
    assertThat(flag.rules().get(0).clauses().get(0)).isEqualTo(Clause.in("country", "DE", "FR"));
    assertThat(flag.rules().get(0).serve()).isEqualTo(Serve.variation(1));
    assertThat(flag.prerequisites().get(0).flagKey()).isEqualTo("checkout_api_v2");
    assertThat(flag.salt()).contains("new_checkout_flow");
    assertThat(flag.metadata().owner()).isEqualTo("team-payments");
    assertThat(flag.metadata().tags()).containsExactly("checkout");
    assertThat(flag.metadata().createdAt()).contains(Instant.parse("2026-01-05T00:00:00Z"));
    assertThat(flag.metadata().killDate()).contains(Instant.parse("2026-06-30T00:00:00Z"));
  }

  @Test
  void encodeThenDecodeGivesAnEqualFlag() {
    Flag flag = codec.decodeFlag("new_checkout_flow", CHECKOUT);
    String json = codec.encode(flag);
    assertThat(codec.decodeFlag("new_checkout_flow", json)).isEqualTo(flag);
    assertThat(codec.encode(codec.decodeFlag("new_checkout_flow", json))).isEqualTo(json);
  }

  @Test
  void encodesASimpleSwitchCompactly() {
    assertThat(codec.encode(Flag.simple("a", true))).isEqualTo("{\"key\":\"a\",\"version\":0,\"on\":true}");
    assertThat(codec.decodeFlag("a", "{\"on\":false}")).isEqualTo(Flag.simple("a", false));
  }

  @Test
  void bareBooleansInAnyCaseAreOnOffSwitches() {
    assertThat(codec.decodeFlag("f", "false")).isEqualTo(Flag.simple("f", false));
    assertThat(codec.decodeFlag("f", " FALSE\n")).isEqualTo(Flag.simple("f", false));
    assertThat(codec.decodeFlag("f", "True")).isEqualTo(Flag.simple("f", true));
    assertThat(codec.decodeFlag("f", "true".getBytes(StandardCharsets.UTF_8))).isEqualTo(Flag.simple("f", true));
  }

  @Test
  void aKeyInTheDocumentMustMatch() {
    FlagFormatException e = assertThrows(
        FlagFormatException.class, () -> codec.decodeFlag("b", "{\n  \"key\": \"a\"}"));
    assertThat(e.path()).isEqualTo("key");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(10);
  }

  @Test
  void wrongTypesSayWhereAndWhat() {
    String json = """
        {
          "rules": [ { "clauses": [
            { "attribute": "a", "op": "in", "values": ["x"] },
            { "attribute": "b", "op": "in", "values": "x" } ], "variation": 1 } ]
        }
        """;
    assertThatThrownBy(() -> codec.decodeFlag("f", json))
        .isInstanceOf(FlagFormatException.class)
        .hasMessage("rules[0].clauses[1].values: expected an array, got a string (line 4, column 47)");
  }

  @Test
  void unknownOperatorsAreKeptOrRejectedAsConfigured() {
    String json = "{\"rules\":[{\"clauses\":[{\"attribute\":\"a\",\"op\":\"equal\",\"values\":[1]}],\"variation\":1}]}";
    Flag kept = codec.decodeFlag("f", json);
    assertThat(kept.rules().get(0).clauses().get(0).operatorName()).isEqualTo("equal");
    assertThat(kept.rules().get(0).clauses().get(0).operator()).isEmpty();

    FlagCodec strict = FlagCodec.builder().rejectUnknownOperators(true).build();
    assertThatThrownBy(() -> strict.decodeFlag("f", json))
        .isInstanceOf(FlagFormatException.class)
        .hasMessage("rules[0].clauses[0].op: unknown operator \"equal\" (line 1, column 45)");
  }

  @Test
  void modelRulesBecomeFormatErrorsAtTheValue() {
    String json = "{\"fallthrough\":{\"rollout\":{\"weights\":[{\"variation\":1,\"weight\":10}]}}}";
    FlagFormatException e = assertThrows(FlagFormatException.class, () -> codec.decodeFlag("f", json));
    assertThat(e.path()).isEqualTo("fallthrough.rollout.weights");
    assertThat(e.problem()).contains("sum to 100000");
    assertThat(e.column()).isEqualTo(38);
  }

  @Test
  void setsRoundTripAndValidateReferences() {
    Segment beta = Segment.builder("beta").version(2).include("u1").rule(Clause.in("plan", "pro")).build();
    Flag a = Flag.builder("a").rule(Rule.when(Clause.inSegment("beta")).serve(true)).fallthrough(false).build();
    Flag b = Flag.builder("b").prerequisite("a", 1).build();
    FlagSet set = FlagSet.of(List.of(a, b, Flag.simple("c", false)), List.of(beta));
    String json = codec.encode(set);
    assertThat(json).contains("\"c\":false");
    assertThat(codec.decodeFlagSet(json)).isEqualTo(set);

    assertThatThrownBy(() -> codec.decodeFlagSet("{\"flags\":{\"b\":{\"prerequisites\":[{\"key\":\"zz\",\"variation\":1}]}}}"))
        .isInstanceOf(FlagFormatException.class)
        .hasMessageStartingWith("flags.b.prerequisites[0].key: unknown prerequisite flag \"zz\"");
  }

  @Test
  void rawValuesRoundTrip() {
    JsonValue v = codec.parse("{\"a\":[1,2.50,-3e2,\"x\\u00e9\\ud83d\\ude00\",null,true,{}]}");
    assertThat(codec.parse(codec.write(v))).isEqualTo(v);
    assertThat(codec.write(JsonValue.of("a\"b\\c\n\u0001"))).isEqualTo("\"a\\\"b\\\\c\\n\\u0001\"");
  }

  @Test
  void variationsOfAnyTypeRoundTrip() {
    Flag flag = Flag.builder("f").variations("red", 2, List.of(1, "x"), java.util.Map.of("k", true))
        .offVariation(1).fallthroughRollout(Rollout.builder().weight(0, 50_000).weight(3, 50_000)
            .algorithm(BucketingAlgorithm.MD5_PERCENT_COMPAT).build())
        .rule(Rule.when(Clause.of("v", Operator.SEMVER_GT, "1.2.3").negated()).serve(2).withId("r"))
        .build();
    assertThat(codec.decodeFlag("f", codec.encode(flag))).isEqualTo(flag);
    assertThat(flag.salt()).isEqualTo(Optional.empty());
  }
}
