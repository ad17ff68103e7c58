package dev.flags.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The fast path ({@link FastDecoder}) against the reference ({@link SyntaxChecker} + {@link
 * FlagDecoder}): it may give up on anything, but what it accepts the reference must accept, with an
 * equal value. Its errors are never seen: the codec falls back to the reference for them.
 */
class FastDecoderTest {

  private static final int DEPTH = FlagCodec.DEFAULT_MAX_DEPTH;
  private static final int STRING = FlagCodec.DEFAULT_MAX_STRING_LENGTH;

  @Test
  void decodesTheRealisticTenThousandFlagSetWithoutGivingUp() {
    String json = RealisticFlags.document(10_000);
    FlagSet fast = FastDecoder.flagSet(json, DEPTH, STRING, false, Integer.MAX_VALUE);
    assertThat(fast).isNotNull();
    assertThat(fast).isEqualTo(reference("set", "", false, json));
  }

  @Test
  void acceptsEveryValidFixtureLikeTheReference() {
    for (Fixtures f : Fixtures.in("valid")) {
      String json = new String(f.bytes(), StandardCharsets.UTF_8);
      if (json.strip().equalsIgnoreCase("true") || json.strip().equalsIgnoreCase("false")) {
        continue; // the short form of a flag: the codec reads it before either decoder
      }
      Object fast = fast(f.kind(), f.key(), f.strict(), json);
      assertThat(fast)
          .as(f.toString())
          .isNotNull()
          .isEqualTo(reference(f.kind(), f.key(), f.strict(), json));
    }
  }

  @Test
  void givesUpOnEveryInvalidFixture() {
    for (Fixtures f : Fixtures.in("invalid")) {
      String json;
      try {
        Utf8.Chars chars = Utf8.decode(f.bytes());
        json = new String(chars.chars(), 0, chars.length());
      } catch (FlagFormatException e) {
        continue; // invalid UTF-8 never reaches a decoder
      }
      assertThat(fast(f.kind(), f.key(), f.strict(), json)).as(f.toString()).isNull();
    }
  }

  @Test
  void givesUpWhereOnlyTheReferenceCanTell() {
    // Each is valid or invalid in a way the fast path leaves to the reference.
    assertThat(FastDecoder.json("{\"a\":1,\"a\":2}", DEPTH, STRING)).isNull();
    assertThat(FastDecoder.json("{\"a\\u0062\":1}", DEPTH, STRING)).isNull();
    assertThat(FastDecoder.json("1e1001", DEPTH, STRING)).isNull();
    assertThat(FastDecoder.json("\"\\ud83d\\ude00\"", DEPTH, STRING)).isNull();
    assertThat(FastDecoder.json("[[[1]]]", 2, STRING)).isNull();
    assertThat(FastDecoder.json("\"abcdef\"", DEPTH, 5)).isNull();
    assertThat(
            FastDecoder.segment(
                "{\"rules\":[{\"clauses\":[{\"attribute\":\"a\",\"op\":\"startsWith\",\"values\":[\"x\"]}]}]}",
                "k",
                DEPTH,
                5,
                false))
        .isNull();
    assertThat(FastDecoder.json("{\"values\":[\"abcdef\"]}", DEPTH, 5)).isNull();
    assertThat(FastDecoder.json("[1,]", DEPTH, STRING)).isNull();
    assertThat(FastDecoder.json("01", DEPTH, STRING)).isNull();
    assertThat(FastDecoder.json("[1] x", DEPTH, STRING)).isNull();
    assertThat(
            FastDecoder.flagSet(
                "{\"flags\":{\"a\":true,\"a\":false}}", DEPTH, STRING, false, Integer.MAX_VALUE))
        .isNull();
    assertThat(
            FastDecoder.flagSet(
                "{\"flags\":{\"a\":true},\"flags\":null}", DEPTH, STRING, false, Integer.MAX_VALUE))
        .isNull();
    assertThat(
            FastDecoder.flagSet(
                "{\"flags\":{},\"x\":1,\"x\":2}", DEPTH, STRING, false, Integer.MAX_VALUE))
        .isNull();
  }

  @Test
  void readsEscapesAndNumbersAsTheReferenceDoes() {
    String json =
        "{\"a/b\":\"x\\n\\\"\\u00e9\\t\",\"n\":[0,-0,1.50,-12,123456789012345678,1234567890123456789,1e3,-2.5E-07,1e1000,0e00001]}";
    JsonValue fast = FastDecoder.json(json, DEPTH, STRING);
    assertThat(fast).isNotNull().isEqualTo(reference("json", "", false, json));
  }

