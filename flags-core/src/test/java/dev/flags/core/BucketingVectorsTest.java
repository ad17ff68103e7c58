package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the code against every vector of {@code docs/bucketing-vectors.json}, which {@code
 * docs/tools/bucketing_vectors.py} computes in Python, independently of this code.
 */
class BucketingVectorsTest {

  /** Surefire runs with the module directory as the working directory. */
  private static final Path VECTORS = Path.of("..", "docs", "bucketing-vectors.json");

  static List<Map<String, Object>> vectors() throws IOException {
    Object parsed = new MiniJson(Files.readString(VECTORS, StandardCharsets.UTF_8)).parseDocument();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : (List<?>) parsed) {
      @SuppressWarnings("unchecked")
      Map<String, Object> v = (Map<String, Object>) o;
      out.add(v);
    }
    return out;
  }

  static Stream<Arguments> vectorArguments() throws IOException {
    List<Map<String, Object>> all = vectors();
    List<Arguments> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Map<String, Object> v = all.get(i);
      String name =
          "#"
              + i
              + " "
              + v.get("algorithm")
              + " salt="
              + abbreviate((String) v.get("salt"))
              + " value="
              + abbreviate((String) v.get("value"));
      out.add(Arguments.of(Named.of(name, v)));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectorArguments")
  void codeReproducesThePublishedVector(Map<String, Object> v) throws NoSuchAlgorithmException {
    BucketingAlgorithm algorithm =
        BucketingAlgorithm.fromWireName((String) v.get("algorithm")).orElseThrow();
    String salt = (String) v.get("salt");
    String value = (String) v.get("value");
    int bucket = ((BigDecimal) v.get("bucket")).intValueExact();

    assertThat(Bucketing.bucket(algorithm, Bucketing.utf8(salt), value)).isEqualTo(bucket);
    assertThat(algorithm.bucket(salt, value)).isEqualTo(bucket);
    switch (algorithm) {
      case MURMUR3_V1 -> {
        long hash = ((BigDecimal) v.get("hash")).longValueExact();
        assertThat(Bucketing.murmur3(Bucketing.utf8(salt), value)).isEqualTo(hash);
        assertThat(Bucketing.murmur3(Bucketing.murmur3Prefix(Bucketing.utf8(salt)), value))
            .isEqualTo(hash);
        assertThat(Bucketing.bucket(Bucketing.murmur3Prefix(Bucketing.utf8(salt)), value))
            .isEqualTo(bucket);
        assertThat(hash % 100_000).isEqualTo(bucket);
      }
      case MD5_PERCENT_COMPAT -> {
        byte[] digest =
            MessageDigest.getInstance("MD5")
                .digest((value + "-" + salt).getBytes(StandardCharsets.UTF_8));
        assertThat(String.format("%032x", new BigInteger(1, digest))).isEqualTo(v.get("md5"));
        assertThat(Bucketing.md5Percent(Bucketing.utf8(salt), value) * 1000).isEqualTo(bucket);
      }
    }
  }

  @Test
  void fileHoldsAtLeastFiftyVectorsPerAlgorithmCoveringTheHardCases() throws IOException {
    Map<String, Integer> perAlgorithm = new HashMap<>();
    boolean nonBmp = false;
    boolean saltDiffersFromFlag = false;
    boolean emptySalt = false;
    boolean longValue = false;
    for (Map<String, Object> v : vectors()) {
      perAlgorithm.merge((String) v.get("algorithm"), 1, Integer::sum);
      String value = (String) v.get("value");
      nonBmp |= value.codePoints().anyMatch(Character::isSupplementaryCodePoint);
      saltDiffersFromFlag |= !v.get("salt").equals(v.get("flag"));
      emptySalt |= ((String) v.get("salt")).isEmpty();
      longValue |= value.length() >= 256;
    }
    for (BucketingAlgorithm a : BucketingAlgorithm.values()) {
      assertThat(perAlgorithm.getOrDefault(a.wireName(), 0))
          .as(a.wireName())
          .isGreaterThanOrEqualTo(50);
    }
    assertThat(nonBmp).as("a value outside the BMP (emoji)").isTrue();
    assertThat(saltDiffersFromFlag).as("a salt that differs from the flag key").isTrue();
    assertThat(emptySalt).as("an empty salt").isTrue();
    assertThat(longValue).as("a value of 256 or more chars").isTrue();
  }

  /**
   * Published MurmurHash3_x86_32 test values (SMHasher and widely quoted), as in the Python tool.
   */
  @Test
  void murmur3MatchesTheReferenceTestValues() {
    Object[][] reference = {
      {new byte[0], 0, 0x00000000},
      {new byte[0], 1, 0x514E28B7},
      {new byte[0], 0xFFFFFFFF, 0x81F16F39},
      {bytes(0, 0, 0, 0), 0, 0x2362F9DE},
      {bytes(0xff, 0xff, 0xff, 0xff), 0, 0x76293B50},
      {bytes(0x21, 0x43, 0x65, 0x87), 0, 0xF55B516B},
      {bytes(0x21, 0x43, 0x65, 0x87), 0x5082EDEE, 0x2362F9DE},
      {bytes(0x21, 0x43, 0x65), 0, 0x7E4A8634},
      {bytes(0x21, 0x43), 0, 0xA0F7B07A},
      {bytes(0x21), 0, 0x72661CF4},
      {bytes(0, 0, 0), 0, 0x85F0B427},
      {bytes(0, 0), 0, 0x30F4C306},
      {bytes(0), 0, 0x514E28B7},
      {"aaaa", 0x9747B28C, 0x5A97808A},
      {"aaa", 0x9747B28C, 0x283E0130},
      {"aa", 0x9747B28C, 0x5D211726},
      {"a", 0x9747B28C, 0x7FA09EA6},
      {"abcd", 0x9747B28C, 0xF0478627},
      {"abc", 0x9747B28C, 0xC84A62DD},
      {"ab", 0x9747B28C, 0x74875592},
      {"Hello, world!", 0x9747B28C, 0x24884CBA},
      {"ππππππππ", 0x9747B28C, 0xD58063C1},
      {"a".repeat(256), 0x9747B28C, 0x37405BDC},
      {"The quick brown fox jumps over the lazy dog", 0x9747B28C, 0x2FA826CD},
      {"The quick brown fox jumps over the lazy dog", 0, 0x2E4FF723},
    };
    for (Object[] r : reference) {
      int seed = (Integer) r[1];
      int expected = (Integer) r[2];
      byte[] data = r[0] instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) r[0];
      // The input fed as raw bytes, then split at every point between bytes and the value path.
      assertThat(Bucketing.murmur3x86(seed, data, -1, "")).as("bytes %s", r[0]).isEqualTo(expected);
      if (r[0] instanceof String s) {
        assertThat(Bucketing.murmur3x86(seed, new byte[0], -1, s))
            .as("string %s", s)
            .isEqualTo(expected);
        for (int i = 0; i <= s.length(); i++) {
          byte[] head = s.substring(0, i).getBytes(StandardCharsets.UTF_8);
          assertThat(Bucketing.murmur3x86(seed, head, -1, s.substring(i)))
              .as("%s split at %d", s, i)
              .isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void separatorIsOneDotBetweenSaltAndValue() {
    // Hashing salt and value apart must equal hashing the dotted concatenation in one piece.
    String text = "checkout.user-1";
    assertThat(Bucketing.murmur3(Bucketing.utf8("checkout"), "user-1"))
        .isEqualTo(Integer.toUnsignedLong(Bucketing.murmur3x86(0, Bucketing.utf8(text), -1, "")));
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() <= 24 ? s : s.substring(0, 21) + "…(" + s.length() + ")";
  }

  /**
   * A minimal JSON reader for the vectors file (objects, arrays, strings with escapes, numbers as
   * BigDecimal, literals), so this test does not depend on the SDK's own codec.
   */
  static final class MiniJson {
    private final String s;
    private int pos;

    MiniJson(String s) {
      this.s = s;
    }

    Object parseDocument() {
      Object v = value();
      ws();
      if (pos != s.length()) {
        throw error("trailing content");
      }
      return v;
    }

    private Object value() {
      ws();
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        default:
          return number();
      }
    }

    private Map<String, Object> object() {
      Map<String, Object> out = new LinkedHashMap<>();
      pos++;
      ws();
      if (peek() == '}') {
        pos++;
        return out;
      }
      while (true) {
        ws();
        String key = string();
        ws();
        expect(':');
        out.put(key, value());
        ws();
        if (peek() == ',') {
          pos++;
        } else {
          expect('}');
          return out;
        }
      }
    }

    private List<Object> array() {
      List<Object> out = new ArrayList<>();
      pos++;
      ws();
      if (peek() == ']') {
        pos++;
        return out;
      }
      while (true) {
        out.add(value());
        ws();
        if (peek() == ',') {
          pos++;
        } else {
          expect(']');
          return out;
        }
      }
    }

    private String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = s.charAt(pos++);
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = s.charAt(pos++);
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
            pos += 4;
          }
          default -> throw error("bad escape \\" + e);
        }
      }
    }

    private BigDecimal number() {
      int start = pos;
      while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
        pos++;
      }
      if (start == pos) {
        throw error("unexpected character '" + s.charAt(pos) + "'");
      }
      return new BigDecimal(s.substring(start, pos));
    }

    private Object literal(String word, Object value) {
      if (!s.startsWith(word, pos)) {
        throw error("expected " + word);
      }
      pos += word.length();
      return value;
    }

    private char peek() {
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void expect(char c) {
      if (peek() != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    private void ws() {
      while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
        pos++;
      }
    }

    private IllegalStateException error(String message) {
      return new IllegalStateException(message + " at offset " + pos + " of " + VECTORS);
    }
  }
}
