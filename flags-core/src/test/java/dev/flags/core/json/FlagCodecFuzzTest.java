package dev.flags.core.json;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random and mutated documents never make the codec throw anything but {@link FlagFormatException}
 * (no Error either), never make it hang — each input must finish within {@link #BOUND} — and
 * whatever it accepts comes back equal from what it writes ({@code decode(encode(x)).equals(x)}).
 *
 * <p>The suite runs a fixed seed, 10,000 tries per property. For a longer run, multiply the inputs
 * per try and change the mutation stream (see docs/flag-format.md, "Fuzzing"): {@code ./mvnw -pl
 * flags-core -am verify -Dtest=FlagCodecFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dflags.fuzz.rounds=100 -Dflags.fuzz.salt=7}.
 */
class FlagCodecFuzzTest {

  static final Duration BOUND = Duration.ofSeconds(5);
  private static final int ROUNDS = Integer.getInteger("flags.fuzz.rounds", 1);
  private static final long SALT = Long.getLong("flags.fuzz.salt", 0);

  private static final FlagCodec[] CODECS = {
    FlagCodec.standard(),
    FlagCodec.builder().rejectUnknownOperators(true).build(),
    FlagCodec.builder().maxDepth(6).maxStringLength(16).maxDocumentBytes(2048).build(),
  };

  private static final List<byte[]> CORPUS = corpus();

  private static final String[] TOKENS = {
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"",
    " ",
    "\n",
    "\\",
    "\\u",
    "\\ud800",
    "\\udc00",
    "\\uD83D\\uDE00",
    "\\n",
    "true",
    "false",
    "null",
    "TRUE",
    "0",
    "-0",
    "1",
    "-1.5e3",
    "1e999999999",
    "9223372036854775808",
    "0.1e-1000",
    "00",
    "1.",
    ".5",
    "-",
    "\"key\"",
    "\"flags\"",
    "\"segments\"",
    "\"rules\"",
    "\"clauses\"",
    "\"op\"",
    "\"values\"",
    "\"variation\"",
    "\"variations\"",
    "\"rollout\"",
    "\"weights\"",
    "\"weight\"",
    "\"fallthrough\"",
    "\"targets\"",
    "\"prerequisites\"",
    "\"in\"",
    "\"matches\"",
    "\"segmentMatch\"",
    "\"ipInRange\"",
    "\"(((\"",
    "\"2026-01-01T00:00:00Z\"",
    "\"a\"",
    "\"k\"",
    "100000",
    "\u00e9",
    "\ud83d\ude00",
    "\u0000",
    "\ufeff",
  };

  @Property(tries = 10_000, seed = "42")
  void randomTextIsRejectedCleanly(@ForAll("randomText") String text) {
    for (int round = 0; round < ROUNDS; round++) {
      String input =
          round == 0
              ? text
              : text + text.substring(0, (int) ((SALT + round) % (text.length() + 1)));
      check(input.getBytes(StandardCharsets.UTF_8), input);
    }
  }

  @Property(tries = 10_000, seed = "42")
  void mutatedDocumentsAreRejectedCleanly(@ForAll("documents") byte[] document, @ForAll long seed) {
    Random random = new Random(seed ^ SALT);
    for (int round = 0; round < ROUNDS; round++) {
      byte[] mutated = mutate(document, random);
      check(mutated, new String(mutated, StandardCharsets.UTF_8));
    }
  }

  @Provide
  Arbitrary<String> randomText() {
    Arbitrary<String> anyChars = Arbitraries.strings().all().ofMaxLength(200);
    Arbitrary<String> tokens =
        Arbitraries.of(TOKENS).list().ofMaxSize(80).map(l -> String.join("", l));
    return Arbitraries.oneOf(anyChars, tokens);
  }

  @Provide
  Arbitrary<byte[]> documents() {
    return Arbitraries.of(CORPUS);
  }

  private static void check(byte[] bytes, String text) {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          for (FlagCodec codec : CODECS) {
            // What one of these reads, the same options read back from what it writes (with room
            // for the text, which may be longer than the input: defaults are written out).
            FlagCodec back = roomy(codec);
            roundTrip(
                () -> codec.decodeFlag("fuzz", bytes),
                f -> back.decodeFlag("fuzz", codec.encode(f)));
            roundTrip(
                () -> codec.decodeFlagSet(bytes), set -> back.decodeFlagSet(codec.encode(set)));
            roundTrip(
                () -> codec.decodeSegment("fuzz", bytes),
                s -> back.decodeSegment("fuzz", codec.encode(s)));
            roundTrip(() -> codec.parse(bytes), v -> back.parse(codec.write(v)));
            roundTrip(
                () -> codec.decodeFlag("fuzz", text),
                f -> back.decodeFlag("fuzz", codec.encode(f)));
            roundTrip(
                () -> codec.decodeFlagSet(text), set -> back.decodeFlagSet(codec.encode(set)));
            roundTrip(() -> codec.parse(text), v -> back.parse(codec.write(v)));
          }
        },
        () -> "input took longer than " + BOUND + ": " + text);
  }

  /**
   * Decodes; when that succeeds, {@code decode(encode(x))} must equal {@code x}. Anything thrown
   * but {@link FlagFormatException} (an Error included) fails the test.
   */
  private static <T> void roundTrip(
      java.util.function.Supplier<T> decode, java.util.function.Function<T, T> encodeAndDecode) {
    T value;
    try {
      value = decode.get();
    } catch (FlagFormatException expected) {
      return; // the documented failure
    }
    org.assertj.core.api.Assertions.assertThat(encodeAndDecode.apply(value))
        .as("decode(encode(x)) of what was accepted")
        .isEqualTo(value);
  }

  private static FlagCodec roomy(FlagCodec codec) {
    return FlagCodec.builder()
        .maxDepth(codec.maxDepth())
        .maxStringLength(codec.maxStringLength())
        .rejectUnknownOperators(codec.rejectsUnknownOperators())
        .build();
  }

  /** One to three random edits: byte flips, truncation, duplication, deletion, token insertion. */
  static byte[] mutate(byte[] in, Random random) {
    byte[] out = in;
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits; e++) {
      int n = out.length;
      int at = n == 0 ? 0 : random.nextInt(n);
      switch (random.nextInt(6)) {
        case 0 -> {
          if (n > 0) {
            out = out.clone();
            out[at] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 1 -> out = java.util.Arrays.copyOf(out, at);
        case 2 -> {
          int len = Math.min(n - at, 1 + random.nextInt(64));
          out = splice(out, at, 0, java.util.Arrays.copyOfRange(out, at, at + len));
        }
        case 3 -> out = splice(out, at, Math.min(n - at, 1 + random.nextInt(16)), new byte[0]);
        case 4 ->
            out =
                splice(
                    out,
                    at,
                    0,
                    TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
        default -> {
          if (n > 0) {
            out = out.clone();
            out[at] = (byte) random.nextInt(256);
          }
        }
      }
    }
    return out;
  }

  private static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
    byte[] out = new byte[in.length - remove + insert.length];
    System.arraycopy(in, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(in, at + remove, out, at + insert.length, in.length - at - remove);
    return out;
  }

  private static List<byte[]> corpus() {
    List<byte[]> docs = new ArrayList<>();
    for (Fixtures f : Fixtures.in("valid")) {
      docs.add(f.bytes());
    }
    for (Fixtures f : Fixtures.in("invalid")) {
      docs.add(f.bytes());
    }
    return docs;
  }
}
