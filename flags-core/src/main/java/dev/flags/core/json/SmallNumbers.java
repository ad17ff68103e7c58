package dev.flags.core.json;

import dev.flags.core.JsonValue;
import java.math.BigDecimal;

/**
 * Shared instances of the small integers documents are full of ({@code 0}, {@code 1}, {@code
 * 100000}…): a {@link JsonValue.Num} is immutable, so an array of a million zeros can hold one
 * instance a million times rather than a million of them (16 bytes each, plus a {@link BigDecimal}
 * above 10). Thread-safe.
 */
final class SmallNumbers {
  private static final int MIN = -128;
  private static final int MAX = 1024;
  private static final JsonValue.Num[] CACHE = new JsonValue.Num[MAX - MIN + 1];

  static {
    for (int i = MIN; i <= MAX; i++) {
      CACHE[i - MIN] = new JsonValue.Num(BigDecimal.valueOf(i));
    }
  }

  private SmallNumbers() {}

  /** The number {@code v}, shared when small. */
  static JsonValue.Num of(long v) {
    return v >= MIN && v <= MAX ? CACHE[(int) v - MIN] : new JsonValue.Num(BigDecimal.valueOf(v));
  }
}
