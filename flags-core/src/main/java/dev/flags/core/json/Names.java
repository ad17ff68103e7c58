package dev.flags.core.json;

import org.jspecify.annotations.Nullable;

/**
 * The member names of the format, as shared {@link String} instances found by their characters
 * without allocating: an open-addressing table built once, read-only after, so thread-safe.
 */
final class Names {
  private static final String[] KNOWN = {
    "key",
    "version",
    "on",
    "variations",
    "offVariation",
    "fallthrough",
    "targets",
    "rules",
    "prerequisites",
    "salt",
    "description",
    "owner",
    "tags",
    "createdAt",
    "killDate",
    "guardedRollout",
    "id",
    "clauses",
    "variation",
    "rollout",
    "attribute",
    "op",
    "values",
    "negate",
    "ignoreCase",
    "weights",
    "weight",
    "bucketBy",
    "algorithm",
    "included",
    "excluded",
    "flags",
    "segments",
  };
  private static final int MASK = 127;
  private static final String[] TABLE = new String[MASK + 1];

  /** The index in {@link #KNOWN} of the name in the same slot of {@link #TABLE}. */
  private static final int[] ORDINALS = new int[MASK + 1];

  static {
    for (int k = 0; k < KNOWN.length; k++) {
      String name = KNOWN[k];
      int slot = name.hashCode() & MASK;
      while (TABLE[slot] != null) {
        slot = (slot + 1) & MASK;
      }
      TABLE[slot] = name;
      ORDINALS[slot] = k;
    }
  }

  private Names() {}

  /**
   * The known name equal to {@code buf[from, from + length)}, whose String hash is {@code hash}; or
   * null.
   */
  static @Nullable String lookup(char[] buf, int from, int length, int hash) {
    int slot = hash & MASK;
    String candidate;
    while ((candidate = TABLE[slot]) != null) {
      if (candidate.hashCode() == hash
          && candidate.length() == length
          && sameChars(candidate, buf, from)) {
        return candidate;
      }
      slot = (slot + 1) & MASK;
    }
    return null;
  }

  /**
   * The index in the list of known names of the name equal to {@code s[from, from + length)}, whose
   * String hash is {@code hash}; or -1. Below 64, so sets of names fit a long.
   */
  static int ordinal(String s, int from, int length, int hash) {
    int slot = hash & MASK;
    String candidate;
    while ((candidate = TABLE[slot]) != null) {
      if (candidate.hashCode() == hash
          && candidate.length() == length
          && s.regionMatches(from, candidate, 0, length)) {
        return ORDINALS[slot];
      }
      slot = (slot + 1) & MASK;
    }
    return -1;
  }

  /**
   * The known name with this {@link #ordinal(String, int, int, int) ordinal}: one shared instance.
   */
  static String known(int ordinal) {
    return KNOWN[ordinal];
  }

  private static boolean sameChars(String s, char[] buf, int from) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != buf[from + i]) {
        return false;
      }
    }
    return true;
  }
}
