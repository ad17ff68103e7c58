package dev.flags.integration;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@code flags.*} setting holds a value that cannot be used. Start-up fails with it; a framework
 * adapter turns it into its own failure report (Spring Boot's failure analysis, Micronaut's
 * configuration error) from {@link #property()}, {@link #value()}, {@link #problem()} and {@link
 * #fix()}. A secret's value is never in it.
 *
 * <p>Immutable and thread-safe.
 */
public final class FlagsConfigurationException extends IllegalStateException {

  private final String property;
  private final String value;
  private final String problem;
  private final String fix;

  /**
   * @param property the setting at fault, such as {@code flags.redis.url}
   * @param value its value as configured, already masked if secret ({@code ""} when unset)
   * @param problem what is wrong with it, without a final period
   * @param fix what to do, as a sentence
   */
  public FlagsConfigurationException(String property, String value, String problem, String fix) {
    this(property, value, problem, fix, null);
  }

  /**
   * @param property the setting at fault, such as {@code flags.redis.url}
   * @param value its value as configured, already masked if secret ({@code ""} when unset)
   * @param problem what is wrong with it, without a final period
   * @param fix what to do, as a sentence
   * @param cause the underlying error, or {@code null}
   */
  public FlagsConfigurationException(
      String property, String value, String problem, String fix, @Nullable Throwable cause) {
    super(
        Objects.requireNonNull(property, "property")
            + (value.isEmpty() ? " " : "=" + value + " ")
            + problem
            + ". "
            + fix,
        cause);
    this.property = property;
    this.value = Objects.requireNonNull(value, "value");
    this.problem = Objects.requireNonNull(problem, "problem");
    this.fix = Objects.requireNonNull(fix, "fix");
  }

  /** The setting at fault, such as {@code flags.redis.url}. */
  public String property() {
    return property;
  }

  /** Its value as configured, masked if secret; empty when it is missing. */
  public String value() {
    return value;
  }

  /** What is wrong. */
  public String problem() {
    return problem;
  }

  /** What to do, as a sentence. */
  public String fix() {
    return fix;
  }
}
