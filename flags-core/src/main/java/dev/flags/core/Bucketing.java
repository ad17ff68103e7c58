package dev.flags.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jspecify.annotations.Nullable;

/**
 * The bucketing hashes of {@code docs/bucketing.md}. Allocation-free on the evaluation path: the
 * salt arrives as UTF-8 bytes computed once per compiled flag, and the value is encoded to UTF-8
 * while hashing.
 *
 * <p>The value is encoded exactly as {@link String#getBytes(java.nio.charset.Charset)} with UTF-8
 * would encode it, an unpaired surrogate becoming {@code '?'}, so the published vectors and any
 * other-language port that hashes the UTF-8 bytes agree with this code.
 */
final class Bucketing {
  static final int BUCKETS = 100_000;

  private static final int C1 = 0xcc9e2d51;
  private static final int C2 = 0x1b873593;
  private static final byte SEPARATOR = '.';
  private static final byte MD5_SEPARATOR = '-';
  private static final int REPLACEMENT = '?';
  private static final int MD5_LENGTH = 16;
  private static final VarHandle LITTLE_ENDIAN_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  /** JavaScript's {@code Number.MAX_SAFE_INTEGER}: larger ids are not exact in many JSON tools. */
  private static final BigDecimal MAX_SAFE_INTEGER = BigDecimal.valueOf((1L << 53) - 1);

  /**
   * One MD5 engine and one scratch buffer per thread: {@link MessageDigest} is neither thread-safe
   * nor cheap to look up. The compat algorithm allocates nothing after a thread's first call. The
   * values are JDK types only, so a pooled thread that outlives a redeployed application does not
   * pin its class loader.
   */
  private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(Bucketing::newMd5);

  private static final ThreadLocal<byte[]> MD5_SCRATCH =
      ThreadLocal.withInitial(() -> new byte[128]);

  private Bucketing() {}

  /** The bucket, {@code 0..99,999}, of {@code value} under {@code salt}. */
  static int bucket(BucketingAlgorithm algorithm, byte[] saltUtf8, String value) {
    return switch (algorithm) {
      case MURMUR3_V1 -> (int) (murmur3(saltUtf8, value) % BUCKETS);
      case MD5_PERCENT_COMPAT -> md5Percent(saltUtf8, value) * 1000;
    };
  }

  /** MurmurHash3 x86 32-bit, seed 0, of UTF-8 {@code salt + "." + value}, as an unsigned number. */
  static long murmur3(byte[] saltUtf8, String value) {
    return murmur3x86(0, saltUtf8, SEPARATOR, value) & 0xFFFF_FFFFL;
  }

  /**
   * MurmurHash3 x86 32-bit with {@code seed} of {@code prefix}, then the byte {@code separator}
   * unless it is negative, then the UTF-8 encoding of {@code value}. Separate from {@link
   * #murmur3(byte[], String)} so tests can check it against the reference test values.
   */
  static int murmur3x86(int seed, byte[] prefix, int separator, String value) {
    // Bytes are appended to `acc`, a little-endian bit queue holding `bits` (< 32) pending bits;
    // whenever it holds a whole 4-byte block, the block is mixed in. Appending up to 32 bits at a
    // time (4 ASCII characters, or one character's UTF-8 form) keeps this to one branch per append
    // and never materialises the concatenation or the UTF-8 encoding of the value.
    int h = seed;
    int p = prefix.length;
    int blocks = p & ~3;
    for (int i = 0; i < blocks; i += 4) {
      h = mixBlock(h, (int) LITTLE_ENDIAN_INT.get(prefix, i));
    }
    long acc = 0;
    int bits = 0;
    for (int i = blocks; i < p; i++) {
      acc |= (prefix[i] & 0xFFL) << bits;
      bits += 8;
    }
    int length = p;
    if (separator >= 0) {
      acc |= (separator & 0xFFL) << bits;
      bits += 8;
      length++;
      if (bits == 32) {
        h = mixBlock(h, (int) acc);
        acc = 0;
        bits = 0;
      }
    }
    return hashValue(h, acc, bits, length, value);
  }

  /**
   * The murmur3-v1 state after {@code salt + "."}: computed once per compiled flag, it leaves only
   * the value to hash at evaluation time. Immutable and thread-safe.
   */
  static final class Murmur3Prefix {
    private final int h;
    private final long acc;
    private final int bits;
    private final int length;

    private Murmur3Prefix(int h, long acc, int bits, int length) {
      this.h = h;
      this.acc = acc;
      this.bits = bits;
      this.length = length;
    }
  }

  /** The state of {@link #murmur3(byte[], String)} once it has consumed the salt and the dot. */
  static Murmur3Prefix murmur3Prefix(byte[] saltUtf8) {
    int h = 0;
    int blocks = saltUtf8.length & ~3;
    for (int i = 0; i < blocks; i += 4) {
      h = mixBlock(h, (int) LITTLE_ENDIAN_INT.get(saltUtf8, i));
    }
    long acc = 0;
    int bits = 0;
    for (int i = blocks; i < saltUtf8.length; i++) {
      acc |= (saltUtf8[i] & 0xFFL) << bits;
      bits += 8;
    }
    acc |= (long) SEPARATOR << bits;
    bits += 8;
    if (bits == 32) {
      h = mixBlock(h, (int) acc);
      acc = 0;
      bits = 0;
    }
    return new Murmur3Prefix(h, acc, bits, saltUtf8.length + 1);
  }

  /** Same as {@link #murmur3(byte[], String)} for the salt of {@code prefix}. */
  static long murmur3(Murmur3Prefix prefix, String value) {
    return hashValue(prefix.h, prefix.acc, prefix.bits, prefix.length, value) & 0xFFFF_FFFFL;
  }

