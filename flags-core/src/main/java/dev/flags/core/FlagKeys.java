package dev.flags.core;

import org.jspecify.annotations.Nullable;

/** The rule for flag and segment keys. */
final class FlagKeys {
  static final int MAX_LENGTH = 128;

  private FlagKeys() {}

  /** Throws a {@link FlagValidationException} at {@code path} unless {@code key} is valid. */
  static void check(String key, String path) {
    String problem = problem(key);
    if (problem != null) {
      throw new FlagValidationException(path, problem);
    }
  }

  static boolean isValid(String key) {
    return problem(key) == null;
  }

  private static @Nullable String problem(String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
      return "invalid key \""
          + key
          + "\": a key has 1 to 128 characters: letters, digits, '_', '-' and '.'";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-'
              || c == '.';
      if (!ok) {
        return "invalid key \""
            + key
            + "\": character '"
            + c
            + "' at "
            + i
            + " is not allowed; a key has 1 to 128 characters: letters, digits, '_', '-' and '.'";
      }
    }
    return null;
  }
}
