package dev.flags.core;

/**
 * Thrown when a flag, segment or flag set breaks a rule of the model. The message starts with the
 * path of the problem, such as {@code rules[2].clauses[0].values}, followed by what is wrong.
 *
 * <p>Immutable and thread-safe.
 */
public class FlagValidationException extends IllegalArgumentException {

  private final String path;
  private final String problem;

  /**
   * @param path where the problem is, relative to the object being validated ("" for the object
   *     itself)
   * @param problem what is wrong, for a human
   */
  public FlagValidationException(String path, String problem) {
    super(path.isEmpty() ? problem : path + ": " + problem);
    this.path = path;
    this.problem = problem;
  }

  /** Where the problem is, for example {@code rules[2].serve.variation}; empty for the root. */
  public String path() {
    return path;
  }

  /** What is wrong, without the path. */
  public String problem() {
    return problem;
  }

  /** Returns the same problem seen from a parent object: {@code parent.path}. */
  public FlagValidationException under(String parent) {
    String p = path.isEmpty() ? parent : path.startsWith("[") ? parent + path : parent + "." + path;
    return new FlagValidationException(p, problem);
  }
}
