package dev.flags.spring;

/**
 * A {@code flags.*} property holds a value the starter cannot use. Start-up fails with it, and
 * {@link FlagsFailureAnalyzer} turns it into a report naming the property and the fix.
 *
 * <p>Immutable and thread-safe.
 */
public final class FlagsConfigurationException extends IllegalStateException {

  private final String property;
  private final String value;
  private final String problem;
  private final String fix;

  /**
   * @param property the property, such as {@code flags.redis.url}
   * @param value its value as configured (passwords already masked)
   * @param problem what is wrong with it
   * @param fix what to do, as a sentence
   */
  public FlagsConfigurationException(String property, String value, String problem, String fix) {
    super(property + "=" + value + " " + problem + ". " + fix);
    this.property = property;
    this.value = value;
    this.problem = problem;
    this.fix = fix;
  }

  /** The property, such as {@code flags.redis.url}. */
  public String property() {
    return property;
  }

  /** The configured value (passwords masked). */
  public String value() {
    return value;
  }

  /** What is wrong. */
  public String problem() {
    return problem;
  }

  /** What to do. */
  public String fix() {
    return fix;
  }
}
