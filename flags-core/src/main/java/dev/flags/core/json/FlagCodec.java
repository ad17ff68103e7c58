package dev.flags.core.json;

import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.FlagValidationException;
import dev.flags.core.JsonValue;
import dev.flags.core.Segment;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes the JSON flag format ({@code docs/flag-format.md}): strict, dependency-free.
 *
 * <p>Reading is strict about JSON (no trailing data, no duplicate member names, only JSON's
 * escapes, valid UTF-8 and Unicode, bounded numbers, nesting and sizes) and lenient about the
 * format's evolution: members it does not know are ignored, and a clause operator it does not know
 * is kept and never matches, unless {@link Builder#rejectUnknownOperators(boolean)} is set. Every
 * problem, in the JSON or in the flag it describes, is a {@link FlagFormatException} saying where
 * and what, such as {@code rules[2].clauses[0].op: unknown operator "equal" (line 14, column 17)};
 * no input makes it throw anything else, an {@link Error} included (a recursion too deep or a heap
 * too full to read the document becomes a {@link FlagFormatException} too).
 *
 * <p>Memory is bounded by a small multiple of the input: the text and the model, never a tree (see
 * {@code docs/limits.md} for measured peaks). Each flag or segment definition is limited to {@link
 * #maxDefinitionBytes()} (4 MiB by default), which stores use so that one oversized value is
 * malformed for that flag only.
 *
 * <p>Writing is compact and canonical: equal values give equal text, and reading it back gives an
 * equal value: {@code decode(encode(x)).equals(x)} for everything decode accepts.
 *
 * <p>Immutable and thread-safe: create one with its limits and share it.
 */
public final class FlagCodec {

  /** The default limit on the size of one document: 64 MiB. */
  public static final int DEFAULT_MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

  /**
   * The default limit on the size of one flag or segment definition, alone or in a set: 4 MiB.
   * Stores read each definition with it, so one oversized value is malformed for that flag only.
   * Large enough for the 100,000 individual targets the format promises (100,000 ids of 36
   * characters take 3.9 MB), far below a heap: reading one costs at most about 12 times its size.
   */
  public static final int DEFAULT_MAX_DEFINITION_BYTES = 4 * 1024 * 1024;

  /** The default limit on the length of one string, in characters: 1 MiB. */
  public static final int DEFAULT_MAX_STRING_LENGTH = 1024 * 1024;

  /** The default limit on nesting of arrays and objects; a flag set needs 8 plus its values. */
  public static final int DEFAULT_MAX_DEPTH = 64;

  /** The highest depth limit a codec accepts (the parser is recursive). */
  public static final int MAX_DEPTH_LIMIT = 1000;

  /** A number literal may have at most this many characters. */
  public static final int MAX_NUMBER_LENGTH = 1000;

  /** A number's exponent ({@code e}/{@code E} part) may be at most this large in magnitude. */
  public static final int MAX_EXPONENT = 1000;

  private static final FlagCodec STANDARD = builder().build();

  private final int maxDocumentBytes;
  private final int maxDefinitionBytes;
  private final int maxStringLength;
  private final int maxDepth;
  private final boolean rejectUnknownOperators;

  private FlagCodec(Builder b) {
    this.maxDocumentBytes = b.maxDocumentBytes;
    this.maxDefinitionBytes = b.maxDefinitionBytes;
    this.maxStringLength = b.maxStringLength;
    this.maxDepth = b.maxDepth;
    this.rejectUnknownOperators = b.rejectUnknownOperators;
  }

  /** A codec with the default limits that keeps unknown operators: what stores use. */
  public static FlagCodec standard() {
    return STANDARD;
  }

  /** Starts a codec with the default limits; change the ones you need. */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- flags

  /**
   * Reads one flag. {@code true}/{@code false} alone (in any letter case, with surrounding
   * whitespace) is an on/off switch, {@link Flag#simple}. When the document has no {@code key},
   * {@code key} is used; when it has one, it must equal {@code key}.
   *
   * @throws FlagFormatException saying where and what; also when the document is over {@link
   *     #maxDefinitionBytes()}, which is checked first
   */
  public Flag decodeFlag(String key, String json) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(json, "json");
    checkLength(json.length(), "characters");
    checkDefinition("flag", json.length(), "characters");
    try {
      return flag(key, json);
    } catch (StackOverflowError e) {
      throw tooComplex();
    } catch (OutOfMemoryError e) {
      throw outOfMemory(json.length(), "characters");
    }
  }

  /**
   * Reads one flag from UTF-8 bytes, as files and Redis deliver it; like {@link #decodeFlag(String,
   * String)}. Invalid UTF-8 is an error.
   *
   * @throws FlagFormatException saying where and what; also when the document is over {@link
   *     #maxDefinitionBytes()}, which is checked before anything is read
   */
  public Flag decodeFlag(String key, byte[] utf8) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(utf8, "utf8");
    checkLength(utf8.length, "bytes");
    checkDefinition("flag", utf8.length, "bytes");
    try {
      return flag(key, text(utf8));
    } catch (StackOverflowError e) {
      throw tooComplex();
    } catch (OutOfMemoryError e) {
      throw outOfMemory(utf8.length, "bytes");
    }
  }

  private Flag flag(String key, String json) {
    // The fast road reads objects only; the short form true/false goes the reference way.
    Flag fast = FastDecoder.flag(json, key, maxDepth, maxStringLength, rejectUnknownOperators);
    if (fast != null) {
      return fast;
    }
    int start = skipBom(json);
    Boolean bare = bareBoolean(json, start);
    if (bare != null) {
      try {
        return Flag.simple(key, bare);
      } catch (FlagValidationException e) {
        throw new FlagFormatException(e.path(), e.problem(), 0, 0);
      }
    }
    SyntaxChecker.check(json, start, maxDepth, maxStringLength);
    Node root = Node.root(json, start);
    FlagDecoder decoder = decoder(json, start);
    if (root.type != Node.OBJECT) {
      throw decoder.error(root, "expected an object or true/false, got " + root.typeName());
    }
    return decoder.flag(root, key);
  }

  /**
   * Reads one segment. When the document has no {@code key}, {@code key} is used; when it has one,
   * it must equal {@code key}.
   *
   * @throws FlagFormatException saying where and what; also when the document is over {@link
   *     #maxDefinitionBytes()}, which is checked first
   */
  public Segment decodeSegment(String key, String json) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(json, "json");
    checkLength(json.length(), "characters");
    checkDefinition("segment", json.length(), "characters");
    try {
      return segment(key, json);
    } catch (StackOverflowError e) {
      throw tooComplex();
    } catch (OutOfMemoryError e) {
      throw outOfMemory(json.length(), "characters");
    }
  }

  /**
   * Reads one segment from UTF-8 bytes; like {@link #decodeSegment(String, String)}.
   *
   * @throws FlagFormatException saying where and what
   */
  public Segment decodeSegment(String key, byte[] utf8) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(utf8, "utf8");
    checkLength(utf8.length, "bytes");
    checkDefinition("segment", utf8.length, "bytes");
    try {
      return segment(key, text(utf8));
    } catch (StackOverflowError e) {
      throw tooComplex();
    } catch (OutOfMemoryError e) {
      throw outOfMemory(utf8.length, "bytes");
    }
  }

  private Segment segment(String key, String json) {
    Segment fast =
        FastDecoder.segment(json, key, maxDepth, maxStringLength, rejectUnknownOperators);
    if (fast != null) {
      return fast;
    }
    int start = skipBom(json);
    SyntaxChecker.check(json, start, maxDepth, maxStringLength);
    return decoder(json, start).segment(Node.root(json, start), key);
  }

  /**
   * Reads a set of flags and segments, {@code {"flags": {...}, "segments": {...}}}, and validates
   * it as a whole (segment references, prerequisites, cycles). Each flag and segment in it is
   * limited to {@link #maxDefinitionBytes()} characters.
   *
   * @throws FlagFormatException saying where and what
   */
  public FlagSet decodeFlagSet(String json) {
    Objects.requireNonNull(json, "json");
    checkLength(json.length(), "characters");
    try {
      return flagSet(json);
    } catch (StackOverflowError e) {
      throw tooComplex();
    } catch (OutOfMemoryError e) {
      throw outOfMemory(json.length(), "characters");
    }
  }

  /**
   * Reads a set of flags and segments from UTF-8 bytes; like {@link #decodeFlagSet(String)}.
   *
   * @throws FlagFormatException saying where and what
   */
  public FlagSet decodeFlagSet(byte[] utf8) {
    Objects.requireNonNull(utf8, "utf8");
    checkLength(utf8.length, "bytes");
    try {
      return flagSet(text(utf8));
    } catch (StackOverflowError e) {
      throw tooComplex();
    } catch (OutOfMemoryError e) {
      throw outOfMemory(utf8.length, "bytes");
    }
  }

  private FlagSet flagSet(String json) {
    FlagSet fast =
        FastDecoder.flagSet(
            json, maxDepth, maxStringLength, rejectUnknownOperators, maxDefinitionBytes);
    if (fast != null) {
      return fast;
    }
    int start = skipBom(json);
    SyntaxChecker.check(json, start, maxDepth, maxStringLength);
    return decoder(json, start).flagSet(Node.root(json, start));
  }

  /** Writes one flag as a JSON object. */
  public String encode(Flag flag) {
    return new JsonWriter().flag(Objects.requireNonNull(flag, "flag")).toString();
  }

  /** Writes one segment. */
  public String encode(Segment segment) {
    return new JsonWriter().segment(Objects.requireNonNull(segment, "segment")).toString();
  }

  /** Writes a set of flags and segments, on/off switches in their short form. */
  public String encode(FlagSet set) {
    return new JsonWriter().flagSet(Objects.requireNonNull(set, "set")).toString();
  }

  // ---------------------------------------------------------------- raw JSON

  /**
   * Parses any JSON value strictly, with this codec's limits.
   *
   * @throws FlagFormatException saying where and what
   */
  public JsonValue parse(String json) {
    Objects.requireNonNull(json, "json");
    checkLength(json.length(), "characters");
    try {
      return value(json);
    } catch (StackOverflowError e) {
      throw tooComplex();
    } catch (OutOfMemoryError e) {
      throw outOfMemory(json.length(), "characters");
    }
  }

  /**
   * Parses any JSON value from UTF-8 bytes strictly, with this codec's limits.
   *
   * @throws FlagFormatException saying where and what
   */
  public JsonValue parse(byte[] utf8) {
    Objects.requireNonNull(utf8, "utf8");
    checkLength(utf8.length, "bytes");
    try {
      return value(text(utf8));
    } catch (StackOverflowError e) {
      throw tooComplex();
    } catch (OutOfMemoryError e) {
      throw outOfMemory(utf8.length, "bytes");
    }
  }

  private JsonValue value(String json) {
    JsonValue fast = FastDecoder.json(json, maxDepth, maxStringLength);
    if (fast != null) {
      return fast;
    }
    int start = skipBom(json);
    SyntaxChecker.check(json, start, maxDepth, maxStringLength);
    return decoder(json, start).json(Node.root(json, start));
  }

  /** Writes any JSON value compactly; object members keep their order. */
  public String write(JsonValue value) {
    return new JsonWriter().value(Objects.requireNonNull(value, "value")).toString();
  }

  /** The limit on the size of a document: UTF-8 bytes for byte input, characters for a String. */
  public int maxDocumentBytes() {
    return maxDocumentBytes;
  }

  /**
   * The limit on the size of one flag or segment definition: UTF-8 bytes for a definition read
   * alone from bytes, characters otherwise (a definition in a set: the characters of its entry).
   */
  public int maxDefinitionBytes() {
    return maxDefinitionBytes;
  }

  /** The limit on the length of one string, in characters. */
  public int maxStringLength() {
    return maxStringLength;
  }

  /** The limit on nesting of arrays and objects. */
  public int maxDepth() {
    return maxDepth;
  }

  /** Whether a clause operator this SDK does not know is an error rather than kept. */
  public boolean rejectsUnknownOperators() {
    return rejectUnknownOperators;
  }

  // ---------------------------------------------------------------- internals

  private FlagDecoder decoder(String json, int start) {
    return new FlagDecoder(json, start, rejectUnknownOperators, maxDefinitionBytes);
  }

  /**
   * The text of UTF-8 bytes, checked strictly: ASCII in one copy; other text checked, then decoded
   * by the JDK (which, for valid UTF-8, gives what a strict decoder gives), so the bytes, the text
   * and nothing else are in memory at once.
   */
  private static String text(byte[] utf8) {
    String ascii = Utf8.ascii(utf8);
    if (ascii != null) {
      return ascii;
    }
    if (!Utf8.isValid(utf8)) {
      Utf8.decode(utf8); // throws the error, with its line and column
    }
    return new String(utf8, StandardCharsets.UTF_8);
  }

  private void checkLength(int length, String unit) {
    if (length > maxDocumentBytes) {
      throw new FlagFormatException(
          "",
          "the document has " + length + " " + unit + ", over the limit of " + maxDocumentBytes,
          0,
          0);
    }
  }

  private void checkDefinition(String what, int length, String unit) {
    if (length > maxDefinitionBytes) {
      throw new FlagFormatException(
          "", definitionTooLarge(what, length, unit, maxDefinitionBytes), 0, 0);
    }
  }

  static String definitionTooLarge(String what, int length, String unit, int limit) {
    return "the "
        + what
        + " definition has "
        + length
        + " "
        + unit
        + ", over the limit of "
        + limit
        + " (FlagCodec.Builder.maxDefinitionBytes)";
  }

  /** A byte order mark is tolerated at the start (editors on Windows write one) and skipped. */
  private static int skipBom(String json) {
    return !json.isEmpty() && json.charAt(0) == '\uFEFF' ? 1 : 0;
  }

  /** {@code true}/{@code false} in any case, alone with whitespace: the hand-typed short form. */
  private static @Nullable Boolean bareBoolean(String json, int start) {
    int s = start;
    int length = json.length();
    while (s < length && isWhitespace(json.charAt(s))) {
      s++;
    }
    int e = length;
    while (e > s && isWhitespace(json.charAt(e - 1))) {
      e--;
    }
    if (e - s == 4 && json.regionMatches(true, s, "true", 0, 4)) {
      return Boolean.TRUE;
    }
    if (e - s == 5 && json.regionMatches(true, s, "false", 0, 5)) {
      return Boolean.FALSE;
    }
    return null;
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private static FlagFormatException tooComplex() {
    // Only reachable with a depth limit far above the default, or a pathological regular
    // expression; the stack has unwound by the time we get here.
    return new FlagFormatException("", "the document is too deeply nested to read", 0, 0);
  }

  /**
   * Reading takes memory in proportion to the document (see docs/limits.md for the measured
   * factors), so within the limits this only happens on a heap already nearly full. What was being
   * built is unreachable once the stack has unwound, so the caller goes on; a store then reports
   * this one definition as malformed instead of failing whole.
   */
  private static FlagFormatException outOfMemory(int length, String unit) {
    return new FlagFormatException(
        "",
        "not enough memory to read this document of "
            + length
            + " "
            + unit
            + "; lower the codec's limits or give the JVM more heap",
        0,
        0);
  }

  /**
   * Builds a {@link FlagCodec}. Each setter checks its argument and names the option in its
   * exception. Not thread-safe; the codec it builds is.
   */
  public static final class Builder {
    private int maxDocumentBytes = DEFAULT_MAX_DOCUMENT_BYTES;
    private int maxDefinitionBytes = DEFAULT_MAX_DEFINITION_BYTES;
    private int maxStringLength = DEFAULT_MAX_STRING_LENGTH;
    private int maxDepth = DEFAULT_MAX_DEPTH;
    private boolean rejectUnknownOperators;

    private Builder() {}

    /**
     * The largest document accepted, in UTF-8 bytes (characters for String input). Default {@link
     * #DEFAULT_MAX_DOCUMENT_BYTES}.
     *
     * @throws IllegalArgumentException if {@code bytes < 1}
     */
    public Builder maxDocumentBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxDocumentBytes must be >= 1, got " + bytes);
      }
      this.maxDocumentBytes = bytes;
      return this;
    }

    /**
     * The largest flag or segment definition accepted, alone or in a set, in UTF-8 bytes for a
     * definition read alone from bytes and in characters otherwise. A larger one is malformed
     * ({@code the flag definition has 5242880 bytes, over the limit of 4194304}); read alone, it is
     * refused before it is read. Default {@link #DEFAULT_MAX_DEFINITION_BYTES}: stores use it, so
     * one oversized value in Redis or a file costs that flag only.
     *
     * @throws IllegalArgumentException if {@code bytes < 1}
     */
    public Builder maxDefinitionBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxDefinitionBytes must be >= 1, got " + bytes);
      }
      this.maxDefinitionBytes = bytes;
      return this;
    }

    /**
     * The longest string accepted (member names included), in characters. Default {@link
     * #DEFAULT_MAX_STRING_LENGTH}.
     *
     * @throws IllegalArgumentException if {@code chars < 1}
     */
    public Builder maxStringLength(int chars) {
      if (chars < 1) {
        throw new IllegalArgumentException("maxStringLength must be >= 1, got " + chars);
      }
      this.maxStringLength = chars;
      return this;
    }

    /**
     * The deepest nesting of arrays and objects accepted; the root object is level 1. Default
     * {@link #DEFAULT_MAX_DEPTH}.
     *
     * @throws IllegalArgumentException if {@code depth} is outside 1..{@link #MAX_DEPTH_LIMIT}
     */
    public Builder maxDepth(int depth) {
      if (depth < 1 || depth > MAX_DEPTH_LIMIT) {
        throw new IllegalArgumentException(
            "maxDepth must be within 1.." + MAX_DEPTH_LIMIT + ", got " + depth);
      }
      this.maxDepth = depth;
      return this;
    }

    /**
     * Whether a clause operator this SDK does not know is an error ({@code unknown operator
     * "equal"}) instead of being kept as a clause that never matches. Off by default, so stores
     * read flags written for newer SDKs; turn it on where a typo must be caught: admin APIs,
     * validation tools, CI checks of flag files.
     */
    public Builder rejectUnknownOperators(boolean reject) {
      this.rejectUnknownOperators = reject;
      return this;
    }

    /** Returns the codec. */
    public FlagCodec build() {
      return new FlagCodec(this);
    }
  }
}
