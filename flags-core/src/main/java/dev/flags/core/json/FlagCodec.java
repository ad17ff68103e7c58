package dev.flags.core.json;

import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.JsonValue;
import dev.flags.core.Segment;

/**
 * Reads and writes the JSON flag format ({@code docs/flag-format.md}): strict, dependency-free.
 * Thread-safe; create one with its limits and share it.
 */
public final class FlagCodec {

  private FlagCodec() {}

  /** A codec with the default limits. */
  public static FlagCodec standard() {
    return new FlagCodec();
  }

  /**
   * Reads one flag. {@code true}/{@code false} alone is an on/off switch. When the document has no
   * {@code key}, {@code key} is used; when it has one, it must equal {@code key}.
   *
   * @throws FlagFormatException saying where and what
   */
  public Flag decodeFlag(String key, String json) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Reads one segment. @throws FlagFormatException saying where and what */
  public Segment decodeSegment(String key, String json) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Reads a set of flags and segments. @throws FlagFormatException saying where and what */
  public FlagSet decodeFlagSet(String json) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Writes one flag. */
  public String encode(Flag flag) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Writes one segment. */
  public String encode(Segment segment) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Writes a set of flags and segments. */
  public String encode(FlagSet set) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Parses any JSON value strictly. @throws FlagFormatException saying where and what */
  public JsonValue parse(String json) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Writes any JSON value compactly. */
  public String write(JsonValue value) {
    throw new UnsupportedOperationException("not yet");
  }
}
