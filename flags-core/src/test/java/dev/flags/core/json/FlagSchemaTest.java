package dev.flags.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JacksonException;

/**
 * docs/flag-schema.json agrees with the codec on the fixtures: valid fixtures are valid against it,
 * and the invalid fixtures it lets through are exactly the rules only the codec can check.
 */
class FlagSchemaTest {

  /** Valid for the codec, not for the schema, on purpose (see docs/flag-format.md). */
  private static final Set<String> CODEC_ONLY_VALID =
      Set.of(
          "flag-typed_by_hand.json", // FALSE in capitals: the codec's hand-typed short form, not
          // JSON
          "set-forward_compatible.json"); // unknown members: ignored by the codec, reported by the

  // schema

  /**
   * Invalid for the codec, accepted by the schema: rules spanning fields or needing code, and the
   * reader's limits.
   */
  private static final Set<String> CODEC_ONLY_INVALID =
      Set.of(
          "flag-bad_regex.json",
          "flag-key_in_two_targets.json",
          "flag-key_mismatch.json",
          "flag-variation_out_of_range.json",
          "flag-weights_not_100.json",
          "set-prerequisite_cycle.json",
          "set-unknown_prerequisite.json",
          "set-unknown_segment.json",
          // and the reader's own limits, below what a schema describes:
          "flag-encoded_surrogate.json", // bad UTF-8 (the schema test sees it after lossy decoding)
          "flag-invalid_utf8.json",
          "flag-lone_surrogate.json", // legal JSON text, not Unicode
          "flag-exponent_bomb.json", // number limits
          "flag-too_deep.json"); // nesting limit

  private final FlagSchema schema = new FlagSchema();

  static List<Fixtures> valid() {
    return Fixtures.in("valid");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void validFixtureIsValidAgainstTheSchema(Fixtures fixture) {
    String json = new String(fixture.bytes(), StandardCharsets.UTF_8);
    if (CODEC_ONLY_VALID.contains(fixture.toString())) {
      return;
    }
    assertThat(schema.validate(fixture.kind(), json)).as("schema errors").isEmpty();
  }

  @Test
  void theSchemaRefusesTheForwardCompatibleFixtureForItsUnknownMembers() {
    Fixtures fixture =
        Fixtures.in("valid").stream()
            .filter(f -> f.toString().equals("set-forward_compatible.json"))
            .findFirst()
            .orElseThrow();
    assertThat(schema.validate("set", new String(fixture.bytes(), StandardCharsets.UTF_8)))
        .isNotEmpty();
  }

  @Test
  void invalidFixturesTheSchemaAcceptsAreExactlyTheCodecOnlyRules() {
    List<String> acceptedBySchema = new ArrayList<>();
    for (Fixtures fixture : Fixtures.in("invalid")) {
      String json = new String(fixture.bytes(), StandardCharsets.UTF_8);
      try {
        if (schema.validate(fixture.kind(), json).isEmpty()) {
          acceptedBySchema.add(fixture.toString());
        }
      } catch (JacksonException notJson) {
        // malformed JSON: the schema has nothing to say
      }
    }
    assertThat(acceptedBySchema).containsExactlyInAnyOrderElementsOf(CODEC_ONLY_INVALID);
  }
}
