package dev.flags.core.json;

import org.jspecify.annotations.Nullable;

/**
 * A strict UTF-8 decoder (RFC 3629): rejects overlong forms, encoded surrogates, code points above
 * U+10FFFF and truncated sequences, and says on which line and column the bad byte is. Written by
 * hand rather than with {@link java.nio.charset.CharsetDecoder} to report that position and to
 * decode the common ASCII case in one tight loop.
 */
final class Utf8 {
  private Utf8() {}

  /** Decoded characters: {@code chars[0, length)}. */
  // Never compared or hashed: a holder of a decoder's output.
  @SuppressWarnings("ArrayRecordComponent")
  record Chars(char[] chars, int length) {}

  /** The text of {@code in} if it is all ASCII (so valid UTF-8), decoded in one copy; else null. */
  static @Nullable String ascii(byte[] in) {
    for (byte b : in) {
      if (b < 0) {
        return null;
      }
    }
    return new String(in, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /**
   * Whether {@code in} is valid UTF-8, by the same rules as {@link #decode}, without decoding it:
   * the valid case then decodes with the JDK into a String, with no {@code char[]} in between.
   */
  static boolean isValid(byte[] in) {
    int n = in.length;
    int i = 0;
    while (i < n) {
      int b = in[i];
      if (b >= 0) {
        i++;
        continue;
      }
      b &= 0xff;
      int need;
      int cp;
      int min;
      if (b >= 0xc2 && b <= 0xdf) {
        need = 1;
        cp = b & 0x1f;
        min = 0x80;
      } else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        cp = b & 0x0f;
        min = 0x800;
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        cp = b & 0x07;
        min = 0x10000;
      } else {
        return false;
      }
      if (i + need >= n) {
        return false;
      }
      for (int k = 1; k <= need; k++) {
        int c = in[i + k] & 0xff;
        if ((c & 0xc0) != 0x80) {
          return false;
        }
        cp = (cp << 6) | (c & 0x3f);
      }
      if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
        return false;
      }
      i += need + 1;
    }
    return true;
  }

  static Chars decode(byte[] in) {
    char[] out = new char[in.length];
    int n = in.length;
    int i = 0;
    int o = 0;
    // ASCII first: most flag documents are entirely ASCII.
    while (i < n && in[i] >= 0) {
      out[o++] = (char) in[i++];
    }
    while (i < n) {
      int b = in[i];
      if (b >= 0) {
        out[o++] = (char) b;
        i++;
        continue;
      }
      b &= 0xff;
      int need;
      int cp;
      int min;
      if (b >= 0xc2 && b <= 0xdf) {
        need = 1;
        cp = b & 0x1f;
        min = 0x80;
      } else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        cp = b & 0x0f;
        min = 0x800;
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        cp = b & 0x07;
        min = 0x10000;
      } else {
        throw error(
            out, o, String.format("invalid UTF-8: byte 0x%02X cannot start a character", b));
      }
      if (i + need >= n) {
        throw error(out, o, "invalid UTF-8: the document ends inside a character");
      }
      for (int k = 1; k <= need; k++) {
        int c = in[i + k] & 0xff;
        if ((c & 0xc0) != 0x80) {
          throw error(
              out, o, String.format("invalid UTF-8: byte 0x%02X is not a continuation byte", c));
        }
        cp = (cp << 6) | (c & 0x3f);
      }
      if (cp < min) {
        throw error(out, o, "invalid UTF-8: overlong encoding");
      }
      if (cp >= 0xd800 && cp <= 0xdfff) {
        throw error(out, o, "invalid UTF-8: encoded surrogate");
      }
      if (cp > 0x10ffff) {
        throw error(out, o, "invalid UTF-8: code point above U+10FFFF");
      }
      if (cp >= 0x10000) {
        out[o++] = Character.highSurrogate(cp);
        out[o++] = Character.lowSurrogate(cp);
      } else {
        out[o++] = (char) cp;
      }
      i += need + 1;
    }
    return new Chars(out, o);
  }

  private static FlagFormatException error(char[] decoded, int decodedLength, String problem) {
    return Locations.error(decoded, 0, decodedLength, "", problem);
  }
}
