package dev.flags.core.json;

/**
 * A JSON flag document could not be read: malformed JSON, a value of the wrong type, or a flag that
 * breaks a rule of the model. The message says where and what, for example {@code
 * rules[2].clauses[0].op: unknown operator "equal" (line 14, column 17)}.
 *
 * <p>This is the only exception the codec throws for bad input. Immutable and thread-safe.
 */
public final class FlagFormatException extends IllegalArgumentException {

  private final String path;
  private final String problem;
  private final int line;
  private final int column;

  /**
   * @param path the JSON path of the problem ("" for the document itself)
   * @param problem what is wrong
   * @param line 1-based line, or 0 when unknown
   * @param column 1-based column, or 0 when unknown
   */
  public FlagFormatException(String path, String problem, int line, int column) {
    super(format(path, problem, line, column));
    this.path = path;
    this.problem = problem;
    this.line = line;
    this.column = column;
  }

  private static String format(String path, String problem, int line, int column) {
    String where = line > 0 ? " (line " + line + ", column " + column + ")" : "";
    return (path.isEmpty() ? "" : path + ": ") + problem + where;
  }

  /** The JSON path of the problem, such as {@code rules[2].clauses[0].op}; empty for the root. */
  public String path() {
    return path;
  }

  /** What is wrong, without the location. */
  public String problem() {
    return problem;
  }

  /** The 1-based line of the problem, or 0 when unknown. */
  public int line() {
    return line;
  }

  /** The 1-based column of the problem, or 0 when unknown. */
  public int column() {
    return column;
  }
}
