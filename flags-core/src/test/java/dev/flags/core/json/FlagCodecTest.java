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

  static final String CHECKOUT =
      """
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
    assertThat(rollout.weights())
        .containsExactly(
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
    assertThat(codec.encode(Flag.simple("a", true)))
        .isEqualTo("{\"key\":\"a\",\"version\":0,\"on\":true}");
    assertThat(codec.decodeFlag("a", "{\"on\":false}")).isEqualTo(Flag.simple("a", false));
  }

  @Test
  void bareBooleansInAnyCaseAreOnOffSwitches() {
    assertThat(codec.decodeFlag("f", "false")).isEqualTo(Flag.simple("f", false));
    assertThat(codec.decodeFlag("f", " FALSE\n")).isEqualTo(Flag.simple("f", false));
    assertThat(codec.decodeFlag("f", "True")).isEqualTo(Flag.simple("f", true));
    assertThat(codec.decodeFlag("f", "true".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(Flag.simple("f", true));
  }

  @Test
  void aKeyInTheDocumentMustMatch() {
    FlagFormatException e =
        assertThrows(
            FlagFormatException.class, () -> codec.decodeFlag("b", "{\n  \"key\": \"a\"}"));
    assertThat(e.path()).isEqualTo("key");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(10);
  }

  @Test
  void wrongTypesSayWhereAndWhat() {
    String json =
        """
        {
          "rules": [ { "clauses": [
            { "attribute": "a", "op": "in", "values": ["x"] },
            { "attribute": "b", "op": "in", "values": "x" } ], "variation": 1 } ]
        }
        """;
    assertThatThrownBy(() -> codec.decodeFlag("f", json))
        .isInstanceOf(FlagFormatException.class)
        .hasMessage(
            "rules[0].clauses[1].values: expected an array, got a string (line 4, column 47)");
  }

  @Test
  void unknownOperatorsAreKeptOrRejectedAsConfigured() {
    String json =
        "{\"rules\":[{\"clauses\":[{\"attribute\":\"a\",\"op\":\"equal\",\"values\":[1]}],\"variation\":1}]}";
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
    FlagFormatException e =
        assertThrows(FlagFormatException.class, () -> codec.decodeFlag("f", json));
    assertThat(e.path()).isEqualTo("fallthrough.rollout.weights");
    assertThat(e.problem()).contains("sum to 100000");
    assertThat(e.column()).isEqualTo(38);
  }

  @Test
  void setsRoundTripAndValidateReferences() {
    Segment beta =
        Segment.builder("beta").version(2).include("u1").rule(Clause.in("plan", "pro")).build();
    Flag a =
        Flag.builder("a")
            .rule(Rule.when(Clause.inSegment("beta")).serve(true))
            .fallthrough(false)
            .build();
    Flag b = Flag.builder("b").prerequisite("a", 1).build();
    FlagSet set = FlagSet.of(List.of(a, b, Flag.simple("c", false)), List.of(beta));
    String json = codec.encode(set);
    assertThat(json).contains("\"c\":false");
    assertThat(codec.decodeFlagSet(json)).isEqualTo(set);

    assertThatThrownBy(
            () ->
                codec.decodeFlagSet(
                    "{\"flags\":{\"b\":{\"prerequisites\":[{\"key\":\"zz\",\"variation\":1}]}}}"))
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
    Flag flag =
        Flag.builder("f")
            .variations("red", 2, List.of(1, "x"), java.util.Map.of("k", true))
            .offVariation(1)
            .fallthroughRollout(
                Rollout.builder()
                    .weight(0, 50_000)
                    .weight(3, 50_000)
                    .algorithm(BucketingAlgorithm.MD5_PERCENT_COMPAT)
                    .build())
            .rule(
                Rule.when(Clause.of("v", Operator.SEMVER_GT, "1.2.3").negated())
                    .serve(2)
                    .withId("r"))
            .build();
    assertThat(codec.decodeFlag("f", codec.encode(flag))).isEqualTo(flag);
    assertThat(flag.salt()).isEqualTo(Optional.empty());
  }

  @Test
  void limitsAreConfigurableAndReported() {
    FlagCodec small =
        FlagCodec.builder().maxDocumentBytes(30).maxStringLength(5).maxDepth(3).build();
    assertThatThrownBy(() -> small.decodeFlag("f", "{\"description\": \"far too long a text\"}"))
        .hasMessage("the document has 38 characters, over the limit of 30");
    assertThatThrownBy(() -> small.decodeFlag("f", "{\"owner\": \"abcdef\"}"))
        .hasMessage("owner: string longer than 5 characters (line 1, column 11)");
    assertThatThrownBy(() -> small.parse("[[[[1]]]]"))
        .hasMessage("[0][0][0]: nesting deeper than 3 levels (line 1, column 4)");
    assertThatThrownBy(() -> small.decodeFlag("f", "{\"owner\": \"a\\u0041bcdef\"}"))
        .isInstanceOf(FlagFormatException.class)
        .hasMessageContaining("string longer than 5 characters");
    assertThat(small.parse("[[1]]")).isEqualTo(JsonValue.array(JsonValue.array(JsonValue.of(1))));
  }

  @Test
  void aNumberTheCodecWouldWriteBeyondItsOwnLimitsIsRefusedWithItsPath() {
    // Regression: 11e1000 was accepted, encoded as 1.1E+1001, then refused when read back.
    assertThatThrownBy(() -> codec.decodeFlag("f", "{\"variations\":[11e1000,0]}"))
        .isInstanceOf(FlagFormatException.class)
        .hasMessage(
            "variations[0]: number out of range: 11e1000 would be written 1.1E+1001, which is over"
                + " the limits the codec reads (an exponent of at most 1000, 1000 characters)"
                + " (line 1, column 16)");
    assertThatThrownBy(() -> codec.parse("[1, 0.5e-1000]"))
        .hasMessageStartingWith("[1]: number out of range: 0.5e-1000 would be written 5E-1001");
    Flag edge =
        codec.decodeFlag(
            "f", "{\"variations\":[1e1000,99e-1000],\"fallthrough\":{\"variation\":0}}");
    assertThat(codec.decodeFlag("f", codec.encode(edge))).isEqualTo(edge);
  }

  @Test
  void aDefinitionOverItsLimitIsMalformedWithAClearMessage() {
    FlagCodec small = FlagCodec.builder().maxDefinitionBytes(40).build();
    String big = "{\"description\": \"a description of forty-odd characters\"}";
    assertThatThrownBy(() -> small.decodeFlag("f", big))
        .hasMessage(
            "the flag definition has 56 characters, over the limit of 40"
                + " (FlagCodec.Builder.maxDefinitionBytes)");
    assertThatThrownBy(() -> small.decodeSegment("s", big.getBytes(StandardCharsets.UTF_8)))
        .hasMessage(
            "the segment definition has 56 bytes, over the limit of 40"
                + " (FlagCodec.Builder.maxDefinitionBytes)");
    assertThatThrownBy(
            () ->
                small.decodeFlagSet(
                    "{\"flags\": {\"ok\": true}, \"segments\": {\"s\": " + big + "}}"))
        .hasMessage(
            "segments.s: the segment definition has 56 characters, over the limit of 40"
                + " (FlagCodec.Builder.maxDefinitionBytes) (line 1, column 43)");
    assertThat(small.decodeFlag("f", "{\"description\": \"short\"}").metadata().description())
        .isEqualTo("short");
    assertThat(FlagCodec.standard().maxDefinitionBytes())
        .isEqualTo(FlagCodec.DEFAULT_MAX_DEFINITION_BYTES)
        .isEqualTo(4 * 1024 * 1024);
    assertThatThrownBy(() -> FlagCodec.builder().maxDefinitionBytes(0))
        .hasMessage("maxDefinitionBytes must be >= 1, got 0");
  }

  @Test
  void builderRejectsBadLimitsNamingTheOption() {
    assertThatThrownBy(() -> FlagCodec.builder().maxDepth(0)).hasMessageContaining("maxDepth");
    assertThatThrownBy(() -> FlagCodec.builder().maxDepth(1001)).hasMessageContaining("maxDepth");
    assertThatThrownBy(() -> FlagCodec.builder().maxStringLength(0))
        .hasMessageContaining("maxStringLength");
    assertThatThrownBy(() -> FlagCodec.builder().maxDocumentBytes(-1))
        .hasMessageContaining("maxDocumentBytes");
    FlagCodec codec = FlagCodec.builder().maxDepth(10).rejectUnknownOperators(true).build();
    assertThat(codec.maxDepth()).isEqualTo(10);
    assertThat(codec.rejectsUnknownOperators()).isTrue();
    assertThat(FlagCodec.standard().maxDocumentBytes())
        .isEqualTo(FlagCodec.DEFAULT_MAX_DOCUMENT_BYTES);
  }

  @Test
  void nullCountsAsAbsentForOptionalMembersOnly() {
    assertThat(codec.decodeFlag("f", "{\"salt\": null, \"tags\": null, \"on\": null}"))
        .isEqualTo(Flag.simple("f", true));
    assertThatThrownBy(
            () ->
                codec.decodeFlag(
                    "f",
                    "{\"rules\": [{\"clauses\": [{\"op\": null, \"values\": [1]}], \"variation\": 1}]}"))
        .hasMessage("rules[0].clauses[0].op: expected a string, got null (line 1, column 32)");
  }

  @Test
  void integersMayBeWrittenAsAnyIntegralNumber() {
    Flag flag = codec.decodeFlag("f", "{\"version\": 1e2, \"offVariation\": 1.0}");
    assertThat(flag.version()).isEqualTo(100);
    assertThat(flag.offVariation()).isEqualTo(1);
    assertThatThrownBy(() -> codec.decodeFlag("f", "{\"version\": -1}"))
        .hasMessage("version: version must be >= 0, got -1 (line 1, column 13)");
  }

  @Test
  void instantsWithOffsetsAndFractionsAreRead() {
    Flag flag =
        codec.decodeFlag(
            "f",
            "{\"createdAt\": \"2026-06-30T02:00:00.5+02:00\", \"killDate\": \"2024-02-29T23:59:59Z\"}");
    assertThat(flag.metadata().createdAt()).contains(Instant.parse("2026-06-30T00:00:00.5Z"));
    assertThat(flag.metadata().killDate()).contains(Instant.parse("2024-02-29T23:59:59Z"));
    assertThatThrownBy(() -> codec.decodeFlag("f", "{\"killDate\": \"2025-02-29T00:00:00Z\"}"))
        .hasMessageContaining("killDate: expected an ISO-8601 instant");
  }

  @Test
  void aByteOrderMarkIsSkipped() {
    byte[] withBom = "\uFEFF{\"on\": false}".getBytes(StandardCharsets.UTF_8);
    assertThat(codec.decodeFlag("f", withBom)).isEqualTo(Flag.simple("f", false));
    assertThat(codec.decodeFlag("f", "\uFEFF true")).isEqualTo(Flag.simple("f", true));
  }

  @Test
  void loneSurrogatesAreRefusedRawOrEscapedAndWrittenEscaped() {
    assertThatThrownBy(() -> codec.parse("\"a\uD800\""))
        .hasMessageContaining("lone surrogate U+D800");
    assertThatThrownBy(() -> codec.parse("\"\\udc00\""))
        .hasMessageContaining("lone surrogate U+DC00");
    assertThat(codec.parse("\"\\ud83d\\ude00\"")).isEqualTo(JsonValue.of("\uD83D\uDE00"));
    assertThat(codec.write(JsonValue.of("x\uD800y"))).isEqualTo("\"x\\ud800y\"");
    assertThat(codec.write(JsonValue.of("\uD83D\uDE00"))).isEqualTo("\"\uD83D\uDE00\"");
  }

  @Test
  void anInvalidKeyArgumentIsAFormatError() {
    assertThatThrownBy(() -> codec.decodeFlag("no spaces", "true"))
        .isInstanceOf(FlagFormatException.class)
        .hasMessageStartingWith("key: invalid key \"no spaces\"");
    assertThatThrownBy(() -> codec.decodeSegment("no spaces", "{}"))
        .isInstanceOf(FlagFormatException.class)
        .hasMessageStartingWith("key: invalid key \"no spaces\"");
  }

  @Test
  void emptyAndWhitespaceDocumentsAreErrors() {
    assertThatThrownBy(() -> codec.decodeFlag("f", ""))
        .hasMessage("the document is empty (line 1, column 1)");
    assertThatThrownBy(() -> codec.decodeFlagSet(" \n"))
        .hasMessage("the document is empty (line 2, column 1)");
    assertThatThrownBy(() -> codec.decodeSegment("s", "[]"))
        .hasMessage("expected an object, got an array (line 1, column 1)");
  }

  @Test
  void encodingIsCanonical() {
    Flag a = Flag.builder("f").target(true, "b", "a", "c").build();
    Flag b = Flag.builder("f").target(true, "c", "a", "b").build();
    assertThat(codec.encode(a))
        .isEqualTo(codec.encode(b))
        .contains("\"values\":[\"a\",\"b\",\"c\"]");
    FlagSet one = FlagSet.of(Flag.simple("z", true), Flag.simple("a", false));
    FlagSet two = FlagSet.of(Flag.simple("a", false), Flag.simple("z", true));
    assertThat(codec.encode(one))
        .isEqualTo(codec.encode(two))
        .isEqualTo("{\"flags\":{\"a\":false,\"z\":true},\"segments\":{}}");
  }
}
