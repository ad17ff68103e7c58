package dev.flags.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.Segment;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every valid fixture decodes and round-trips; every invalid one fails with its exact message. */
class FixturesTest {

  static List<Fixtures> valid() {
    return Fixtures.in("valid");
  }

  static List<Fixtures> invalid() {
    return Fixtures.in("invalid");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void validFixtureDecodesAndRoundTrips(Fixtures fixture) {
    Object decoded = fixture.decode();
    FlagCodec codec = FlagCodec.standard();
    if (decoded instanceof Flag f) {
      assertThat(codec.decodeFlag(f.key(), codec.encode(f))).isEqualTo(f);
    } else if (decoded instanceof Segment s) {
      assertThat(codec.decodeSegment(s.key(), codec.encode(s))).isEqualTo(s);
    } else {
      FlagSet set = (FlagSet) decoded;
      assertThat(codec.decodeFlagSet(codec.encode(set))).isEqualTo(set);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidFixtureFailsWithItsMessage(Fixtures fixture) {
    assertThatThrownBy(fixture::decode)
        .isExactlyInstanceOf(FlagFormatException.class)
        .hasMessage(fixture.expectedError());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidFixtureFailsTheSameFromAString(Fixtures fixture) {
    byte[] bytes = fixture.bytes();
    String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    boolean validUtf8 =
        java.util.Arrays.equals(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), bytes);
    if (!validUtf8) {
      return; // a String cannot hold the bad bytes; the byte[] test covers these
    }
    FlagCodec codec = FlagCodec.builder().rejectUnknownOperators(fixture.strict()).build();
    assertThatThrownBy(
            () -> {
              switch (fixture.kind()) {
                case "flag" -> codec.decodeFlag(fixture.key(), text);
                case "segment" -> codec.decodeSegment(fixture.key(), text);
                default -> codec.decodeFlagSet(text);
              }
            })
        .isExactlyInstanceOf(FlagFormatException.class)
        .hasMessage(fixture.expectedError());
  }
}
