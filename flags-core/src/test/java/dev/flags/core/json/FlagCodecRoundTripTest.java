package dev.flags.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.JsonValue;
import dev.flags.core.Segment;
import java.nio.charset.StandardCharsets;
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