  /** Same as {@link #bucket} with {@link BucketingAlgorithm#MURMUR3_V1}, salt precomputed. */
  static int bucket(Murmur3Prefix prefix, String value) {
    return (int) (murmur3(prefix, value) % BUCKETS);
  }

  /** Appends the UTF-8 form of {@code value} to the hash state, then finishes the hash. */
  private static int hashValue(int h, long acc, int bits, int length, String value) {
    int n = value.length();
    int i = 0;
    while (i < n) {
      int packed;
      int count;
      char c = value.charAt(i);
      if (c < 0x80) {
        char c1;
        char c2;
        char c3;
        if (i + 3 < n
            && (c1 = value.charAt(i + 1)) < 0x80
            && (c2 = value.charAt(i + 2)) < 0x80
            && (c3 = value.charAt(i + 3)) < 0x80) {
          packed = c | c1 << 8 | c2 << 16 | c3 << 24;
          count = 4;
          i += 4;
        } else {
          packed = c;
          count = 1;
          i++;
        }
      } else if (c < 0x800) {
        packed = (0xC0 | (c >> 6)) | (0x80 | (c & 0x3F)) << 8;
        count = 2;
        i++;
      } else if (Character.isSurrogate(c)) {
        char next;
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(next = value.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, next);
          packed =
              (0xF0 | (cp >> 18))
                  | (0x80 | ((cp >> 12) & 0x3F)) << 8
                  | (0x80 | ((cp >> 6) & 0x3F)) << 16
                  | (0x80 | (cp & 0x3F)) << 24;
          count = 4;
          i += 2;
        } else {
          packed = REPLACEMENT;
          count = 1;
          i++;
        }
      } else {
        packed = (0xE0 | (c >> 12)) | (0x80 | ((c >> 6) & 0x3F)) << 8 | (0x80 | (c & 0x3F)) << 16;
        count = 3;
        i++;
      }
      length += count;
      acc |= (packed & 0xFFFF_FFFFL) << bits;
      bits += 8 * count;
      if (bits >= 32) {
        h = mixBlock(h, (int) acc);
        acc >>>= 32;
        bits -= 32;
      }
    }
    if (bits != 0) {
      h ^= mixK((int) acc);
    }
    h ^= length;
    return fmix(h);
  }

  private static int mixK(int k) {
    k *= C1;
    k = Integer.rotateLeft(k, 15);
    return k * C2;
  }

  private static int mixBlock(int h, int k) {
    h ^= mixK(k);
    h = Integer.rotateLeft(h, 13);
    return h * 5 + 0xe6546b64;
  }

  private static int fmix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  /**
   * {@code int(md5(f"{value}-{salt}").hexdigest(), 16) % 100}: the digest read as a 128-bit
   * unsigned big-endian number, reduced modulo 100 one byte at a time (Horner's rule), so no
   * BigInteger is needed.
   */
  static int md5Percent(byte[] saltUtf8, String value) {
    MessageDigest md = MD5.get();
    byte[] buf = MD5_SCRATCH.get();
    int pos = 0;
    int n = value.length();
    for (int i = 0; i < n; i++) {
      // Flush before a character could overflow the buffer (at most 4 bytes per character).
      if (pos > buf.length - 4) {
        md.update(buf, 0, pos);
        pos = 0;
      }
      char c = value.charAt(i);
      if (c < 0x80) {
        buf[pos++] = (byte) c;
      } else if (c < 0x800) {
        buf[pos++] = (byte) (0xC0 | (c >> 6));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        char next;
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(next = value.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, next);
          i++;
          buf[pos++] = (byte) (0xF0 | (cp >> 18));
          buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          buf[pos++] = (byte) (0x80 | (cp & 0x3F));
        } else {
          buf[pos++] = (byte) REPLACEMENT;
        }
      } else {
        buf[pos++] = (byte) (0xE0 | (c >> 12));
        buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    if (pos == buf.length) {
      md.update(buf, 0, pos);
      pos = 0;
    }
    buf[pos++] = MD5_SEPARATOR;
    md.update(buf, 0, pos);
    md.update(saltUtf8);
    // The digest goes into the scratch buffer, whose content md has already consumed.
    try {
      md.digest(buf, 0, MD5_LENGTH);
    } catch (DigestException e) {
      // The buffer holds more than the 16 bytes of an MD5 digest: cannot happen.
      md.reset();
      throw new IllegalStateException(e);
    }
    int r = 0;
    for (int i = 0; i < MD5_LENGTH; i++) {
      r = (r * 256 + (buf[i] & 0xFF)) % 100;
    }
    return r;
  }

  /**
   * The text a rollout buckets for an attribute value, or {@code null} when the value is not
   * bucketable and the context is left out of the rollout: a non-empty string is bucketed as is; an
   * integral JSON number within {@code ±(2^53 - 1)} as its plain decimal text ({@code 42}, {@code
   * -7}; so {@code 42} and {@code "42"} share a bucket, like Python's {@code f"{user_id}"});
   * anything else (an empty string, a fraction, a boolean, {@code null}, an array, an object) is
   * not bucketable. Allocates only for numbers.
   */
  static @Nullable String bucketableText(@Nullable JsonValue value) {
    if (value instanceof JsonValue.Str s) {
      return s.value().isEmpty() ? null : s.value();
    }
    if (value instanceof JsonValue.Num n) {
      BigDecimal d = n.value();
      if (d.compareTo(MAX_SAFE_INTEGER) > 0 || d.compareTo(MAX_SAFE_INTEGER.negate()) < 0) {
        return null;
      }
      if (!Numbers.isIntegral(d)) {
        return null;
      }
      return Long.toString(d.longValue());
    }
    return null;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide MD5 (MessageDigest javadoc).
      throw new IllegalStateException("MD5 is not available", e);
    }
  }
}
