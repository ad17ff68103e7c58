package dev.flags.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.JsonValue;
import dev.flags.core.Segment;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@code decode(encode(x)).equals(x)}, and encoding is canonical, for generated valid values. */
class FlagCodecRoundTripTest {

  private final FlagCodec codec = FlagCodec.standard();

  @Property(tries = 300)
  void flagsSurviveEncodeAndDecode(@ForAll("flags") Flag flag) {
    String json = codec.encode(flag);
    Flag back = codec.decodeFlag(flag.key(), json);
    assertThat(back).isEqualTo(flag);
    assertThat(codec.encode(back)).isEqualTo(json);
    assertThat(codec.decodeFlag(flag.key(), json.getBytes(StandardCharsets.UTF_8))).isEqualTo(flag);
  }

  @Property(tries = 200)
  void segmentsSurviveEncodeAndDecode(@ForAll("segments") Segment segment) {
    String json = codec.encode(segment);
    Segment back = codec.decodeSegment(segment.key(), json);
    assertThat(back).isEqualTo(segment);
    assertThat(codec.encode(back)).isEqualTo(json);
  }

  @Property(tries = 100)
  void flagSetsSurviveEncodeAndDecode(@ForAll("flagSets") FlagSet set) {
    String json = codec.encode(set);
    FlagSet back = codec.decodeFlagSet(json.getBytes(StandardCharsets.UTF_8));
    assertThat(back).isEqualTo(set);
    assertThat(codec.encode(back)).isEqualTo(json);
  }

  @Property(tries = 500)
  void jsonValuesSurviveWriteAndParse(@ForAll("json") JsonValue value) {
    String json = codec.write(value);
    assertThat(codec.parse(json)).isEqualTo(value);
    assertThat(codec.parse(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(value);
  }

  /**
   * Everything decode accepts comes back equal: numbers at the edges of the limits (long mantissas,
   * exponents around ±1,000, points far from the digits) are accepted only when the form the codec
   * writes them in can be read back, and refused with the path otherwise.
   */
  @Property(tries = 2_000)
  void numbersDecodeAcceptsComeBackEqual(@ForAll("edgeNumbers") String literal) {
    String json = "{\"variations\":[" + literal + ",0],\"fallthrough\":{\"variation\":1}}";
    Flag flag;
    try {
      flag = codec.decodeFlag("n", json);
    } catch (FlagFormatException e) {
      assertThat(e.path()).isEqualTo("variations[0]");
      assertThat(e.problem()).startsWith("number out of range");
      return;
    }
    String encoded = codec.encode(flag);
    assertThat(codec.decodeFlag("n", encoded)).isEqualTo(flag);
    assertThat(codec.encode(codec.decodeFlag("n", encoded))).isEqualTo(encoded);
    JsonValue value = codec.parse(literal);
    assertThat(codec.parse(codec.write(value))).isEqualTo(value);
  }

  @Provide
  Arbitrary<String> edgeNumbers() {
    Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(40);
    Arbitrary<Integer> exponent =
        Arbitraries.oneOf(
            Arbitraries.integers().between(-1_000, 1_000),
            Arbitraries.integers().between(960, 1_000),
            Arbitraries.integers().between(-1_000, -960));
    return net.jqwik.api.Combinators.combine(
            Arbitraries.of("", "-"),
            digits,
            Arbitraries.integers().between(-1, 40),
            exponent,
            Arbitraries.of("e", "E", "e+", "E-", ""))
        .as(
            (sign, ds, point, exp, marker) -> {
              String mantissa = ds.length() > 1 && ds.charAt(0) == '0' ? "1" + ds.substring(1) : ds;
              if (point >= 0 && point < mantissa.length() - 1) {
                mantissa = mantissa.substring(0, point + 1) + "." + mantissa.substring(point + 1);
              }
              String e = marker.isEmpty() ? "" : marker + (marker.endsWith("-") ? -exp : exp);
              return sign + mantissa + e.replace("+-", "-").replace("--", "-");
            });
  }

  @Provide
  Arbitrary<Flag> flags() {
    return FlagArbitraries.flags();
  }

  @Provide
  Arbitrary<Segment> segments() {
    return FlagArbitraries.segments();
  }

  @Provide
  Arbitrary<FlagSet> flagSets() {
    return FlagArbitraries.flagSets();
  }

  @Provide
  Arbitrary<JsonValue> json() {
    return FlagArbitraries.json();
  }
}
