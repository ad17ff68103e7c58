package dev.flags.core.json;

/**
 * Turns an offset into a line and column, only when an error is reported (the successful path
 * tracks nothing). Lines are counted at {@code \n}; columns count UTF-16 characters from 1.
 */
final class Locations {
  private Locations() {}

  static FlagFormatException error(String text, int start, int at, String path, String problem) {
    int line = 1;
    int lineStart = start;
    int stop = Math.min(at, text.length());
    for (int i = start; i < stop; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new FlagFormatException(path, problem, line, at - lineStart + 1);
  }

  static FlagFormatException error(char[] buf, int start, int at, String path, String problem) {
    int line = 1;
    int lineStart = start;
    int stop = Math.min(at, buf.length);
    for (int i = start; i < stop; i++) {
      if (buf[i] == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new FlagFormatException(path, problem, line, at - lineStart + 1);
  }
}