  @Property(tries = 300, seed = "7")
  void acceptsEncodedFlagsWithAnEqualValue(@ForAll("flags") Flag flag) {
    String json = FlagCodec.standard().encode(flag);
    Object fast = fast("flag", flag.key(), false, json);
    if (json.indexOf('\\') < 0 && json.chars().noneMatch(c -> Character.isSurrogate((char) c))) {
      // Escapes in member names and surrogates are what it leaves to the reference.
      assertThat(fast).isNotNull();
    }
    if (fast != null) {
      assertThat(fast).isEqualTo(reference("flag", flag.key(), false, json)).isEqualTo(flag);
    }
  }

  @Property(tries = 5_000, seed = "42")
  void neverAcceptsWhatTheReferenceRejects(
      @ForAll("documents") byte[] document, @ForAll long seed) {
    byte[] mutated = FlagCodecFuzzTest.mutate(document, new Random(seed));
    String json = new String(mutated, StandardCharsets.UTF_8);
    for (String kind : List.of("flag", "segment", "set", "json")) {
      for (boolean strict : new boolean[] {false, true}) {
        // The default limits, and tight ones that the documents run into.
        for (int[] limits : new int[][] {{DEPTH, STRING}, {4, 8}}) {
          Object fast = fast(kind, "k", strict, json, limits[0], limits[1]);
          if (fast != null) {
            assertThat(fast)
                .as(kind + " " + json)
                .isEqualTo(reference(kind, "k", strict, json, limits[0], limits[1]));
          }
        }
      }
    }
  }

  @Provide
  Arbitrary<Flag> flags() {
    return FlagArbitraries.flags();
  }

  @Provide
  Arbitrary<byte[]> documents() {
    List<byte[]> docs = new ArrayList<>();
    for (Fixtures f : Fixtures.in("valid")) {
      docs.add(f.bytes());
    }
    for (Fixtures f : Fixtures.in("invalid")) {
      docs.add(f.bytes());
    }
    // Documents with key "k", so mutations of them still reach the model.
    docs.add(
        "{\"key\":\"k\",\"variations\":[\"a\",\"b\",1.5,{\"x\":[null]}],\"fallthrough\":{\"rollout\":{\"weights\":[{\"variation\":0,\"weight\":60000},{\"variation\":1,\"weight\":40000}],\"bucketBy\":\"org\"}},\"targets\":[{\"variation\":1,\"values\":[\"u1\",\"u2\"]}],\"rules\":[{\"id\":\"r\",\"clauses\":[{\"attribute\":\"country\",\"op\":\"in\",\"values\":[\"DE\"],\"negate\":null}],\"variation\":2}],\"tags\":[\"t\"],\"createdAt\":\"2026-01-01T00:00:00Z\"}"
            .getBytes(StandardCharsets.UTF_8));
    docs.add(
        "{\"key\":\"k\",\"version\":3,\"included\":[\"a\"],\"excluded\":[],\"rules\":[{\"clauses\":[{\"attribute\":\"email\",\"op\":\"endsWith\",\"values\":[\"@x.org\"],\"ignoreCase\":true}]}],\"description\":\"d\"}"
            .getBytes(StandardCharsets.UTF_8));
    docs.add(RealisticFlags.document(20).getBytes(StandardCharsets.UTF_8));
    return Arbitraries.of(docs);
  }

  private static Object fast(String kind, String key, boolean strict, String json) {
    return fast(kind, key, strict, json, DEPTH, STRING);
  }

  private static Object fast(
      String kind, String key, boolean strict, String json, int depth, int string) {
    return switch (kind) {
      case "flag" -> FastDecoder.flag(json, key, depth, string, strict);
      case "segment" -> FastDecoder.segment(json, key, depth, string, strict);
      case "set" -> FastDecoder.flagSet(json, depth, string, strict, Integer.MAX_VALUE);
      default -> FastDecoder.json(json, depth, string);
    };
  }

  private static Object reference(String kind, String key, boolean strict, String json) {
    return reference(kind, key, strict, json, DEPTH, STRING);
  }

  /** What the reference decodes, or the exception it throws. */
  private static Object reference(
      String kind, String key, boolean strict, String json, int depth, int string) {
    int start = !json.isEmpty() && json.charAt(0) == '\uFEFF' ? 1 : 0;
    try {
      SyntaxChecker.check(json, start, depth, string);
      Node root = Node.root(json, start);
      FlagDecoder decoder = new FlagDecoder(json, start, strict, Integer.MAX_VALUE);
      return switch (kind) {
        case "flag" -> {
          if (root.type != Node.OBJECT) {
            throw decoder.error(root, "not an object");
          }
          yield decoder.flag(root, key);
        }
        case "segment" -> decoder.segment(root, key);
        case "set" -> decoder.flagSet(root);
        default -> decoder.json(root);
      };
    } catch (FlagFormatException e) {
      return e;
    }
  }
}
