package dev.flags.core;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

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
  /** JavaScript's {@code Number.MAX_SAFE_INTEGER}: larger ids are not exact in many JSON tools. */
  private static final BigDecimal MAX_SAFE_INTEGER = BigDecimal.valueOf((1L << 53) - 1);

  /**
   * One MD5 engine and scratch buffer per thread: {@link MessageDigest} is neither thread-safe nor
   * cheap to look up. The compat algorithm allocates nothing after a thread's first call.
   */
  private static final ThreadLocal<Md5Scratch> MD5 = ThreadLocal.withInitial(Md5Scratch::new);

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
    // The bytes are streamed into a 4-byte little-endian block (k, filled up to `shift` bits) so
    // that neither the concatenation nor the UTF-8 encoding of the value is ever materialised.
    int h = seed;
    int k = 0;
    int shift = 0;
    int length = 0;
    for (byte b : prefix) {
      k |= (b & 0xFF) << shift;
      shift += 8;
      if (shift == 32) {
        h = mixBlock(h, k);
        k = 0;
        shift = 0;
      }
    }
    length += prefix.length;
    if (separator >= 0) {
      k |= (separator & 0xFF) << shift;
      shift += 8;
      if (shift == 32) {
        h = mixBlock(h, k);
        k = 0;
        shift = 0;
      }
      length++;
    }
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      // Up to four UTF-8 bytes, packed little-endian into `packed`, `count` of them.
      int packed;
      int count;
      if (c < 0x80) {
        packed = c;
        count = 1;
      } else if (c < 0x800) {
        packed = (0xC0 | (c >> 6)) | (0x80 | (c & 0x3F)) << 8;
        count = 2;
      } else if (Character.isSurrogate(c)) {
        char next;
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(next = value.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, next);
          i++;
          packed =
              (0xF0 | (cp >> 18))
                  | (0x80 | ((cp >> 12) & 0x3F)) << 8
                  | (0x80 | ((cp >> 6) & 0x3F)) << 16
                  | (0x80 | (cp & 0x3F)) << 24;
          count = 4;
        } else {
          packed = REPLACEMENT;
          count = 1;
        }
      } else {
        packed = (0xE0 | (c >> 12)) | (0x80 | ((c >> 6) & 0x3F)) << 8 | (0x80 | (c & 0x3F)) << 16;
        count = 3;
      }
      length += count;
      for (int j = 0; j < count; j++) {
        k |= ((packed >>> (8 * j)) & 0xFF) << shift;
        shift += 8;
        if (shift == 32) {
          h = mixBlock(h, k);
          k = 0;
          shift = 0;
        }
      }
    }
    if (shift != 0) {
      h ^= mixK(k);
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
    Md5Scratch s = MD5.get();
    MessageDigest md = s.md5;
    byte[] buf = s.buffer;
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
    try {
      md.digest(s.digest, 0, s.digest.length);
    } catch (DigestException e) {
      // The output buffer is exactly the MD5 length: cannot happen.
      md.reset();
      throw new IllegalStateException(e);
    }
    int r = 0;
    for (byte b : s.digest) {
      r = (r * 256 + (b & 0xFF)) % 100;
    }
    return r;
  }

  /**
   * The text a rollout buckets for an attribute value, or {@code null} when the value is not
   * bucketable and the context is left out of the rollout: a non-empty string is bucketed as is;
   * an integral JSON number within {@code ±(2^53 - 1)} as its plain decimal text ({@code 42},
   * {@code -7}; so {@code 42} and {@code "42"} share a bucket, like Python's {@code f"{user_id}"});
   * anything else (an empty string, a fraction, a boolean, {@code null}, an array, an object)
   * is not bucketable. Allocates only for numbers.
   */
  static String bucketableText(JsonValue value) {
    if (value instanceof JsonValue.Str s) {
      return s.value().isEmpty() ? null : s.value();
    }
    if (value instanceof JsonValue.Num n) {
      BigDecimal d = n.value();
      if (d.compareTo(MAX_SAFE_INTEGER) > 0 || d.compareTo(MAX_SAFE_INTEGER.negate()) < 0) {
        return null;
      }
      if (d.scale() > 0 && d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
        return null;
      }
      return Long.toString(d.longValue());
    }
    return null;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static final class Md5Scratch {
    final MessageDigest md5;
    final byte[] buffer = new byte[128];
    final byte[] digest = new byte[16];

    Md5Scratch() {
      try {
        md5 = MessageDigest.getInstance("MD5");
      } catch (NoSuchAlgorithmException e) {
        // Every Java platform must provide MD5 (MessageDigest javadoc).
        throw new IllegalStateException("MD5 is not available", e);
      }
    }
  }
}
