package dev.flags.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything the client evaluates against at one moment: compiled flags and compiled segments,
 * together, immutable. The client replaces the whole snapshot with one volatile write, so an
 * evaluation (prerequisites and segments included) reads one consistent state, never new segments
 * with old flags (LaunchDarkly's {@code InMemoryDataStore} does the same).
 *
 * <p>Each table is an open-addressing hash table in one array, keys and values interleaved ({@code
 * [k0, v0, k1, v1, …]}), at most half full. A lookup touches the array and the key; a change copies
 * the array ({@code System.arraycopy} of references, a few microseconds for 10,000 flags) rather
 * than rebuilding a {@code HashMap}, so a store that delivers many single changes stays cheap.
 * Immutable and thread-safe.
 */
final class FlagSnapshot implements Evaluator.Scope {
  static final FlagSnapshot EMPTY = new FlagSnapshot(new Object[2], 0, new Object[2], 0);

  private final Object[] flags;
  private final int flagCount;
  private final Object[] segments;
  private final int segmentCount;

  private FlagSnapshot(Object[] flags, int flagCount, Object[] segments, int segmentCount) {
    this.flags = flags;
    this.flagCount = flagCount;
    this.segments = segments;
    this.segmentCount = segmentCount;
  }

  /** A snapshot of exactly these flags and segments. */
  static FlagSnapshot of(Map<String, CompiledFlag> flags, Map<String, CompiledSegment> segments) {
    Object[] f = new Object[capacityFor(flags.size())];
    flags.forEach((k, v) -> insert(f, k, v));
    Object[] s = new Object[capacityFor(segments.size())];
    segments.forEach((k, v) -> insert(s, k, v));
    return new FlagSnapshot(f, flags.size(), s, segments.size());
  }

  // ---- reads (the evaluation path) ---------------------------------------------------------

  @Override
  public @Nullable CompiledFlag compiledFlag(String key) {
    return (CompiledFlag) get(flags, key);
  }

  @Override
  public @Nullable CompiledSegment compiledSegment(String key) {
    return (CompiledSegment) get(segments, key);
  }

  int flagCount() {
    return flagCount;
  }

  int segmentCount() {
    return segmentCount;
  }

  /** The compiled flags, in table order. */
  List<CompiledFlag> flags() {
    return values(flags, flagCount);
  }

  /** The compiled segments, in table order. */
  List<CompiledSegment> segments() {
    return values(segments, segmentCount);
  }

  // ---- changes: each returns a new snapshot ------------------------------------------------

  FlagSnapshot withFlag(CompiledFlag flag) {
    boolean present = get(flags, flag.key) != null;
    Object[] next = copyFor(flags, present ? flagCount : flagCount + 1);
    insert(next, flag.key, flag);
    return new FlagSnapshot(next, present ? flagCount : flagCount + 1, segments, segmentCount);
  }

  FlagSnapshot withoutFlag(String key) {
    if (get(flags, key) == null) {
      return this;
    }
    return new FlagSnapshot(without(flags, flagCount, key), flagCount - 1, segments, segmentCount);
  }

  FlagSnapshot withSegment(CompiledSegment segment) {
    String key = segment.definition.key();
    boolean present = get(segments, key) != null;
    Object[] next = copyFor(segments, present ? segmentCount : segmentCount + 1);
    insert(next, key, segment);
    return new FlagSnapshot(flags, flagCount, next, present ? segmentCount : segmentCount + 1);
  }

  FlagSnapshot withoutSegment(String key) {
    if (get(segments, key) == null) {
      return this;
    }
    return new FlagSnapshot(
        flags, flagCount, without(segments, segmentCount, key), segmentCount - 1);
  }

  // ---- the table -------------------------------------------------------------------------

  private static @Nullable Object get(Object[] table, String key) {
    int mask = table.length - 2;
    int i = slot(key, mask);
    while (true) {
      Object k = table[i];
      if (k == key) {
        return table[i + 1]; // keys are usually literals, interned like the stored ones
      }
      if (k == null) {
        return null;
      }
      if (k.equals(key)) {
        return table[i + 1];
      }
      i = (i + 2) & mask;
    }
  }

  /** Puts or replaces {@code key} in a table with room for it. */
  private static void insert(Object[] table, String key, Object value) {
    int mask = table.length - 2;
    int i = slot(key, mask);
    while (true) {
      Object k = table[i];
      if (k == null || k.equals(key)) {
        table[i] = key;
        table[i + 1] = value;
        return;
      }
      i = (i + 2) & mask;
    }
  }

  /** The even index where {@code key}'s probe starts. */
  private static int slot(String key, int mask) {
    int h = key.hashCode();
    h ^= h >>> 16; // as HashMap does: String hashes of similar keys differ in their low bits
    return (h << 1) & mask;
  }

  /** Array length (twice the slots) keeping {@code n} entries at most half full. */
  private static int capacityFor(int n) {
    int slots = Integer.highestOneBit(Math.max(2, n) * 2 - 1) << 1; // power of two >= 2n
    return slots * 2;
  }

  /** A copy of {@code table}, or a larger table with its entries when {@code n} needs more room. */
  private static Object[] copyFor(Object[] table, int n) {
    int length = capacityFor(n);
    if (length <= table.length) {
      return table.clone();
    }
    Object[] bigger = new Object[length];
    for (int i = 0; i < table.length; i += 2) {
      if (table[i] != null) {
        insert(bigger, (String) table[i], table[i + 1]);
      }
    }
    return bigger;
  }

  /**
   * The table without {@code key}, rebuilt: removing from a linear-probing table in place needs
   * back-shifting, and a change copies the table anyway.
   */
  private static Object[] without(Object[] table, int count, String key) {
    Object[] next = new Object[capacityFor(count - 1)];
    for (int i = 0; i < table.length; i += 2) {
      Object k = table[i];
      if (k != null && !k.equals(key)) {
        insert(next, (String) k, table[i + 1]);
      }
    }
    return next;
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> values(Object[] table, int count) {
    List<T> out = new ArrayList<>(count);
    for (int i = 0; i < table.length; i += 2) {
      if (table[i] != null) {
        out.add((T) table[i + 1]);
      }
    }
    return out;
  }
}
